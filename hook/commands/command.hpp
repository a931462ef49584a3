// How a command plugs into the command line: each command file has one
// `add_*_command(CLI::App&)` that declares its subcommand and options and
// returns the action to run when that subcommand was chosen. The CLI
// (hook/cli.cpp) only lists them.
#pragma once

#include "config/load.hpp"
#include "config/settings.hpp"
#include "core/error.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

namespace tg {

struct Command {
  CLI::App* subcommand = nullptr;
  std::function<Result<int>()> run;  // exit code on success: 0 clean, 1 blocked
};

// Options every scanning command shares; unset ones keep the configured value.
struct CommonOptions {
  std::optional<std::string> config_file;
  std::optional<OutputFormat> format;
  std::optional<ColorMode> color;
  std::optional<std::uint64_t> max_file_size;
};

void add_common_options(CLI::App& command, CommonOptions& options);

// The configuration layers for `sources`, then the command-line flags.
Result<Settings> settings_for(const CommonOptions& options, ConfigSources sources);

}  // namespace tg
