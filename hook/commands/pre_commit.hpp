#pragma once

#include "hook/commands/command.hpp"

namespace tg {

// `twilio-guard pre-commit`: scans the staged blobs (the index against HEAD,
// against the empty tree before the first commit), never the working tree.
// Only credentials the commit introduces block: one already in HEAD's
// version of the file, or moved by a rename, does not. Exit 0 clean, 1
// blocked. Returns before loading anything when nothing is staged.
Command add_pre_commit_command(CLI::App& parent);

}  // namespace tg
