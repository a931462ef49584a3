// Builds the effective Settings from the configuration layers, later ones
// refining earlier ones:
//   built-in defaults (config/settings.hpp)
//   system      $TWILIO_GUARD_SYSTEM_CONFIG or /etc/twilio-guard/config.toml
//   user        $XDG_CONFIG_HOME/twilio-guard/config.toml (~/.config/...)
//   repository  .twilio-guard.toml at the repository root
//   --config FILE
// and the command-line flags, which the caller applies (settings_for).
//
// Trust. On a client the system file may list keys under `enforce`; user,
// repository and --config files may then tighten those keys but never relax
// them. On the server (pre-receive) the repository file arrives with the push
// and is written by the pusher: it is not read unless the server sets
// `server.trust_repository_allowlists`, and even then it may only add
// allowlist entries (no catch-all path patterns); everything else in it is
// ignored and said so in `Settings::provenance.notes`. The server reads it
// after every trusted file, so nothing trusted depends on it.
//
// Every file is parsed completely: unknown keys, wrong types and bad values
// are ErrorKind::config errors whose message starts with `file:line:column:
// key:`. Absent files cost one stat() each and nothing else.
#pragma once

#include "config/settings.hpp"
#include "core/error.hpp"

#include <optional>
#include <string>

namespace tg {

struct ConfigSources {
  std::optional<std::string> explicit_file;    // --config FILE
  std::optional<std::string> repository_root;  // where .twilio-guard.toml may be
  bool server = false;  // pre-receive: repository files are untrusted
  // The repository file's content when it is not a file on disk (pre-receive
  // reads it from the pushed tree); `repository_label` names it in messages.
  std::optional<std::string> repository_text;
  std::string repository_label = ".twilio-guard.toml";
};

inline constexpr const char* k_repository_config_name = ".twilio-guard.toml";

Result<Settings> load_settings(const ConfigSources& sources);

// The system and user file locations after the environment overrides
// (TWILIO_GUARD_SYSTEM_CONFIG; XDG_CONFIG_HOME, HOME). Empty: no such layer.
std::string system_config_path();
std::string user_config_path();

// The nearest directory at or above `start` that holds a `.git` entry (a
// working tree or a bare repository's parent is not one). Stats only.
std::optional<std::string> find_repository_root(const std::string& start);

// Parses `path` as a system file would be (every key allowed) and reports the
// first error; for `twilio-guard config --check`.
Result<Settings> check_config_file(const std::string& path);

// The effective configuration as TOML, each value followed by a comment
// saying where it came from; for `twilio-guard config`.
std::string render_settings(const Settings& settings);

}  // namespace tg
