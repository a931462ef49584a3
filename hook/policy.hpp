// Applies the configuration to engine findings: disabled rules dropped,
// severity and blocking overridden, allowlisted fingerprints and values marked
// allowed, and findings under allowlisted paths (git wildmatch, as in
// .gitignore) marked allowed. The engine stays configuration-free.
#pragma once

#include "config/settings.hpp"
#include "hook/report.hpp"

#include <string>
#include <string_view>
#include <unordered_set>

namespace tg {

class Policy {
 public:
  explicit Policy(const Settings& settings);

  // False when the finding's rule is disabled and it must be dropped.
  bool apply(ReportedFinding& finding) const;

  const Settings& settings() const { return *m_settings; }

  // True when `fingerprint` is allowlisted (by fingerprint or by value), as
  // opposed to allowed by an inline marker; the audit log says which.
  bool allowlisted(const std::string& fingerprint) const { return m_allowed_fingerprints.contains(fingerprint); }
  // True when `path` (relative to the repository root) matches a path
  // allowlist entry.
  bool path_allowed(std::string_view path) const;

 private:
  const Settings* m_settings;
  // Fingerprints of allowlisted fingerprints and of allowlisted literal
  // values under every rule: a value is compared without being kept.
  std::unordered_set<std::string> m_allowed_fingerprints;
};

}  // namespace tg
