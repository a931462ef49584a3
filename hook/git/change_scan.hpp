// Scans a ChangeSet: each distinct blob is read and scanned once
// (deduplicated by object id), in parallel with one Scanner and one
// repository handle per worker; then every finding is attributed to the
// change that introduced it. A finding whose text the change's `before`
// blobs already held (the same path before, a rename's source) is not
// introduced and is dropped: only what a commit or push adds can block.
#pragma once

#include "core/scanner.hpp"
#include "hook/git/changes.hpp"
#include "hook/git/new_objects.hpp"
#include "hook/policy.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tg::git {

// What a first pass over a push's new objects (scan_new_objects) found in
// each blob.
struct PrescannedBlob {
  std::uint64_t size = 0;
  bool clean = false;  // no finding and no notice: never read again
  // A blob that is not clean, as the first pass read it (while the kept
  // contents stay under a bound): scan_changes scans this copy instead of
  // reading the object again. Null: read it again.
  std::shared_ptr<const std::string> content;
};

// The first pass's PrescannedBlob of every new blob, by id, or of the
// suspects only with the clean ones counted (see
// ChangeScanOptions::lists_clean_blobs). A push may bring a million blobs:
// each costs 32 bytes here (a hash map's node and bucket cost 88), and the
// few kept contents are held beside them.
class PrescannedBlobs {
 public:
  // Filled by add() (any order; an id added again is kept once), then
  // finish() once; looked up after that.
  void reserve(std::size_t blobs) { m_blobs.reserve(blobs); }
  void add(const git_oid& id, const PrescannedBlob& blob);
  void finish();

  // Nothing: not a blob of the first pass.
  std::optional<PrescannedBlob> find(const git_oid& id) const;
  bool contains(const git_oid& id) const { return entry_of(id) != nullptr; }
  // There and not clean: what attribution must place.
  bool is_suspect(const git_oid& id) const {
    const Entry* entry = entry_of(id);
    return entry != nullptr && !entry->clean;
  }
  // Whether it was there.
  bool erase(const git_oid& id);
  // The content kept for a blob that is there: replaced, or dropped by null.
  void set_content(const git_oid& id, std::shared_ptr<const std::string> content);
  std::size_t size() const { return m_blobs.size(); }
  // visit(id, blob) for each blob, by id.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Entry& entry : m_blobs) visit(entry.id, *find(entry.id));
  }
  struct Totals {
    std::uint64_t blobs = 0;
    std::uint64_t bytes = 0;
  };
  Totals clean_totals() const;  // of the clean blobs, held or only counted
  // A clean blob counted instead of held: a walk that records only the
  // suspects (WalkOptions::records_blob) never looks it up. Unlike add(), a
  // blob in two of the quarantine's packs is counted twice.
  void count_clean(std::uint64_t size) {
    ++m_counted_clean.blobs;
    m_counted_clean.bytes += size;
  }

 private:
  struct Entry {
    git_oid id;
    bool clean;
    std::uint64_t size;
  };
  std::vector<Entry>::const_iterator lower_bound(const git_oid& id) const;
  const Entry* entry_of(const git_oid& id) const;  // null: not there

  std::vector<Entry> m_blobs;  // by id, once finished
  Totals m_counted_clean;
  std::unordered_map<git_oid, std::shared_ptr<const std::string>, OidHash, OidEqual> m_contents;
};

struct ChangeScanOptions {
  RepositoryLocation location;  // each worker opens its own handle here
  // Set: the caller's handle at `location`, used by the work done on the
  // calling thread (worker 0, attribution) instead of opening another. The
  // caller is blocked in the scan meanwhile, so the handle is never shared.
  git_repository* caller_repository = nullptr;
  Clock::time_point deadline = k_no_deadline;
  // Set: scan_changes looks for each blob as a loose object in this
  // directory first (LooseObjects), then through libgit2. For a client
  // hook, whose new blobs `git add` or `git commit` wrote loose.
  std::string loose_objects_directory;
  // Called from worker threads after each blob, with (done, total); must be
  // thread-safe. Empty: no progress.
  std::function<void(std::size_t, std::size_t)> progress;
  // Set: scan_changes considers only these blobs (the push's new ones) and
  // does not read the clean ones again; other blobs are left out.
  const PrescannedBlobs* prescanned = nullptr;
  // scan_new_objects only. False: its blobs' table holds only the suspects
  // and counts the clean blobs (PrescannedBlobs::clean_totals). Attribution
  // then leaves every other blob of the walk alone, as it does the blobs the
  // repository had already, and the caller adds the clean ones to its
  // summary. For a push: 32 bytes a blob less, and no lookup of each clean
  // blob the walk lists (a third of a millisecond for 717 of them).
  bool lists_clean_blobs = true;
  // scan_new_objects only. Set: called at most once, on the calling thread
  // and between two objects, once some object needs attribution, while the
  // other workers go on with the pass: the caller walks the commits there
  // instead of after the pass, on the core the pass would leave idle then.
  // Not called when the pass finds nothing to attribute, nor when it found
  // it too late for the calling thread to see before the pass ended.
  std::function<void()> on_needs_attribution;
};

