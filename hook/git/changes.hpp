// The git inputs: what a commit, a push or a history range adds, as a set of
// blob occurrences with provenance. Building a ChangeSet reads trees and
// commits only, never blob content; scanning (hook/git/change_scan.hpp)
// reads each distinct blob once.
//
// Why it is shaped this way: a push's cost must grow with its new content,
// not with its number of commits times the size of the tree. Each new commit
// is diffed tree-to-tree against its parents (identical subtrees are skipped
// by id, no rename detection, no binary check), so only changed entries are
// visited. For each added or modified blob we also remember what the change
// replaced or removed (`before`), so that a credential that was already
// there, or was moved by a rename, is not reported as introduced.
#pragma once

#include "core/error.hpp"
#include "hook/git/libgit2.hpp"
#include "hook/git/trees.hpp"
#include "hook/report.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace tg::git {

// Who introduced a change: a commit or a tag (with the ref it arrived on)
// or, for the staged index, nothing.
struct ChangeSource {
  // A commit, described (author, date) only when a finding is reported in it
  // (describe_source): a push walks every commit it adds to name one or two,
  // and describing each cost more memory and time than the rest of its
  // listing (BENCHMARKS.md).
  std::optional<git_oid> commit;
  std::shared_ptr<const CommitInfo> tag;  // a tag's, described as it was read
  std::string ref;
};

// What a report says of `source`'s commit or tag; nullopt for neither. A
// commit is read through `repository`.
Result<std::optional<CommitInfo>> describe_source(git_repository* repository, const ChangeSource& source);

// One place where a blob enters: `path` in the change of `source`.
struct BlobOccurrence {
  git_oid blob{};
  std::string path;
  std::uint32_t source = 0;
  // Blobs at `path` before the change (the parent's, or every parent's for a
  // merge); checked first.
  std::vector<git_oid> same_path_before;
  // Index into ChangeSet::before_sets: every blob the same change removed or
  // replaced (a rename's source among them).
  std::uint32_t before_set = 0;
};

// Text that is not a blob but arrives with a push: commit and tag messages.
struct TextOccurrence {
  std::string content;
  std::string path;  // "<commit message>", "<tag message v1.0>"
  std::uint32_t source = 0;
};

struct ChangeSet {
  std::vector<ChangeSource> sources;
  std::vector<BlobOccurrence> blobs;
  std::vector<std::vector<git_oid>> before_sets;
  std::vector<TextOccurrence> texts;
  std::vector<Notice> notices;  // entries not scanned (submodules)
  std::uint64_t commits = 0;
  bool timed_out = false;  // enumeration stopped at the deadline: incomplete
  std::unordered_set<git_oid, OidHash, OidEqual> seen_commits;
};

using Clock = std::chrono::steady_clock;
constexpr Clock::time_point k_no_deadline = Clock::time_point::max();

// How the staged index is compared with HEAD.
enum class StagedDiff {
  // Read the index file directly (hook/git/index_file.hpp; libgit2's index
  // when the reader declines it), hash its directories into tree ids in
  // memory (what `git write-tree` would write) and open only the HEAD trees
  // whose ids differ: the cost grows with what is staged, not with the size
  // of the tree. An index with unmerged entries falls back to libgit2_diff.
  index_trees,
  // The same with libgit2's index; the tests' reference for the reader.
  libgit2_index_trees,
  // libgit2's git_diff_tree_to_index, which reads every tree of HEAD. The
  // reference the tests compare index_trees against.
  libgit2_diff,
};

// The staged index against HEAD (against the empty tree before the first
// commit): blobs added or modified. The index is the one git's environment
// names (GIT_INDEX_FILE during `git commit FILE` and `git commit -a`).
Result<void> add_staged_changes(git_repository* repository, ChangeSet& changes,
                                StagedDiff method = StagedDiff::index_trees);

// A commit range: commits reachable from `tips` and from no `hidden` commit
// and no reference matching a `hidden_globs` entry (fnmatch on full names,
// e.g. "refs/*", "refs/remotes/origin/*"). Commits already in
// `changes.seen_commits` are skipped, so several ranges can share one set.
struct CommitRange {
  std::vector<git_oid> tips;
  std::vector<git_oid> hidden;
  std::vector<std::string> hidden_globs;
  std::string ref;  // labels the commits' provenance
};

struct WalkOptions {
  // Stop, setting `changes.timed_out`, when it passes.
  Clock::time_point deadline = k_no_deadline;
  // Trees to read from memory before the object database (a push's new
  // trees, git::preload_walk_objects); may be null.
  const PreloadedTrees* trees = nullptr;
  // Set: a changed blob is recorded (with what it replaced) only when this
  // accepts its id. A push whose first pass suspects a few of its million
  // blobs needs only those attributed: recording every change kept about
  // 250 bytes a blob (its path, what it replaced), over the memory bound.
  std::function<bool(const git_oid&)> records_blob;
  // Set: a commit's message is recorded only when this accepts the commit's
  // id (a push's first pass found the others clean). With records_blob set,
  // a commit that records neither a blob nor its message leaves no source
  // behind: a push of 200,000 commits keeps the few that attribution needs.
  std::function<bool(const git_oid& commit)> records_text;
  // Set: called after a commit once `changes` holds `batch_blobs` blob
  // occurrences or more; the walk then empties its blobs, texts, before
  // sets and notices (not its sources: their indexes stay valid). A caller
  // scans a long history part by part (ChangeSet's parts through one
  // ChangeScan) instead of holding every change of it at once: about 250
  // bytes a new blob.
  std::function<Result<void>(const ChangeSet&)> on_batch;
  std::size_t batch_blobs = 65536;
};

// Adds every commit of `range`, parents before children, with what each one
// introduces relative to its parents (relative to all of them for a merge,
// so that content made up in a merge resolution is caught) and its message.
Result<void> add_commit_range(git_repository* repository, const CommitRange& range,
                              ChangeSet& changes, const WalkOptions& options = {});

// For a pushed or scanned ref target: peels annotated tags (adding their
// messages as text to scan) and returns the commit to walk. A tag of a tree
// or a blob adds that content directly and returns nullopt.
Result<std::optional<git_oid>> add_ref_target(git_repository* repository, const git_oid& target,
                                              const std::string& ref, ChangeSet& changes);

// Full names of every reference, for "--all".
Result<std::vector<std::string>> reference_names(git_repository* repository);

}  // namespace tg::git
