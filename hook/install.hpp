// Installing the hooks into repositories, and taking them out again.
//
// With nothing to chain, pre-commit and pre-receive are direct hook files,
// "#!<binary> run-hook": git's exec of the hook starts twilio-guard, with no
// shell in between. pre-push keeps a script (install.cpp says why).
//
// A hook that is already there is never overwritten: it is renamed to
// `<hook>.twilio-guard-chained` (rename keeps its bytes, mode and times) and
// the installed script runs it first, with the same arguments and standard
// input, then twilio-guard; the hook fails when either does. Installing again
// only refreshes the script. Uninstalling removes the script and renames the
// chained hook back, so the directory is byte for byte what it was (a hooks
// directory created by install is removed again when left empty).
//
// The hooks directory is where git looks: `git rev-parse --git-path hooks`,
// which honours `core.hooksPath` (relative values resolved as git does) and
// linked worktrees. `--global` installs into the user's global
// `core.hooksPath` when one is set, and otherwise into
// $XDG_CONFIG_HOME/twilio-guard/hooks, which it sets as the global
// `core.hooksPath`; those scripts also run each repository's own
// `$GIT_DIR/hooks/<hook>`, which a global hooks path would otherwise hide.
#pragma once

#include "core/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tg {

inline constexpr std::string_view k_hook_marker = "# twilio-guard-managed-hook";
inline constexpr std::string_view k_chained_suffix = ".twilio-guard-chained";

struct InstallRequest {
  std::vector<std::string> hooks;         // empty: pre-commit and pre-push, or pre-receive in a bare repository
  std::optional<std::string> repository;  // default: the current directory
  bool global = false;
  std::string binary;                     // absolute path the scripts run
};

struct InstallAction {
  std::string path;  // the hook file
  std::string what;  // what was done, for the user
};

// What `twilio-guard install` does. Usage errors for unknown hook names and
// non-repositories; runtime errors for file system and git failures.
Result<std::vector<InstallAction>> install_hooks(const InstallRequest& request);

// What `twilio-guard uninstall` does; with no hooks named, every hook it
// installed. A hook file not installed by twilio-guard is left alone.
Result<std::vector<InstallAction>> uninstall_hooks(const InstallRequest& request);

enum class ScriptMode {
  direct,      // nothing to chain: "#!<binary> run-hook", no shell in between
  repository,  // chains to <hook>.twilio-guard-chained beside it
  global,      // also runs the repository's own $GIT_DIR/hooks/<hook>
};

// The hook file for `hook` that runs `binary`.
std::string hook_script(std::string_view hook, std::string_view binary, ScriptMode mode,
                        bool created_directory);

// Whether the kernel can start `binary` from a "#!" line unchanged: an
// absolute path without blanks (the kernel splits the line at the first one)
// and a line within the 127 bytes older kernels read.
bool fits_interpreter_line(std::string_view binary);

// The first argument of a direct hook file: git executes the file, the
// kernel starts `<binary> run-hook <hook file> <git's arguments>`.
inline constexpr std::string_view k_run_hook_command = "run-hook";

// For `run-hook HOOK_FILE ARGS...`: the hook HOOK_FILE is named after
// (pre-commit, pre-push or pre-receive). Usage error for any other name.
Result<std::string_view> hook_named_by_file(std::string_view hook_file);

}  // namespace tg