struct ChangeScanResult {
  // Introduced findings, each (fingerprint, path) once, at its first change
  // in the order of `changes` (parents before children).
  std::vector<ReportedFinding> findings;
  std::vector<Notice> notices;  // blobs not scanned: binary, too large
  Summary summary;
  bool timed_out = false;
  bool walk_timed_out = false;    // stopped before listing every commit
  std::size_t blobs_total = 0;    // distinct blobs
  std::size_t blobs_scanned = 0;  // distinct blobs read before the deadline
};

// Scans a ChangeSet part by part, as a walk lists it (WalkOptions::on_batch):
// a blob is read once whatever part it appears in, and a finding is reported
// once per (fingerprint, path), at its first change. Between parts it keeps
// the id of each blob scanned and what the few with findings held, instead
// of every change of a long history at once.
class ChangeScan {
 public:
  // All three must outlive this object. `scanners`: one Scanner per worker
  // (its size is the worker count).
  ChangeScan(const Policy& policy, std::vector<Scanner>& scanners, const ChangeScanOptions& options);
  ~ChangeScan();
  ChangeScan(const ChangeScan&) = delete;
  ChangeScan& operator=(const ChangeScan&) = delete;

  // Scans the blobs and texts of `changes` that no earlier part held, then
  // attributes its findings. Fails when an object cannot be read: missing
  // objects are never skipped.
  Result<void> add(const ChangeSet& changes);
  // The result, once the last part was added; `changes` says whether the
  // walk stopped early.
  ChangeScanResult finish(const ChangeSet& changes);

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

// A whole ChangeSet through one ChangeScan.
Result<ChangeScanResult> scan_changes(const ChangeSet& changes, const Policy& policy,
                                      std::vector<Scanner>& scanners, const ChangeScanOptions& options);

struct NewObjectScan {
  PrescannedBlobs blobs;  // empty unless needs_attribution
  // The commits scanned whole and found clean, by id, when attribution is
  // needed: their messages need no second scan (WalkOptions::records_text),
  // nor do they need a place in the walk's ChangeSet. 20 bytes a commit.
  std::vector<git_oid> clean_commits;
  std::uint64_t clean_commit_bytes = 0;
  bool is_clean_commit(const git_oid& id) const {
    return std::binary_search(clean_commits.begin(), clean_commits.end(), id, OidLess{});
  }
  // A finding or a notice in some object: only scan_changes can say where
  // (path, commit) and whether the change introduced it.
  bool needs_attribution = false;
  bool timed_out = false;
  std::size_t objects_total = 0;
  std::size_t objects_scanned = 0;
  Summary summary;  // objects scanned and their bytes
  // Blocking findings of this pass, labelled with their object's id for a
  // path and without a commit. Reported only when the time budget stops the
  // attribution before it named them: a credential seen in the push is
  // never let through because there was no time left to say where it is.
  std::vector<ReportedFinding> unattributed_blocking;
};

// Scans each object's content once, in the order given (pack order reads
// delta bases once; packed objects are read by a PackReader per worker):
// blobs as files, commits and tags whole (their messages are what can hold
// a credential); trees are skipped. Paths are unknown here, so a finding is
// never reported from this pass; it only says that attribution is needed.
Result<NewObjectScan> scan_new_objects(const QuarantineObjects& objects, const Policy& policy,
                                       std::vector<Scanner>& scanners, const ChangeScanOptions& options);

// When the time budget stopped `result` (either pass) before it attributed
// any blocking finding, adds the first pass's blocking findings to it:
// with server.on_timeout = open, "no time left to say where" must not turn
// a credential seen in the push into an accepted push.
void block_on_unattributed(ChangeScanResult& result, const NewObjectScan& first_pass);

}  // namespace tg::git
