#include "hook/git/changes.hpp"

#include "hook/git/index_file.hpp"
#include "hook/git/trees.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>

#include <fnmatch.h>

namespace tg::git {
namespace {

bool is_blob_mode(std::uint32_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK;
}

git_diff_options diff_options() {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  // NOTE: without SKIP_BINARY_CHECK libgit2 loads both sides of every
  // modified blob to decide whether it is binary: a second read of each blob.
  options.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_INCLUDE_TYPECHANGE;
  return options;
}

// One changed path between two trees (or a tree and the index).
struct Delta {
  std::string path;
  git_oid old_id{};
  std::uint32_t old_mode = 0;  // 0: absent
  git_oid new_id{};
  std::uint32_t new_mode = 0;  // 0: absent
};

// Records what `deltas` add for `source`. `other_parents`: the tree ids of a
// merge's second and later parents; an entry equal to one of them came from
// that parent and was scanned (or accepted) there. `records_blob`, when set,
// says which new blobs to record (WalkOptions::records_blob).
Result<void> add_deltas(const TreeReader& trees, const std::vector<Delta>& deltas, std::uint32_t source,
                        const std::vector<git_oid>& other_parents, ChangeSet& changes,
                        const std::function<bool(const git_oid&)>& records_blob = {}) {
  const auto before_set = static_cast<std::uint32_t>(changes.before_sets.size());
  std::vector<git_oid> before;
  const std::size_t first_new = changes.blobs.size();
  for (const Delta& delta : deltas) {
    const bool old_blob = is_blob_mode(delta.old_mode);
    if (old_blob) before.push_back(delta.old_id);
    if (!is_blob_mode(delta.new_mode)) continue;  // deleted, or a submodule: not content
    if (old_blob && git_oid_equal(&delta.old_id, &delta.new_id)) continue;  // mode change only
    if (records_blob && !records_blob(delta.new_id)) continue;

    BlobOccurrence occurrence;
    occurrence.blob = delta.new_id;
    occurrence.path = delta.path;
    occurrence.source = source;
    occurrence.before_set = before_set;
    if (old_blob) occurrence.same_path_before.push_back(delta.old_id);
    bool from_other_parent = false;
    for (const git_oid& parent : other_parents) {
      auto entry = trees.entry_at_path(parent, occurrence.path);
      if (!entry) {
        return std::unexpected(Error{entry.error().kind, fmt::format("cannot read {} in a merge parent: {}",
                                                                     occurrence.path, entry.error().message)});
      }
      if (!*entry) continue;
      if (git_oid_equal(&(*entry)->id, &occurrence.blob)) {
        from_other_parent = true;
        break;
      }
      if (is_blob_mode((*entry)->mode)) occurrence.same_path_before.push_back((*entry)->id);
    }
    if (!from_other_parent) changes.blobs.push_back(std::move(occurrence));
  }
  if (changes.blobs.size() > first_new) changes.before_sets.push_back(std::move(before));
  return {};
}

std::vector<Delta> deltas_of(git_diff* diff) {
  std::vector<Delta> deltas;
  const std::size_t count = git_diff_num_deltas(diff);
  deltas.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    Delta out;
    out.path = delta->new_file.path != nullptr ? delta->new_file.path : delta->old_file.path;
    if (delta->status != GIT_DELTA_ADDED) {
      out.old_id = delta->old_file.id;
      out.old_mode = delta->old_file.mode;
    }
    if (delta->status != GIT_DELTA_DELETED) {
      out.new_id = delta->new_file.id;
      out.new_mode = delta->new_file.mode;
    }
    deltas.push_back(std::move(out));
  }
  return deltas;
}

// Calls `visit(old_entry, new_entry)` for every name of two entry lists
// sorted in git's tree order, in that order; a side without the name is
// null. Entries have `name`, `id` and `mode`.
template <typename OldEntries, typename NewEntries, typename Visit>
Result<void> walk_in_step(const OldEntries& old_entries, NewEntries& new_entries, Visit visit) {
  std::size_t old_position = 0;
  std::size_t new_position = 0;
  while (old_position < old_entries.size() || new_position < new_entries.size()) {
    const auto* old_entry = old_position < old_entries.size() ? &old_entries[old_position] : nullptr;
    auto* new_entry = new_position < new_entries.size() ? &new_entries[new_position] : nullptr;
    int order;
    if (old_entry == nullptr) order = 1;
    else if (new_entry == nullptr) order = -1;
    else order = tree_order(old_entry->name, old_entry->mode == GIT_FILEMODE_TREE, new_entry->name,
                            new_entry->mode == GIT_FILEMODE_TREE);
    if (order <= 0) ++old_position;
    else old_entry = nullptr;
    if (order >= 0) ++new_position;
    else new_entry = nullptr;
    if (auto visited = visit(old_entry, new_entry); !visited) return visited;
  }
  return {};
}

// Both sides of a name hold the same thing.
template <typename NewEntry>
bool unchanged(const TreeEntry* old_entry, const NewEntry* new_entry) {
  return old_entry != nullptr && new_entry != nullptr && git_oid_equal(&old_entry->id, &new_entry->id) &&
         old_entry->mode == new_entry->mode;
}

// A changed name that is not a directory on either side.
template <typename NewEntry>
Delta file_delta(std::string path, const TreeEntry* old_entry, const NewEntry* new_entry) {
  Delta delta{std::move(path), {}, 0, {}, 0};
  if (old_entry != nullptr) {
    delta.old_id = old_entry->id;
    delta.old_mode = old_entry->mode;
  }
  if (new_entry != nullptr) {
    delta.new_id = new_entry->id;
    delta.new_mode = new_entry->mode;
  }
  return delta;
}

std::string joined(const std::string& prefix, std::string_view name) {
  std::string path;
  path.reserve(prefix.size() + name.size() + 1);
  path += prefix;
  path += name;
  return path;
}

// How many bytes `a` and `b` share at their start; at their end (`from_end`).
std::size_t common_bytes(std::string_view a, std::string_view b, bool from_end) {
  const std::size_t most = std::min(a.size(), b.size());
  const char* x = from_end ? a.data() + a.size() - most : a.data();
  const char* y = from_end ? b.data() + b.size() - most : b.data();
  // Words first, then the bytes of the word that differs.
  std::size_t same = 0;
  while (same + 8 <= most) {
    const std::size_t at = from_end ? most - same - 8 : same;
    if (std::memcmp(x + at, y + at, 8) != 0) break;
    same += 8;
  }
  while (same < most) {
    const std::size_t at = from_end ? most - same - 1 : same;
    if (x[at] != y[at]) break;
    ++same;
  }
  return same;
}

// The entries of two versions of a tree that are not the same bytes in both:
// the entries both share at their start and at their end are left out
// (byte for byte the same: same name, mode and id). Why: a commit changes an
// entry or two of each tree it touches; the others need neither parsing nor
// comparing (BENCHMARKS.md, "Pushes"). The shared end is not parsed at all:
// a malformed entry there is in both versions and changes nothing.
struct DifferingEntries {
  std::vector<TreeEntry> old_entries;
  std::vector<TreeEntry> new_entries;
};
Result<DifferingEntries> differing_entries(std::string_view old_data, std::string_view new_data) {
  DifferingEntries differing;
  const std::size_t common_start = common_bytes(old_data, new_data, false);
  const std::size_t common_end = common_bytes(old_data, new_data, true);
  // The entries that end within the common start are the same on both
  // sides, so both sides' next entry starts at the same offset.
  std::size_t start = 0;
  for (std::size_t position = 0;;) {
    auto entry = next_tree_entry(new_data, position);
    if (!entry) return std::unexpected(entry.error());
    if (!*entry || position > common_start) break;
    start = position;
  }
  // From there, each side's entries until both have as many bytes left, all
  // within the common end: what is left is the same entries on both sides.
  // The side with more bytes left goes on; both when they have as many.
  std::size_t old_at = start;
  std::size_t new_at = start;
  auto take = [](std::string_view data, std::size_t& at, std::vector<TreeEntry>& entries) -> Result<void> {
    auto entry = next_tree_entry(data, at);
    if (!entry) return std::unexpected(entry.error());
    if (*entry) entries.push_back(**entry);
    return {};
  };
  while (true) {
    const std::size_t old_left = old_data.size() - old_at;
    const std::size_t new_left = new_data.size() - new_at;
    if (old_left == new_left && old_left <= common_end) return differing;
    if (old_left >= new_left) {
      if (auto taken = take(old_data, old_at, differing.old_entries); !taken) return std::unexpected(taken.error());
    }
    if (new_left >= old_left) {
      if (auto taken = take(new_data, new_at, differing.new_entries); !taken) return std::unexpected(taken.error());
    }
  }
}

// Tree-to-tree diff that opens only subtrees whose ids differ; a null id is
// an absent side.
// NOTE: libgit2's git_diff_tree_to_tree flattens both trees and compares
// every entry: 3000 one-file commits on a 5000-file tree took over 4 s. This
// walk visits only subtrees whose ids differ, so the cost of a commit grows
// with what it changes. A name that is a directory on one side and a file on
// the other is two names in tree order: the file removed (or added) and the
// directory walked.
Result<void> diff_trees(const TreeReader& trees, const git_oid* old_id, const git_oid* new_id,
                        const std::string& prefix, std::vector<Delta>& deltas) {
  TreeData old_tree, new_tree;
  for (auto [id, tree] : {std::pair{old_id, &old_tree}, std::pair{new_id, &new_tree}}) {
    if (id == nullptr) continue;
    auto read = trees.read_data(*id);
    if (!read) return std::unexpected(read.error());
    *tree = std::move(*read);
  }
  auto differing = differing_entries(old_tree.data, new_tree.data);
  if (!differing) {
    const std::string trees_named = old_id != nullptr && new_id != nullptr
                                        ? fmt::format("{} or {}", to_hex(*old_id), to_hex(*new_id))
                                        : to_hex(new_id != nullptr ? *new_id : *old_id);
    return fail(ErrorKind::runtime, fmt::format("cannot read tree {}: {}", trees_named, differing.error().message));
  }
  return walk_in_step(differing->old_entries, differing->new_entries,
                      [&](const TreeEntry* old_entry, const TreeEntry* new_entry) -> Result<void> {
                        if (unchanged(old_entry, new_entry)) return {};
                        const TreeEntry* named = new_entry != nullptr ? new_entry : old_entry;
                        std::string path = joined(prefix, named->name);
                        if (!named->is_tree()) {
                          deltas.push_back(file_delta(std::move(path), old_entry, new_entry));
                          return {};
                        }
                        path += '/';
                        return diff_trees(trees, old_entry != nullptr ? &old_entry->id : nullptr,
                                          new_entry != nullptr ? &new_entry->id : nullptr, path, deltas);
                      });
}

// The staged index as git's trees: the entries (in index order, which is
// git's tree order: bytewise by full path, so a directory sorts as its name
// followed by '/') and the cache tree's ids of unchanged directories.
struct StagedIndex {
  std::vector<IndexEntry> entries;
  std::unordered_map<std::string, CachedTree> cache_tree;
};

// One directory of the staged index with the id `git write-tree` would give
// it, computed in memory (nothing is written to the object database) or taken
// from the cache tree. A directory's own entries are listed only once the
// diff needs them.
struct StagedTree {
  struct Entry {
    std::string_view name;  // points into the index entry's path
    git_oid id{};
    std::uint32_t mode = 0;
    // Directories: their entries' range in the index and their listing, built
    // when first needed.
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t prefix_length = 0;
    std::unique_ptr<StagedTree> subtree;
  };
  std::vector<Entry> entries;
};

// The id of the directory of `index.entries[begin, end)` under a
// `prefix_length` bytes long prefix: from the cache tree when it covers the
// same entries, else by hashing its listing, which `listing` then receives.
Result<git_oid> staged_directory_id(const StagedIndex& index, std::size_t begin, std::size_t end,
                                    std::size_t prefix_length, std::unique_ptr<StagedTree>* listing);

// Lists the directory of `index.entries[begin, end)`; `serialized`, when given,
// receives the tree object git would write for it.
Result<std::unique_ptr<StagedTree>> list_staged_directory(const StagedIndex& index, std::size_t begin,
                                                          std::size_t end, std::size_t prefix_length,
                                                          std::string* serialized) {
  auto tree = std::make_unique<StagedTree>();
  std::size_t position = begin;
  while (position < end) {
    const std::string_view path = index.entries[position].path;
    const std::string_view rest = path.substr(prefix_length);
    StagedTree::Entry entry;
    if (const std::size_t slash = rest.find('/'); slash == std::string_view::npos) {
      entry.name = rest;
      entry.id = index.entries[position].id;
      entry.mode = index.entries[position].mode;
      ++position;
    } else {
      entry.name = rest.substr(0, slash);
      entry.mode = GIT_FILEMODE_TREE;
      entry.prefix_length = prefix_length + slash + 1;
      const std::string_view directory = path.substr(0, entry.prefix_length);
      entry.begin = position;
      entry.end = position + 1;
      while (entry.end < end && index.entries[entry.end].path.starts_with(directory)) ++entry.end;
      auto id = staged_directory_id(index, entry.begin, entry.end, entry.prefix_length, &entry.subtree);
      if (!id) return std::unexpected(id.error());
      entry.id = *id;
      position = entry.end;
    }
    if (serialized != nullptr) {
      char mode[12];
      const auto printed = std::to_chars(mode, mode + sizeof mode, entry.mode, 8);
      serialized->append(mode, printed.ptr);
      serialized->push_back(' ');
      serialized->append(entry.name);
      serialized->push_back('\0');
      serialized->append(reinterpret_cast<const char*>(entry.id.id), GIT_OID_RAWSZ);
    }
    tree->entries.push_back(std::move(entry));
  }
  return tree;
}

Result<git_oid> staged_directory_id(const StagedIndex& index, std::size_t begin, std::size_t end,
                                    std::size_t prefix_length, std::unique_ptr<StagedTree>* listing) {
  const std::string directory(begin < end ? index.entries[begin].path.substr(0, prefix_length) : "");
  if (auto cached = index.cache_tree.find(directory);
      cached != index.cache_tree.end() && cached->second.entries == end - begin) {
    return cached->second.id;
  }
  std::string serialized;
  auto tree = list_staged_directory(index, begin, end, prefix_length, &serialized);
  if (!tree) return std::unexpected(tree.error());
  git_oid id;
  if (git_odb_hash(&id, serialized.data(), serialized.size(), GIT_OBJECT_TREE) != 0) {
    return std::unexpected(error_from_git("cannot hash a tree of the index"));
  }
  *listing = std::move(*tree);
  return id;
}

// The listing of directory `entry`, built now if it came from the cache tree.
Result<StagedTree*> staged_subtree(const StagedIndex& index, StagedTree::Entry& entry) {
  if (!entry.subtree) {
    auto tree = list_staged_directory(index, entry.begin, entry.end, entry.prefix_length, nullptr);
    if (!tree) return std::unexpected(tree.error());
    entry.subtree = std::move(*tree);
  }
  return entry.subtree.get();
}

// The staged index as a root entry, or nullopt when it holds what a tree
// cannot (unmerged or sparse-directory entries); git refuses to commit such an
// index anyway. Intent-to-add entries are left out, as `git write-tree`
// leaves them out, and then the cache tree is not used: its counts include
// them.
Result<std::optional<StagedTree::Entry>> staged_root(StagedIndex& index) {
  for (const IndexEntry& entry : index.entries) {
    if (entry.stage != 0 || entry.mode == GIT_FILEMODE_TREE) return std::nullopt;
  }
  if (std::erase_if(index.entries, [](const IndexEntry& entry) { return entry.intent_to_add; }) > 0) {
    index.cache_tree.clear();
  }
  StagedTree::Entry root;
  root.mode = GIT_FILEMODE_TREE;
  root.end = index.entries.size();
  auto id = staged_directory_id(index, 0, root.end, 0, &root.subtree);
  if (!id) return std::unexpected(id.error());
  root.id = *id;
  return root;
}

// The entries of libgit2's view of the index, for the reader's fallback.
std::vector<IndexEntry> entries_of(git_index* index) {
  std::vector<IndexEntry> entries;
  const std::size_t count = git_index_entrycount(index);
  entries.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(index, i);
    entries.push_back(IndexEntry{entry->path, entry->id, entry->mode,
                                 static_cast<unsigned>(git_index_entry_stage(entry)),
                                 (entry->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0});
  }
  return entries;
}

// The index file git's environment names: GIT_INDEX_FILE (a temporary index
// during `git commit FILE` and `git commit -a`), else the repository's.
std::string index_file_path(git_repository* repository) {
  if (const char* named = std::getenv("GIT_INDEX_FILE"); named != nullptr && *named != '\0') return named;
  return std::string(git_repository_path(repository)) + "index";
}

// `diff_trees` with the index's trees as the new side: it opens only
// directories whose ids differ, so a commit of a few files in a large tree
// reads a few trees.
Result<void> diff_tree_to_staged(const TreeReader& trees, const StagedIndex& index, const git_oid* old_id,
                                 StagedTree& new_tree, const std::string& prefix, std::vector<Delta>& deltas) {
  Tree old_tree;
  if (old_id != nullptr) {
    auto read = trees.read(*old_id);
    if (!read) return std::unexpected(read.error());
    old_tree = std::move(*read);
  }
  return walk_in_step(old_tree.entries, new_tree.entries,
                      [&](const TreeEntry* old_entry, StagedTree::Entry* new_entry) -> Result<void> {
                        if (unchanged(old_entry, new_entry)) return {};
                        const std::string_view name = new_entry != nullptr ? new_entry->name : old_entry->name;
                        std::string path = joined(prefix, name);
                        const git_oid* old_tree_id =
                            old_entry != nullptr && old_entry->is_tree() ? &old_entry->id : nullptr;
                        if (new_entry != nullptr && new_entry->mode == GIT_FILEMODE_TREE) {
                          auto listing = staged_subtree(index, *new_entry);
                          if (!listing) return std::unexpected(listing.error());
                          path += '/';
                          return diff_tree_to_staged(trees, index, old_tree_id, **listing, path, deltas);
                        }
                        if (old_tree_id != nullptr) {
                          path += '/';
                          return diff_trees(trees, old_tree_id, nullptr, path, deltas);
                        }
                        deltas.push_back(file_delta(std::move(path), old_entry, new_entry));
                        return {};
                      });
}

// A commit and its tree.
struct CommitTree {
  git_oid commit{};
  git_oid tree{};
};

// `previous`: the commit the walk added before this one, usually its parent
// (a linear history's), whose tree then needs no second reading. Set to this
// commit on return.
Result<void> add_commit(const TreeReader& trees, git_repository* repository, const git_oid& id,
                        const std::string& ref, ChangeSet& changes, const WalkOptions& options,
                        std::optional<CommitTree>& previous) {
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repository, &id) != 0) {
    return std::unexpected(error_from_git(
        fmt::format("cannot read commit {} (missing objects: a corrupt or shallow repository?)", to_hex(id))));
  }
  const CommitPtr commit(raw);
  const auto source = static_cast<std::uint32_t>(changes.sources.size());
  changes.sources.push_back(ChangeSource{id, nullptr, ref});
  ++changes.commits;
  bool records_text = false;
  if (const char* message = git_commit_message(commit.get());
      message != nullptr && *message != '\0' && (!options.records_text || options.records_text(id))) {
    changes.texts.push_back(TextOccurrence{message, "<commit message>", source});
    records_text = true;
  }

  const unsigned parents = git_commit_parentcount(commit.get());
  std::optional<git_oid> first_parent_tree;
  std::vector<git_oid> other_parents;
  for (unsigned i = 0; i < parents; ++i) {
    const git_oid* parent_id = git_commit_parent_id(commit.get(), i);
    git_oid parent_tree;
    if (previous && parent_id != nullptr && git_oid_equal(&previous->commit, parent_id)) {
      parent_tree = previous->tree;
    } else {
      git_commit* parent_raw = nullptr;
      if (git_commit_parent(&parent_raw, commit.get(), i) != 0) {
        return std::unexpected(error_from_git(fmt::format(
            "cannot read parent {} of commit {} (missing objects: a corrupt or shallow repository?)", i + 1,
            to_hex(id))));
      }
      const CommitPtr parent(parent_raw);
      parent_tree = *git_commit_tree_id(parent.get());
    }
    if (i == 0) first_parent_tree = parent_tree;
    else other_parents.push_back(parent_tree);
  }
  previous = CommitTree{id, *git_commit_tree_id(commit.get())};
  std::vector<Delta> deltas;
  if (auto diffed = diff_trees(trees, first_parent_tree ? &*first_parent_tree : nullptr,
                               git_commit_tree_id(commit.get()), "", deltas);
      !diffed) {
    return std::unexpected(Error{diffed.error().kind, fmt::format("commit {}: {}", to_hex(id), diffed.error().message)});
  }
  const std::size_t blobs_before = changes.blobs.size();
  if (auto added = add_deltas(trees, deltas, source, other_parents, changes, options.records_blob); !added) {
    return added;
  }
  // Nothing refers to the source of a commit that recorded nothing.
  if (options.records_blob && !records_text && changes.blobs.size() == blobs_before) changes.sources.pop_back();
  return {};
}

