// What the engine reports: one credential at one place in one buffer. A
// Finding holds no credential text, only a redacted form and a fingerprint,
// so nothing downstream (printers, logs, audit) can print one in full.
#pragma once

#include "core/rule.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tg {

struct Finding {
  RuleId rule = RuleId::account_sid;
  Severity severity = Severity::info;
  bool blocking = false;
  bool allowed = false;       // an allow marker stands on the credential's line
  bool decoded = false;       // found by decoding base64 text at this place
  std::size_t offset = 0;     // byte offset of the credential's text in the buffer
  std::size_t length = 0;     // bytes of that text (the base64 text when decoded)
  std::uint32_t line = 0;     // 1-based
  std::uint32_t column = 0;   // 1-based, counted in Unicode code points
  std::string redacted;       // a few leading and trailing characters, safe to print
  std::string fingerprint;    // stable hash of rule and credential, for allowlists
};

// Consumer of findings (printers, collectors). Receives findings of one buffer
// in order of offset.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void on_finding(const Finding& finding) = 0;
};

// Keeps at most a few leading and trailing characters of `credential`.
std::string redact(std::string_view credential);

// 16 hex characters of SHA-256 over "rule-name:credential".
std::string fingerprint(RuleId rule, std::string_view credential);

}  // namespace tg

namespace tg {
// A finding stops the commit or push when its rule blocks and no allow marker
// or allowlist entry covers it.
inline bool blocks(const Finding& finding) { return finding.blocking && !finding.allowed; }
}  // namespace tg
