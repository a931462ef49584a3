#include "hook/policy.hpp"

#include "util/wildmatch.hpp"

#include <algorithm>

namespace tg {

Policy::Policy(const Settings& settings) : m_settings(&settings) {
  for (const AllowlistEntry& entry : settings.allow_fingerprints) {
    m_allowed_fingerprints.insert(entry.pattern);
  }
  for (const AllowlistEntry& entry : settings.allow_values) {
    for (const Rule& info : all_rules()) {
      m_allowed_fingerprints.insert(fingerprint(info.id, entry.pattern));
    }
  }
}

bool Policy::apply(ReportedFinding& reported) const {
  Finding& finding = reported.finding;
  const RuleSettings& rule_settings = m_settings->rules[static_cast<std::size_t>(finding.rule)];
  if (!rule_settings.enabled) return false;
  if (rule_settings.severity) finding.severity = *rule_settings.severity;
  if (rule_settings.blocking) finding.blocking = *rule_settings.blocking;
  if (m_allowed_fingerprints.contains(finding.fingerprint) || path_allowed(reported.where.path)) {
    finding.allowed = true;
  }
  return true;
}

bool Policy::path_allowed(std::string_view path) const {
  return std::any_of(m_settings->allow_paths.begin(), m_settings->allow_paths.end(),
                     [&](const AllowlistEntry& entry) { return path_matches(entry.pattern, path); });
}

}  // namespace tg
