// The scanner: feeds a buffer to Hyperscan, hands the hits to the confirm
// stage, and turns candidates into Findings (line, column, allow marker,
// redaction, fingerprint) for a sink.
//
// One Scanner per thread: it owns Hyperscan scratch space and reusable hit
// and candidate vectors, so scanning allocates nothing on clean input.
#pragma once

#include "core/confirm.hpp"
#include "core/error.hpp"
#include "core/finding.hpp"
#include "core/pattern_db.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tg {

struct ScanOptions {
  // Text that, on the credential's line, marks a finding allowed. Empty: no
  // inline marker counts.
  std::vector<std::string> allow_markers = {"twilio-guard:allow"};
};

class Scanner {
 public:
  static Result<Scanner> create(const PatternDatabase& database, ScanOptions options = {});

  // Reports every credential in `data` to `sink`, in order of offset. Fails
  // only when Hyperscan does (or `data` is larger than 4 GiB).
  Result<void> scan(std::string_view data, FindingSink& sink);

  // Convenience for callers that want a vector.
  Result<std::vector<Finding>> scan(std::string_view data);

  const ScanOptions& options() const { return m_options; }

 private:
  Scanner(const PatternDatabase& database, HsScratchPtr scratch, ScanOptions options)
      : m_database(&database), m_scratch(std::move(scratch)), m_options(std::move(options)) {}

  bool line_has_allow_marker(std::string_view line) const;

  const PatternDatabase* m_database;
  HsScratchPtr m_scratch;
  ScanOptions m_options;
  std::vector<TriggerHit> m_hits;
  std::vector<Candidate> m_candidates;
};

// Collects findings into a vector.
class VectorSink final : public FindingSink {
 public:
  void on_finding(const Finding& finding) override { findings.push_back(finding); }
  std::vector<Finding> findings;
};

}  // namespace tg
