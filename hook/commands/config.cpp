#include "hook/commands/config.hpp"

#include "config/load.hpp"

#include <fmt/format.h>

#include <memory>

namespace tg {

Command add_config_command(CLI::App& parent) {
  struct State {
    std::vector<std::string> check;
    std::optional<std::string> config_file;
    std::optional<std::string> repository;
    bool server = false;
  };
  auto state = std::make_shared<State>();
  CLI::App* config = parent.add_subcommand(
      "config", "Print the effective configuration and where each value came from, or check files");
  config->add_option("--check", state->check, "Validate these configuration files and exit")
      ->expected(1, -1);
  config->add_option("--config", state->config_file, "Read this configuration file last");
  config->add_option("--repo", state->repository,
                     "Repository whose .twilio-guard.toml to read (default: the one containing the "
                     "current directory)");
  config->add_flag("--server", state->server,
                   "Show what pre-receive would use: the repository file untrusted");
  config->footer(fmt::format(
      "Layers, later ones refining earlier ones: built-in defaults; system {} "
      "(TWILIO_GUARD_SYSTEM_CONFIG); user $XDG_CONFIG_HOME/twilio-guard/config.toml; "
      "repository .twilio-guard.toml; --config FILE; command-line flags.",
      "/etc/twilio-guard/config.toml"));
  return Command{config, [state]() -> Result<int> {
                   if (!state->check.empty()) {
                     for (const std::string& file : state->check) {
                       auto checked = check_config_file(file);
                       if (!checked) return std::unexpected(checked.error());
                       for (const std::string& note : checked->provenance.notes) {
                         fmt::print(stderr, "twilio-guard: warning: {}\n", note);
                       }
                       fmt::print("{}: ok\n", file);
                     }
                     return 0;
                   }
                   ConfigSources sources;
                   sources.explicit_file = state->config_file;
                   sources.server = state->server;
                   sources.repository_root =
                       state->repository ? state->repository : find_repository_root(".");
                   auto settings = load_settings(sources);
                   if (!settings) return std::unexpected(settings.error());
                   fmt::print("{}", render_settings(*settings));
                   return 0;
                 }};
}

}  // namespace tg
