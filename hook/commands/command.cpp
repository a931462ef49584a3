#include "hook/commands/command.hpp"

#include <fmt/format.h>

#include <map>

namespace tg {

void add_common_options(CLI::App& command, CommonOptions& options) {
  command.add_option("--config", options.config_file, "Read this configuration file last");
  const std::map<std::string, OutputFormat> formats = {
      {"text", OutputFormat::text}, {"json", OutputFormat::json}, {"sarif", OutputFormat::sarif}};
  command.add_option("--format", options.format, "Output format: text, json or sarif")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
  const std::map<std::string, ColorMode> colors = {
      {"auto", ColorMode::automatic}, {"always", ColorMode::always}, {"never", ColorMode::never}};
  command.add_option("--color", options.color, "Colour: auto (on a terminal), always or never")
      ->transform(CLI::CheckedTransformer(colors, CLI::ignore_case));
  command.add_option("--max-file-size", options.max_file_size,
                     "Skip (and report) files larger than this many bytes");
}

Result<Settings> settings_for(const CommonOptions& options, ConfigSources sources) {
  sources.explicit_file = options.config_file;
  auto settings = load_settings(sources);
  if (!settings) return settings;
  for (const std::string& note : settings->provenance.notes) {
    fmt::print(stderr, "twilio-guard: warning: {}\n", note);
  }
  if (options.format) settings->format = *options.format;
  if (options.color) settings->color = *options.color;
  if (options.max_file_size) settings->max_file_size = *options.max_file_size;
  return settings;
}

}  // namespace tg
