// Owning handles and small helpers around libgit2. Every libgit2 object the
// hook holds lives in one of these unique_ptrs; nothing else calls *_free.
// Errors are read from git_error_last() right after the failing call (it is
// per thread) and become an Error the user can act on.
#pragma once

#include "core/error.hpp"
#include "hook/report.hpp"
#include "util/big_endian.hpp"

#include <git2.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tg::git {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* handle) const { Free(handle); }
};

using RepositoryPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;
using TagPtr = std::unique_ptr<git_tag, Deleter<git_tag, git_tag_free>>;
using IndexPtr = std::unique_ptr<git_index, Deleter<git_index, git_index_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using RevwalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
using OdbPtr = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;
using OdbObjectPtr = std::unique_ptr<git_odb_object, Deleter<git_odb_object, git_odb_object_free>>;
using RemotePtr = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using StrArray = std::unique_ptr<git_strarray, Deleter<git_strarray, git_strarray_dispose>>;
using ReferencePtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using ReferenceIteratorPtr =
    std::unique_ptr<git_reference_iterator, Deleter<git_reference_iterator, git_reference_iterator_free>>;

// Initialises libgit2 for the life of the object and turns off re-hashing of
// every object read.
// NOTE: strict hash verification makes libgit2 about 3x slower than git at
// reading blobs; git itself does not verify on read either (fsck does).
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

// An Error of kind runtime: "`what`: <libgit2's message>".
Error error_from_git(std::string_view what);

// Where the repository is. `path` empty: as git's environment says (GIT_DIR,
// GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES,
// which is how a pre-receive hook sees the push quarantine), else discovered
// from the current directory. `path` set: discovered from there.
struct RepositoryLocation {
  std::string path;
};

// Opens a new handle each call: libgit2 handles are not shared across threads.
Result<RepositoryPtr> open_repository(const RepositoryLocation& location);

// The repository's own object directory, "<common git dir>/objects", as
// libgit2 finds it without the environment's overrides; libgit2 itself also
// reads those and the alternates.
std::string own_objects_directory(git_repository* repository);

// The pack directories ("<objects>/pack") of a push's quarantine when the
// environment names one (GIT_OBJECT_DIRECTORY, GIT_QUARANTINE_PATH), then
// the repository's own: where the objects of a hook's walk are, for readers
// that go around libgit2. An object is its id's content wherever it is
// found; libgit2 reads what none of these holds (alternates, loose objects).
std::vector<std::string> pack_directories(git_repository* repository);

std::string to_hex(const git_oid& id);
bool is_zero(const git_oid& id);
// Parses 40 hex digits; nullopt otherwise.
std::optional<git_oid> parse_oid(std::string_view hex);

// The empty tree's id, for diffs of root commits and first commits.
const git_oid& empty_tree_id();

// ISO 8601 with the signer's offset, e.g. 2026-11-22T08:15:00+01:00.
std::string format_time(const git_time& when);

// Id, "Name <email>" and ISO 8601 date (with the author's offset) of `commit`.
CommitInfo commit_info(const git_commit* commit);

// Reads object `id` from `odb`.
Result<OdbObjectPtr> read_object(git_odb* odb, const git_oid& id);

// Size of object `id` without reading its content (for a deltified object,
// from the delta's header), so that an oversized blob is never inflated.
Result<std::uint64_t> object_size(git_odb* odb, const git_oid& id);

struct OidHash {
  std::size_t operator()(const git_oid& id) const noexcept;
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept {
    return git_oid_equal(&a, &b) != 0;
  }
};
// git_oid_cmp's order, for sorting and searching a million ids: the first 8
// bytes compared as one integer, not a call to memcmp per comparison.
struct OidLess {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept {
    const std::uint64_t left = read_be64(a.id);
    const std::uint64_t right = read_be64(b.id);
    if (left != right) return left < right;
    return std::memcmp(a.id + 8, b.id + 8, GIT_OID_RAWSZ - 8) < 0;
  }
};

}  // namespace tg::git
