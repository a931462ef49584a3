#include "hook/git/trees.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace tg::git {
namespace {

constexpr std::uint32_t k_type_bits = 0170000;

// What libgit2 reports for a stored mode: old git wrote 100664 and other
// variants, which mean a plain blob.
std::uint32_t normalised_mode(std::uint32_t stored) {
  const std::uint32_t type = stored & k_type_bits;
  if (type == GIT_FILEMODE_TREE) return GIT_FILEMODE_TREE;
  if ((stored & 0111) != 0) return GIT_FILEMODE_BLOB_EXECUTABLE;
  if (type == GIT_FILEMODE_COMMIT || type == GIT_FILEMODE_LINK) return type;
  return GIT_FILEMODE_BLOB;
}

Error malformed_tree(std::string_view why) {
  return Error{ErrorKind::runtime, fmt::format("malformed tree object: {}", why)};
}

}  // namespace

Result<std::optional<TreeEntry>> next_tree_entry(std::string_view data, std::size_t& position) {
  if (position >= data.size()) return std::nullopt;
  // "<octal mode> <name>\0<20-byte id>"
  std::uint32_t stored = 0;
  std::size_t digits = 0;
  for (; position < data.size() && data[position] >= '0' && data[position] <= '7'; ++position, ++digits) {
    stored = stored * 8 + static_cast<std::uint32_t>(data[position] - '0');
  }
  if (digits == 0 || digits > 7 || position >= data.size() || data[position] != ' ') {
    return std::unexpected(malformed_tree("bad mode"));
  }
  ++position;
  const std::size_t name_end = data.find('\0', position);
  if (name_end == std::string_view::npos || name_end == position) {
    return std::unexpected(malformed_tree("bad entry name"));
  }
  if (data.size() - (name_end + 1) < GIT_OID_RAWSZ) return std::unexpected(malformed_tree("truncated entry"));
  TreeEntry entry;
  entry.name = data.substr(position, name_end - position);
  std::memcpy(entry.id.id, data.data() + name_end + 1, GIT_OID_RAWSZ);
  entry.mode = normalised_mode(stored);
  position = name_end + 1 + GIT_OID_RAWSZ;
  return entry;
}

Result<std::vector<TreeEntry>> parse_tree(std::string_view data) {
  std::vector<TreeEntry> entries;
  // An entry takes at least "0 x\0" and an id.
  entries.reserve(data.size() / 32 + 1);
  std::size_t position = 0;
  while (true) {
    auto entry = next_tree_entry(data, position);
    if (!entry) return std::unexpected(entry.error());
    if (!*entry) return entries;
    entries.push_back(**entry);
  }
}

int tree_order(std::string_view a, bool a_is_tree, std::string_view b, bool b_is_tree) {
  const std::size_t common = std::min(a.size(), b.size());
  if (const int order = std::memcmp(a.data(), b.data(), common); order != 0) return order;
  const auto next = [common](std::string_view name, bool is_tree) -> unsigned char {
    return common < name.size() ? static_cast<unsigned char>(name[common]) : (is_tree ? '/' : '\0');
  };
  return static_cast<int>(next(a, a_is_tree)) - static_cast<int>(next(b, b_is_tree));
}

std::size_t PreloadedTrees::slot_of(const git_oid& id) const {
  // Ids are hashes already; the multiplication spreads their first bytes
  // over the high bits the mask would otherwise ignore.
  constexpr std::uint64_t k_spread = 0x9e3779b97f4a7c15u;
  const std::size_t mask = m_slots.size() - 1;
  std::size_t at = static_cast<std::size_t>((OidHash{}(id) * k_spread) >> 32) & mask;
  while (m_slots[at].offset != Slot::k_empty && !git_oid_equal(&m_slots[at].id, &id)) at = (at + 1) & mask;
  return at;
}

void PreloadedTrees::grow() {
  std::vector<Slot> old = std::move(m_slots);
  m_slots.assign(std::max<std::size_t>(64, 2 * old.size()), Slot{});
  for (const Slot& slot : old) {
    if (slot.offset != Slot::k_empty) m_slots[slot_of(slot.id)] = slot;
  }
}

void PreloadedTrees::add(const git_oid& id, std::string_view content) {
  if (find(id)) return;
  const std::size_t offset = m_data.size();
  m_data.append(content);
  add_at(id, offset, content.size());
}

void PreloadedTrees::add_at(const git_oid& id, std::size_t offset, std::size_t size) {
  if (2 * (m_count + 1) > m_slots.size()) grow();
  Slot& slot = m_slots[slot_of(id)];
  if (slot.offset != Slot::k_empty) return;  // the first one added stays
  slot = Slot{id, offset, size};
  ++m_count;
}

std::optional<std::string_view> PreloadedTrees::find(const git_oid& id) const {
  if (m_slots.empty()) return std::nullopt;
  const Slot& slot = m_slots[slot_of(id)];
  if (slot.offset == Slot::k_empty) return std::nullopt;
  return std::string_view(m_data).substr(slot.offset, slot.size);
}

Result<TreeReader> TreeReader::open(git_repository* repository, const PreloadedTrees* preloaded,
                                    PackReads pack_reads) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repository) != 0) return std::unexpected(error_from_git("cannot open the object database"));
  OdbPtr odb(raw);
  std::unique_ptr<PackedObjects> packed;
  if (pack_reads == PackReads::pread) {
    // The repository's own packs; alternates are libgit2's to read.
    packed = std::make_unique<PackedObjects>(PackedObjects::open({own_objects_directory(repository) + "/pack"}));
  }
  return TreeReader(repository, std::move(odb), std::move(packed), preloaded);
}

