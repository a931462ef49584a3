#include "hook/policy.hpp"

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
  if (m_allowed_fingerprints.contains(finding.fingerprint)) finding.allowed = true;
  return true;
}

}  // namespace tg
