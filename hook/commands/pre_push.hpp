#pragma once

#include "hook/commands/command.hpp"

namespace tg {

// `twilio-guard pre-push REMOTE URL`, with git's standard input
// ("<local-ref> <local-id> <remote-ref> <remote-id>" per line): scans the
// commits each updated ref would send that the remote does not have yet, as
// far as this repository knows (the remote's old id and its remote-tracking
// refs, refs/remotes/REMOTE/*). Deletions pass. Exit 0 clean, 1 blocked.
Command add_pre_push_command(CLI::App& parent);

}  // namespace tg
