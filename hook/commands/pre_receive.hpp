#pragma once

#include "hook/commands/command.hpp"

namespace tg {

// `twilio-guard pre-receive`, the server hook: reads "<old> <new> <ref>"
// lines and scans the commits new to the repository (reachable from the new
// tips, from no existing ref), including objects still in the push
// quarantine. One dirty ref rejects the whole push.
//
// Never silently open: an internal error (missing objects, malformed input,
// an unreadable configuration) or an exhausted time budget rejects the push
// with the cause, unless the server's configuration says to let it through
// (server.on_error / server.on_timeout = "open"), which is then printed too.
// Findings can be let through with `git push -o twilio-guard.bypass=REASON`
// when server.allow_bypass_option is set; every bypass (marker, allowlist,
// push option) is appended to server.audit_log.
Command add_pre_receive_command(CLI::App& parent);

}  // namespace tg
