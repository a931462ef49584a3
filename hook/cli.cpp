#include "hook/cli.hpp"

#include "hook/commands/command.hpp"
#include "hook/commands/pre_commit.hpp"
#include "hook/commands/pre_push.hpp"
#include "hook/commands/pre_receive.hpp"
#include "hook/commands/config.hpp"
#include "hook/commands/install.hpp"
#include "hook/commands/scan.hpp"
#include "hook/install.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <vector>

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

int report_error(const Error& error) {
  fmt::print(stderr, "twilio-guard: error: {}\n", error.message);
  return exit_code_for(error);
}

// `run-hook HOOK_FILE ARGS...`, what a direct hook file runs
// (hook/install.hpp), as the command the file is named after: `HOOK ARGS...`.
Result<std::vector<const char*>> hook_file_arguments(int argc, char** argv) {
  if (argc < 3) return fail(ErrorKind::usage, fmt::format("{} needs the hook file's path", k_run_hook_command));
  auto hook = hook_named_by_file(argv[2]);
  if (!hook) return std::unexpected(hook.error());
  std::vector<const char*> arguments = {argv[0], hook->data()};  // a literal: NUL-terminated
  arguments.insert(arguments.end(), argv + 3, argv + argc);
  return arguments;
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

  const std::vector<Command> commands = {
      add_scan_command(app),
      add_pre_commit_command(app),
      add_pre_push_command(app),
      add_pre_receive_command(app),
      add_config_command(app),
      add_install_command(app),
      add_uninstall_command(app),
  };

  std::vector<const char*> arguments(argv, argv + argc);
  if (argc >= 2 && argv[1] == k_run_hook_command) {
    auto rewritten = hook_file_arguments(argc, argv);
    if (!rewritten) return report_error(rewritten.error());
    arguments = std::move(*rewritten);
  }

  try {
    app.parse(static_cast<int>(arguments.size()), arguments.data());
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : k_exit_usage;
  }

  for (const Command& command : commands) {
    if (!command.subcommand->parsed()) continue;
    const Result<int> outcome = command.run();
    if (!outcome) return report_error(outcome.error());
    return *outcome;
  }
  return k_exit_usage;
}

}  // namespace tg
