// Git tree objects read in place, without libgit2's git_tree.
//
// Why: a push's commit walk opens every tree the push adds (about 1,700 for
// 200 commits of the benchmark history). Through libgit2 each one is copied
// out of the object database, parsed into a cached git_tree and searched by
// name: 3 us a tree, most of the walk. Parsing the stored bytes where they
// lie and walking two sorted entry lists in step costs a fraction of that.
// A push's new trees are inflated once, in pack order, into PreloadedTrees;
// the server's older trees (a parent's, a merge's other side) are read
// through the object database. A pre-commit's HEAD trees are read from the
// repository's packs with pread (PackedObjects), and through the object
// database when they are not there.
#pragma once

#include "core/error.hpp"
#include "hook/git/libgit2.hpp"
#include "hook/git/packed_objects.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tg::git {

// One entry of a tree object; `name` points into the tree's data.
struct TreeEntry {
  std::string_view name;
  git_oid id{};
  // Normalised as libgit2 reports it (git_tree_entry_filemode): a blob with
  // any execute bit is 100755, any other blob 100644.
  std::uint32_t mode = 0;

  bool is_tree() const { return mode == GIT_FILEMODE_TREE; }
};

// The entries of the tree object `data`, in stored order. Fails on a
// truncated or malformed entry. An unsorted tree is not an error here: the
// diff then sees extra additions, which means scanning more, never less.
Result<std::vector<TreeEntry>> parse_tree(std::string_view data);

// The entry of tree object `data` that starts at `position` (an entry's
// start), and `position` moved past it; nullopt at the end of the data.
// Fails as parse_tree does.
Result<std::optional<TreeEntry>> next_tree_entry(std::string_view data, std::size_t& position);

// git's tree order: bytewise, a directory's name followed by '/'.
int tree_order(std::string_view a, bool a_is_tree, std::string_view b, bool b_is_tree);

// Trees held in memory by id (a push's new trees), in one buffer.
class PreloadedTrees {
 public:
  // Tree `id` is `content`; the first content added for an id is kept.
  void add(const git_oid& id, std::string_view content);
  // Tree `id` is bytes [offset, offset + size) of buffer(), which a caller
  // may have appended to directly (PackReader::append).
  void add_at(const git_oid& id, std::size_t offset, std::size_t size);
  std::string& buffer() { return m_data; }
  // The content of tree `id`, or nullopt when it is not held. Valid while
  // this object lives and its buffer grows no further (add(), or a caller
  // appending to buffer()).
  std::optional<std::string_view> find(const git_oid& id) const;
  std::size_t count() const { return m_count; }
  std::uint64_t bytes() const { return m_data.size(); }

  // Where trees that are not held may be read from, ahead of libgit2 (the
  // pack they would have been preloaded from): a copy of tree `id`, or
  // nullopt to leave it to libgit2. Called on the walk's thread only.
  using UnheldReader = std::function<std::optional<std::string>(const git_oid& id)>;
  void read_unheld_with(UnheldReader reader) { m_unheld_reader = std::move(reader); }
  std::optional<std::string> read_unheld(const git_oid& id) const {
    return m_unheld_reader ? m_unheld_reader(id) : std::nullopt;
  }

 private:
  // An open-addressed table (linear probing, at most half full): a push's
  // walk looks trees up thousands of times, and a node-based map cost an
  // allocation per tree and a cache miss per step.
  struct Slot {
    static constexpr std::uint64_t k_empty = UINT64_MAX;
    git_oid id{};
    std::uint64_t offset = k_empty;
    std::uint64_t size = 0;
  };
  std::size_t slot_of(const git_oid& id) const;  // where `id` is, or the empty slot it would take
  void grow();

  std::string m_data;
  std::vector<Slot> m_slots;  // a power of two in size, or empty
  std::size_t m_count = 0;
  UnheldReader m_unheld_reader;
};

// A tree object's data and what keeps it alive.
struct TreeData {
  std::string_view data;
  // What `data` points into: neither when the tree is preloaded.
  OdbObjectPtr storage;
  std::unique_ptr<const std::string> packed;
};

// A parsed tree and what keeps its entries' names alive.
struct Tree {
  std::vector<TreeEntry> entries;
  // What the entries' names point into: neither when the data is preloaded.
  OdbObjectPtr storage;
  std::unique_ptr<const std::string> packed;
};

// Reads trees: preloaded ones in place, the others through the repository's
// object database. One thread's object, like the repository handle.
class TreeReader {
 public:
  // How trees and commits that are not preloaded are read.
  //
  // NOTE: pread serves a pre-commit, whose process reads nothing else from
  // the packs (0.9 ms of 7.8 saved, BENCHMARKS.md). A push's walk has
  // libgit2 map the server's pack for its commits anyway, and its older
  // trees come in delta chains that libgit2's delta-base cache serves:
  // replayed pushes were 0.25-0.45 ms slower with pread.
  enum class PackReads { libgit2, pread };

  // `preloaded` may be null; it must outlive the reader.
  static Result<TreeReader> open(git_repository* repository, const PreloadedTrees* preloaded = nullptr,
                                 PackReads pack_reads = PackReads::libgit2);

  Result<Tree> read(const git_oid& id) const;
  // The tree's data, not parsed.
  Result<TreeData> read_data(const git_oid& id) const;

  // The tree of commit `id` (a commit, or a tag that leads to one).
  Result<git_oid> commit_tree(const git_oid& id) const;

  // The entry at `path` ("dir/sub/file") under tree `root`; nullopt when no
  // such entry exists. Its `name` is empty (the tree it named is gone).
  Result<std::optional<TreeEntry>> entry_at_path(const git_oid& root, std::string_view path) const;

 private:
  TreeReader(git_repository* repository, OdbPtr odb, std::unique_ptr<PackedObjects> packed,
             const PreloadedTrees* preloaded)
      : m_repository(repository), m_odb(std::move(odb)), m_packed(std::move(packed)), m_preloaded(preloaded) {}

  git_repository* m_repository;
  OdbPtr m_odb;
  std::unique_ptr<PackedObjects> m_packed;  // null unless PackReads::pread; const reads use its buffers
  const PreloadedTrees* m_preloaded = nullptr;
};

// Reads, breadth first, the trees of the commits `tips` into `into`, until
// `stop` is set, `into` holds `max_bytes` or nothing is left; stops quietly
// at anything it cannot read (whoever needs that tree reads it again and
// says what is wrong). For a push's old ref targets, on the core that is
// idle while the quarantine is listed: a push's first commits are diffed
// against the server's versions of the directories they touch, which the
// walk otherwise read one by one through libgit2's delta chains (193 trees,
// 0.7 ms of the benchmark's tip window).
void prefetch_commit_trees(git_repository* repository, const std::vector<git_oid>& tips,
                           const std::atomic<bool>& stop, std::uint64_t max_bytes, PreloadedTrees& into);

}  // namespace tg::git
