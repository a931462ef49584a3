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
  // Findings reported per buffer at most; blocking ones are kept first. Bounds
  // memory and output when a pushed file holds a million fake SIDs.
  std::size_t max_findings = 1000;
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
  // Findings of the last scan that were not reported because of max_findings.
  std::size_t last_scan_omitted() const { return m_omitted; }

 private:
  Scanner(const PatternDatabase& database, HsScratchPtr scratch, ScanOptions options)
      : m_database(&database), m_scratch(std::move(scratch)), m_options(std::move(options)) {}

  bool line_has_allow_marker(std::string_view line) const;

  const PatternDatabase* m_database;
  HsScratchPtr m_scratch;
  ScanOptions m_options;
  std::vector<TriggerHit> m_hits;
  std::vector<Candidate> m_candidates;
  std::size_t m_omitted = 0;
};

// Collects findings into a vector.
class VectorSink final : public FindingSink {
 public:
  void on_finding(const Finding& finding) override { findings.push_back(finding); }
  std::vector<Finding> findings;
};

}  // namespace tg
