#pragma once

#include "hook/commands/command.hpp"

namespace tg {

// `twilio-guard config [--repo DIR] [--server] [--config FILE]` prints the
// effective configuration with the origin of every value;
// `twilio-guard config --check FILE...` validates files (exit 2 on the first
// error, naming file, line and key).
Command add_config_command(CLI::App& parent);

}  // namespace tg
