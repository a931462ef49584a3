// The effective configuration as a plain struct. TOML is parsed in one place
// (config/load.cpp) into this struct; nothing else sees a toml::table. Every
// default lives here and a test pins them.
#pragma once

#include "core/rule.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tg {

enum class OutputFormat { text, json, sarif };
enum class ColorMode { automatic, always, never };
enum class BinaryHandling { skip, scan };
// What a server does when something goes wrong or time runs out.
enum class FailMode { closed, open };

struct RuleSettings {
  bool enabled = true;
  std::optional<Severity> severity;  // nullopt: the rule's default
  std::optional<bool> blocking;      // nullopt: the rule's default
};

struct AllowlistEntry {
  std::string pattern;  // path wildmatch, fingerprint or literal value
  std::string reason;   // required
  std::string source;   // "file:line" where the entry was defined
};

struct ServerSettings {
  std::uint32_t time_budget_ms = 4000;  // leaves headroom under GHES's 5 s
  FailMode on_timeout = FailMode::closed;
  FailMode on_error = FailMode::closed;
  bool allow_bypass_option = false;  // honour `git push -o twilio-guard.bypass=...`
  std::string audit_log;             // empty: no audit log
  bool trust_repository_allowlists = false;  // let a pushed .twilio-guard.toml add allowlist entries
  // Also scan blobs the server already stores when a push references them
  // again (walks every new commit's trees); false scans the objects the push
  // brings (hook/git/new_objects.hpp).
  bool scan_known_objects = false;
};

// Where the effective values came from, for `twilio-guard config` and for
// warnings. Filled by config/load.cpp; nothing decides anything from it.
struct SettingsProvenance {
  std::vector<std::string> files_read;       // configuration files applied, in order
  std::map<std::string, std::string> origin;  // key -> "default" or "file:line"
  std::vector<std::string> enforced;         // keys the system file enforces
  std::vector<std::string> notes;            // untrusted settings that were ignored, and why
};

struct Settings {
  std::array<RuleSettings, k_rule_count> rules{};
  std::vector<AllowlistEntry> allow_paths;
  std::vector<AllowlistEntry> allow_fingerprints;
  std::vector<AllowlistEntry> allow_values;
  std::vector<std::string> allow_markers = {"twilio-guard:allow"};
  std::uint64_t max_file_size = 10ull * 1024 * 1024;
  BinaryHandling binary = BinaryHandling::skip;
  OutputFormat format = OutputFormat::text;
  ColorMode color = ColorMode::automatic;
  ServerSettings server;
  std::string extra_remediation;  // appended to every block message
  SettingsProvenance provenance;
};

}  // namespace tg