Result<Tree> TreeReader::read(const git_oid& id) const {
  auto read = read_data(id);
  if (!read) return std::unexpected(read.error());
  auto entries = parse_tree(read->data);
  if (!entries) {
    return fail(ErrorKind::runtime, fmt::format("cannot read tree {}: {}", to_hex(id), entries.error().message));
  }
  return Tree{std::move(*entries), std::move(read->storage), std::move(read->packed)};
}

Result<TreeData> TreeReader::read_data(const git_oid& id) const {
  TreeData tree;
  std::string_view& data = tree.data;
  std::optional<std::string_view> held = m_preloaded != nullptr ? m_preloaded->find(id) : std::nullopt;
  if (held) {
    data = *held;
  } else if (auto unheld = m_preloaded != nullptr ? m_preloaded->read_unheld(id) : std::nullopt) {
    tree.packed = std::make_unique<const std::string>(std::move(*unheld));
    data = *tree.packed;
  } else if (auto packed = m_packed ? m_packed->read(id) : std::nullopt; packed && packed->type == GIT_OBJECT_TREE) {
    tree.packed = std::make_unique<const std::string>(std::move(packed->content));
    data = *tree.packed;
  } else {
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, m_odb.get(), &id) != 0) {
      return std::unexpected(error_from_git(fmt::format("cannot read tree {} (missing objects?)", to_hex(id))));
    }
    tree.storage.reset(raw);
    if (git_odb_object_type(raw) != GIT_OBJECT_TREE) {
      return fail(ErrorKind::runtime, fmt::format("object {} is not a tree", to_hex(id)));
    }
    data = std::string_view(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  }
  return tree;
}

Result<git_oid> TreeReader::commit_tree(const git_oid& id) const {
  // "tree <hex id>\n" opens every commit (gitformat-commit).
  constexpr std::string_view k_tree_line = "tree ";
  if (auto packed = m_packed ? m_packed->read(id) : std::nullopt; packed && packed->type == GIT_OBJECT_COMMIT) {
    const std::string_view content = packed->content;
    git_oid tree;
    if (content.starts_with(k_tree_line) && content.size() > k_tree_line.size() + GIT_OID_HEXSZ &&
        content[k_tree_line.size() + GIT_OID_HEXSZ] == '\n' &&
        git_oid_fromstrn(&tree, content.data() + k_tree_line.size(), GIT_OID_HEXSZ) == 0) {
      return tree;
    }
  }
  git_object* object_raw = nullptr;
  if (git_object_lookup(&object_raw, m_repository, &id, GIT_OBJECT_ANY) != 0) {
    return std::unexpected(error_from_git(fmt::format("cannot read commit {}", to_hex(id))));
  }
  const ObjectPtr object(object_raw);
  git_object* commit_raw = nullptr;
  if (git_object_peel(&commit_raw, object.get(), GIT_OBJECT_COMMIT) != 0) {
    return std::unexpected(error_from_git(fmt::format("object {} is not a commit", to_hex(id))));
  }
  const ObjectPtr commit(commit_raw);
  return *git_commit_tree_id(reinterpret_cast<const git_commit*>(commit.get()));
}

Result<std::optional<TreeEntry>> TreeReader::entry_at_path(const git_oid& root, std::string_view path) const {
  git_oid directory = root;
  while (true) {
    const std::size_t slash = path.find('/');
    const std::string_view name = path.substr(0, slash);
    auto tree = read(directory);
    if (!tree) return std::unexpected(tree.error());
    const auto found = std::find_if(tree->entries.begin(), tree->entries.end(),
                                    [&](const TreeEntry& entry) { return entry.name == name; });
    if (found == tree->entries.end()) return std::optional<TreeEntry>();
    if (slash == std::string_view::npos) return TreeEntry{{}, found->id, found->mode};
    if (!found->is_tree()) return std::optional<TreeEntry>();
    directory = found->id;
    path.remove_prefix(slash + 1);
  }
}

void prefetch_commit_trees(git_repository* repository, const std::vector<git_oid>& tips,
                           const std::atomic<bool>& stop, std::uint64_t max_bytes, PreloadedTrees& into) {
  auto reader = TreeReader::open(repository);
  if (!reader) return;
  std::vector<git_oid> next;  // the breadth-first queue, from `first`
  for (const git_oid& tip : tips) {  // a mirror's push may update thousands of refs
    if (stop.load(std::memory_order_relaxed)) return;
    if (auto tree = reader->commit_tree(tip)) next.push_back(*tree);
  }
  for (std::size_t first = 0; first < next.size(); ++first) {
    if (stop.load(std::memory_order_relaxed) || into.bytes() >= max_bytes) return;
    const git_oid id = next[first];
    if (into.find(id)) continue;
    auto read = reader->read_data(id);
    if (!read) return;
    into.add(id, read->data);
    for (std::size_t position = 0;;) {
      auto entry = next_tree_entry(read->data, position);
      if (!entry || !*entry) break;
      if ((*entry)->is_tree()) next.push_back((*entry)->id);
    }
  }
}

}  // namespace tg::git
