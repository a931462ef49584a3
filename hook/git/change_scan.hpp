// Scans a ChangeSet: each distinct blob is read and scanned once
// (deduplicated by object id), in parallel with one Scanner and one
// repository handle per worker; then every finding is attributed to the
// change that introduced it. A finding whose text the change's `before`
// blobs already held (the same path before, a rename's source) is not
// introduced and is dropped: only what a commit or push adds can block.
#pragma once

#include "core/scanner.hpp"
#include "hook/git/changes.hpp"
#include "hook/policy.hpp"

#include <functional>
#include <vector>

namespace tg::git {

struct ChangeScanOptions {
  RepositoryLocation location;  // each worker opens its own handle here
  Clock::time_point deadline = k_no_deadline;
  // Called from worker threads after each blob, with (done, total); must be
  // thread-safe. Empty: no progress.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct ChangeScanResult {
  // Introduced findings, each (fingerprint, path) once, at its first change
  // in the order of `changes` (parents before children).
  std::vector<ReportedFinding> findings;
  std::vector<Notice> notices;  // blobs not scanned: binary, too large
  Summary summary;
  bool timed_out = false;
  std::size_t blobs_total = 0;    // distinct blobs
  std::size_t blobs_scanned = 0;  // distinct blobs read before the deadline
};

// `scanners` holds one Scanner per worker (its size is the worker count).
// Fails when an object cannot be read: missing objects are never skipped.
Result<ChangeScanResult> scan_changes(const ChangeSet& changes, const Policy& policy,
                                      std::vector<Scanner>& scanners, const ChangeScanOptions& options);

}  // namespace tg::git