Result<ObjectPtr> lookup(git_repository* repository, const git_oid& id) {
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repository, &id, GIT_OBJECT_ANY) != 0) {
    return std::unexpected(error_from_git(fmt::format("cannot read object {} (missing objects?)", to_hex(id))));
  }
  return ObjectPtr(raw);
}

// The commit a reference finally points to; nullopt when it is broken or
// points elsewhere (hiding fewer commits only means scanning more).
std::optional<git_oid> peeled_commit(git_repository* repository, git_reference* reference) {
  git_reference* resolved_raw = nullptr;
  if (git_reference_resolve(&resolved_raw, reference) != 0) return std::nullopt;
  const ReferencePtr resolved(resolved_raw);
  const git_oid* target = git_reference_target(resolved.get());
  if (target == nullptr) return std::nullopt;
  git_object* object_raw = nullptr;
  if (git_object_lookup(&object_raw, repository, target, GIT_OBJECT_ANY) != 0) return std::nullopt;
  const ObjectPtr object(object_raw);
  git_object* peeled_raw = nullptr;
  if (git_object_peel(&peeled_raw, object.get(), GIT_OBJECT_COMMIT) != 0) return std::nullopt;
  const ObjectPtr peeled(peeled_raw);
  return *git_object_id(peeled.get());
}

