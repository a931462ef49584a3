#include "hook/cli.hpp"

#include "config/load.hpp"
#include "hook/commands/scan.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <map>
#include <unistd.h>

namespace tg {
namespace {

constexpr int k_exit_usage = 2;
constexpr int k_exit_runtime = 3;

int exit_code_for(const Error& error) {
  switch (error.kind) {
    case ErrorKind::usage:
    case ErrorKind::config: return k_exit_usage;
    case ErrorKind::runtime: return k_exit_runtime;
  }
  return k_exit_runtime;
}

// Options every command shares; unset ones leave the configuration's value.
struct CommonOptions {
  std::optional<std::string> config_file;
  std::optional<OutputFormat> format;
  std::optional<ColorMode> color;
  std::optional<std::uint64_t> max_file_size;
};

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
  if (options.format) settings->format = *options.format;
  if (options.color) settings->color = *options.color;
  if (options.max_file_size) settings->max_file_size = *options.max_file_size;
  return settings;
}

std::string version_text() {
  return fmt::format("twilio-guard {} (rules {})", TWILIO_GUARD_VERSION, TWILIO_GUARD_RULES_VERSION);
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"twilio-guard: stops Twilio credentials from entering git history.\n"
               "Exit status: 0 nothing blocking, 1 blocking findings, 2 usage or configuration "
               "error, 3 runtime error."};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  CommonOptions scan_common;
  ScanFilesRequest scan_request;
  CLI::App* scan = app.add_subcommand("scan", "Scan files and directories (skips .git, binary "
                                              "and oversized files, and reports them)");
  scan->add_option("paths", scan_request.paths, "Files or directories (default: .)");
  add_common_options(*scan, scan_common);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : k_exit_usage;
  }

  Result<int> outcome = fail(ErrorKind::usage, "no command given");
  if (scan->parsed()) {
    auto settings = settings_for(scan_common, ConfigSources{});
    if (!settings) {
      outcome = std::unexpected(settings.error());
    } else {
      scan_request.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
      outcome = run_scan_files(*settings, scan_request);
    }
  }
  if (!outcome) {
    fmt::print(stderr, "twilio-guard: error: {}\n", outcome.error().message);
    return exit_code_for(outcome.error());
  }
  return *outcome;
}

}  // namespace tg
