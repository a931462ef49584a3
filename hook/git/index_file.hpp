// git's index file read directly, for the pre-commit's staged diff.
//
// Why not libgit2's git_index: it verifies the file's SHA-1 and builds a hash
// map of every entry, 48 M instructions for a 10,000-file index, a third of a
// pre-commit; git itself reads the same index in about 2 M (it does not
// verify the checksum either). This reader takes only what the staged diff
// needs, and declines anything it does not handle so that the caller falls
// back to libgit2.
#pragma once

#include <git2.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tg::git {

struct IndexEntry {
  std::string_view path;  // NUL-terminated inside IndexFile::bytes
  git_oid id{};
  std::uint32_t mode = 0;
  unsigned stage = 0;  // 0, or 1-3 for an unmerged path
  bool intent_to_add = false;
};

// A directory's entry in the index's cache tree (the "TREE" extension): the
// id `git write-tree` gives the `entries` index entries under it. git keeps
// it valid for directories nothing was staged in since the last write-tree,
// and `git commit` writes the commit's tree from it.
struct CachedTree {
  git_oid id{};
  std::size_t entries = 0;
};

struct IndexFile {
  // Owns what the entries' paths point into; never short enough for the
  // string to hold it inline (an index is at least 32 bytes), so moves keep it.
  std::string bytes;
  std::vector<IndexEntry> entries;
  // Valid cache-tree entries by directory path with a trailing '/' ("" for
  // the root); empty when the index has none or it does not parse.
  std::unordered_map<std::string, CachedTree> cache_tree;
};

// The entries of the index at `path`, in index order; none when the file does
// not exist (git's state before the first `git add`). nullopt when the file is
// not a plain version 2 or 3 index (version 4, a split or sparse index) or is
// unreadable, truncated or out of order: libgit2 then reads it and reports
// what is wrong.
std::optional<IndexFile> read_index_file(const std::string& path);

}  // namespace tg::git