Result<void> hide_references(git_repository* repository, git_revwalk* walk,
                             const std::vector<std::string>& globs) {
  if (globs.empty()) return {};
  git_reference_iterator* iterator_raw = nullptr;
  if (git_reference_iterator_new(&iterator_raw, repository) != 0) {
    return std::unexpected(error_from_git("cannot list references"));
  }
  const ReferenceIteratorPtr iterator(iterator_raw);
  while (true) {
    git_reference* reference_raw = nullptr;
    const int status = git_reference_next(&reference_raw, iterator.get());
    if (status == GIT_ITEROVER) break;
    if (status != 0) return std::unexpected(error_from_git("cannot list references"));
    const ReferencePtr reference(reference_raw);
    const char* name = git_reference_name(reference.get());
    bool matches = false;
    for (const std::string& glob : globs) matches = matches || fnmatch(glob.c_str(), name, 0) == 0;
    if (!matches) continue;
    if (auto commit = peeled_commit(repository, reference.get())) {
      if (git_revwalk_hide(walk, &*commit) != 0) return std::unexpected(error_from_git("cannot walk history"));
    }
  }
  return {};
}

}  // namespace

Result<void> add_staged_changes(git_repository* repository, ChangeSet& changes, StagedDiff method) {
  auto trees = TreeReader::open(repository, nullptr, TreeReader::PackReads::pread);
  if (!trees) return std::unexpected(trees.error());
  // HEAD's commit by name, not through git_repository_head: its tree is read
  // from the pack without libgit2 mapping it (PackedObjects).
  std::optional<git_oid> head_tree;
  git_oid head_commit;
  const int head_status = git_reference_name_to_id(&head_commit, repository, "HEAD");
  if (head_status == 0) {
    auto tree = trees->commit_tree(head_commit);
    if (!tree) return std::unexpected(Error{tree.error().kind, fmt::format("HEAD: {}", tree.error().message)});
    head_tree = *tree;
  } else if (head_status != GIT_EUNBORNBRANCH && head_status != GIT_ENOTFOUND) {
    return std::unexpected(error_from_git("cannot read HEAD"));
  }

  // libgit2's index is opened only when the file is not one the reader takes.
  IndexPtr index;
  auto open_index = [&]() -> Result<void> {
    if (index) return {};
    git_index* index_raw = nullptr;
    if (git_repository_index(&index_raw, repository) != 0) {
      return std::unexpected(error_from_git("cannot read the index"));
    }
    index.reset(index_raw);
    return {};
  };

  std::vector<Delta> deltas;
  std::optional<StagedTree::Entry> root;
  std::optional<IndexFile> file;
  StagedIndex staged;
  if (method != StagedDiff::libgit2_diff) {
    if (method == StagedDiff::index_trees) file = read_index_file(index_file_path(repository));
    if (file) {
      staged.entries = std::move(file->entries);
      staged.cache_tree = std::move(file->cache_tree);
    } else {
      if (auto opened = open_index(); !opened) return opened;
      staged.entries = entries_of(index.get());
    }
    auto built = staged_root(staged);
    if (!built) return std::unexpected(built.error());
    root = std::move(*built);
  }
  if (root) {
    const bool nothing_staged = head_tree && git_oid_equal(&*head_tree, &root->id);
    if (!nothing_staged) {
      auto listing = staged_subtree(staged, *root);
      if (!listing) return std::unexpected(listing.error());
      if (auto diffed = diff_tree_to_staged(*trees, staged, head_tree ? &*head_tree : nullptr, **listing, "", deltas);
          !diffed) {
        return diffed;
      }
    }
  } else {
    if (auto opened = open_index(); !opened) return opened;
    TreePtr head;
    if (head_tree) {
      git_tree* tree_raw = nullptr;
      if (git_tree_lookup(&tree_raw, repository, &*head_tree) != 0) {
        return std::unexpected(error_from_git("cannot read the tree of HEAD"));
      }
      head.reset(tree_raw);
    }
    git_diff* diff_raw = nullptr;
    const git_diff_options options = diff_options();
    if (git_diff_tree_to_index(&diff_raw, repository, head.get(), index.get(), &options) != 0) {
      return std::unexpected(error_from_git("cannot compare the index with HEAD"));
    }
    const DiffPtr diff(diff_raw);
    deltas = deltas_of(diff.get());
  }
  const auto source = static_cast<std::uint32_t>(changes.sources.size());
  changes.sources.push_back(ChangeSource{});
  return add_deltas(*trees, deltas, source, {}, changes);
}

