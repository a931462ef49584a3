#pragma once

#include "hook/commands/command.hpp"

namespace tg {

// `twilio-guard install [HOOK...] [--repo DIR | --global]` and
// `twilio-guard uninstall [HOOK...] [--repo DIR | --global]`; see
// hook/install.hpp for what they do to the hooks directory.
Command add_install_command(CLI::App& parent);
Command add_uninstall_command(CLI::App& parent);

}  // namespace tg
