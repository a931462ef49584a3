// Builds the effective Settings from the configuration layers: built-in
// defaults, system, user, repository, --config FILE, then command-line flags
// (applied by the caller).
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
};

Result<Settings> load_settings(const ConfigSources& sources);

}  // namespace tg