Result<void> add_commit_range(git_repository* repository, const CommitRange& range, ChangeSet& changes,
                              const WalkOptions& options) {
  if (range.tips.empty()) return {};
  auto trees = TreeReader::open(repository, options.trees);
  if (!trees) return std::unexpected(trees.error());
  git_revwalk* walk_raw = nullptr;
  if (git_revwalk_new(&walk_raw, repository) != 0) return std::unexpected(error_from_git("cannot walk history"));
  const RevwalkPtr walk(walk_raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  for (const git_oid& tip : range.tips) {
    if (git_revwalk_push(walk.get(), &tip) != 0) {
      return std::unexpected(error_from_git(fmt::format("cannot walk from {} (missing objects?)", to_hex(tip))));
    }
  }
  for (const git_oid& hidden : range.hidden) {
    // An unknown commit (the remote has what we never fetched) hides nothing.
    if (git_revwalk_hide(walk.get(), &hidden) != 0) git_error_clear();
  }
  if (auto hidden = hide_references(repository, walk.get(), range.hidden_globs); !hidden) return hidden;
  for (const auto& seen : changes.seen_commits) {
    if (git_revwalk_hide(walk.get(), &seen) != 0) git_error_clear();
  }

  git_oid id;
  std::optional<CommitTree> previous;
  while (true) {
    const int status = git_revwalk_next(&id, walk.get());
    if (status == GIT_ITEROVER) break;
    if (status != 0) {
      return std::unexpected(error_from_git("cannot walk history (missing objects: a corrupt or shallow repository?)"));
    }
    if (!changes.seen_commits.insert(id).second) continue;
    if (auto added = add_commit(*trees, repository, id, range.ref, changes, options, previous); !added) return added;
    if (options.on_batch && changes.blobs.size() >= options.batch_blobs) {
      if (auto taken = options.on_batch(changes); !taken) return taken;
      changes.blobs.clear();
      changes.texts.clear();
      changes.before_sets.clear();
      changes.notices.clear();
    }
    if (Clock::now() >= options.deadline) {
      changes.timed_out = true;
      return {};
    }
  }
  return {};
}

Result<std::optional<git_oid>> add_ref_target(git_repository* repository, const git_oid& target,
                                              const std::string& ref, ChangeSet& changes) {
  auto object = lookup(repository, target);
  if (!object) return std::unexpected(object.error());
  while (git_object_type(object->get()) == GIT_OBJECT_TAG) {
    const auto* tag = reinterpret_cast<const git_tag*>(object->get());
    const git_oid tag_id = *git_object_id(object->get());
    if (changes.seen_commits.insert(tag_id).second) {
      auto info = std::make_shared<CommitInfo>();
      info->id = to_hex(tag_id);
      if (const git_signature* tagger = git_tag_tagger(tag); tagger != nullptr) {
        info->date = format_time(tagger->when);
        info->author = fmt::format("{} <{}>", tagger->name ? tagger->name : "", tagger->email ? tagger->email : "");
      }
      const auto source = static_cast<std::uint32_t>(changes.sources.size());
      changes.sources.push_back(ChangeSource{std::nullopt, std::move(info), ref});
      if (const char* message = git_tag_message(tag); message != nullptr && *message != '\0') {
        changes.texts.push_back(
            TextOccurrence{message, fmt::format("<tag message {}>", git_tag_name(tag)), source});
      }
    }
    auto next = lookup(repository, *git_tag_target_id(tag));
    if (!next) return std::unexpected(next.error());
    object = std::move(next);
  }
  const git_oid id = *git_object_id(object->get());
  switch (git_object_type(object->get())) {
    case GIT_OBJECT_COMMIT: return std::optional<git_oid>(id);
    case GIT_OBJECT_BLOB: {
      if (!changes.seen_commits.insert(id).second) return std::optional<git_oid>();
      const auto source = static_cast<std::uint32_t>(changes.sources.size());
      changes.sources.push_back(ChangeSource{std::nullopt, nullptr, ref});
      changes.blobs.push_back(BlobOccurrence{id, "<tagged blob>", source, {},
                                             static_cast<std::uint32_t>(changes.before_sets.size())});
      changes.before_sets.emplace_back();
      return std::optional<git_oid>();
    }
    case GIT_OBJECT_TREE: {
      if (!changes.seen_commits.insert(id).second) return std::optional<git_oid>();
      auto trees = TreeReader::open(repository);
      if (!trees) return std::unexpected(trees.error());
      std::vector<Delta> deltas;
      if (auto diffed = diff_trees(*trees, nullptr, &id, "", deltas); !diffed) return std::unexpected(diffed.error());
      const auto source = static_cast<std::uint32_t>(changes.sources.size());
      changes.sources.push_back(ChangeSource{std::nullopt, nullptr, ref});
      if (auto added = add_deltas(*trees, deltas, source, {}, changes); !added) return std::unexpected(added.error());
      return std::optional<git_oid>();
    }
    default: return fail(ErrorKind::runtime, fmt::format("{} points to an object of unknown type", ref));
  }
}

Result<std::optional<CommitInfo>> describe_source(git_repository* repository, const ChangeSource& source) {
  if (source.tag) return std::optional<CommitInfo>(*source.tag);
  if (!source.commit) return std::optional<CommitInfo>();
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repository, &*source.commit) != 0) {
    return std::unexpected(error_from_git(fmt::format("cannot read commit {}", to_hex(*source.commit))));
  }
  const CommitPtr commit(raw);
  return std::optional<CommitInfo>(commit_info(commit.get()));
}

Result<std::vector<std::string>> reference_names(git_repository* repository) {
  git_reference_iterator* iterator_raw = nullptr;
  if (git_reference_iterator_new(&iterator_raw, repository) != 0) {
    return std::unexpected(error_from_git("cannot list references"));
  }
  const ReferenceIteratorPtr iterator(iterator_raw);
  std::vector<std::string> names;
  const char* name = nullptr;
  while (true) {
    const int status = git_reference_next_name(&name, iterator.get());
    if (status == GIT_ITEROVER) break;
    if (status != 0) return std::unexpected(error_from_git("cannot list references"));
    names.emplace_back(name);
  }
  return names;
}

}  // namespace tg::git
