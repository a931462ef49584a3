#include "hook/git/index_file.hpp"

#include "util/big_endian.hpp"
#include "util/read_exactly.hpp"
#include "util/unique_fd.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tg::git {
namespace {

// Layout from git's Documentation/gitformat-index.txt.
constexpr std::size_t k_header_size = 12;        // "DIRC", version, entry count
constexpr std::size_t k_entry_fixed_size = 62;   // stat data, mode, id, flags
constexpr std::size_t k_mode_offset = 24;
constexpr std::size_t k_id_offset = 40;
constexpr std::size_t k_flags_offset = 60;
constexpr std::size_t k_checksum_size = GIT_OID_RAWSZ;
constexpr std::uint16_t k_flag_extended = 0x4000;
constexpr std::uint16_t k_name_length_mask = 0x0fff;
constexpr std::uint16_t k_extended_intent_to_add = 0x2000;

bool read_whole_file(const std::string& path, std::string& out, bool& missing) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    missing = errno == ENOENT;
    return false;
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  return read_exactly(fd.get(), 0, static_cast<std::size_t>(info.st_size), out);
}

// Reads the cache-tree node at `at` (advancing it) and its subtrees,
// depth first, keeping the valid ones. false when malformed.
bool read_cache_tree_node(const char*& at, const char* end, const std::string& parent,
                          std::unordered_map<std::string, CachedTree>& out, int depth) {
  if (depth > 4096) return false;
  const void* nul = std::memchr(at, '\0', static_cast<std::size_t>(end - at));
  if (nul == nullptr) return false;
  const std::string_view name(at, static_cast<std::size_t>(static_cast<const char*>(nul) - at));
  at = static_cast<const char*>(nul) + 1;
  long long entries = 0;
  long long subtrees = 0;
  auto parsed = std::from_chars(at, end, entries);
  if (parsed.ec != std::errc() || parsed.ptr == end || *parsed.ptr != ' ') return false;
  parsed = std::from_chars(parsed.ptr + 1, end, subtrees);
  if (parsed.ec != std::errc() || parsed.ptr == end || *parsed.ptr != '\n' || subtrees < 0) return false;
  at = parsed.ptr + 1;
  const std::string path = name.empty() ? parent : parent + std::string(name) + "/";
  if (entries >= 0) {
    if (end - at < GIT_OID_RAWSZ) return false;
    CachedTree tree;
    std::memcpy(tree.id.id, at, GIT_OID_RAWSZ);
    tree.entries = static_cast<std::size_t>(entries);
    at += GIT_OID_RAWSZ;
    out.emplace(path, tree);
  }
  for (long long i = 0; i < subtrees; ++i) {
    if (!read_cache_tree_node(at, end, path, out, depth + 1)) return false;
  }
  return true;
}

std::unordered_map<std::string, CachedTree> read_cache_tree(const char* data, std::size_t size) {
  std::unordered_map<std::string, CachedTree> trees;
  const char* at = data;
  if (!read_cache_tree_node(at, data + size, "", trees, 0) || at != data + size) trees.clear();
  return trees;
}

}  // namespace

std::optional<IndexFile> read_index_file(const std::string& path) {
  IndexFile index;
  bool missing = false;
  if (!read_whole_file(path, index.bytes, missing)) {
    if (missing) return IndexFile{};
    return std::nullopt;
  }
  const char* data = index.bytes.data();
  const std::size_t size = index.bytes.size();
  if (size < k_header_size + k_checksum_size || std::memcmp(data, "DIRC", 4) != 0) return std::nullopt;
  const std::uint32_t version = read_be32(data + 4);
  if (version != 2 && version != 3) return std::nullopt;
  const std::uint32_t count = read_be32(data + 8);
  const std::size_t end = size - k_checksum_size;
  if (count > end / k_entry_fixed_size) return std::nullopt;
  index.entries.reserve(count);

  std::size_t position = k_header_size;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (end - position < k_entry_fixed_size) return std::nullopt;
    const char* entry_start = data + position;
    IndexEntry entry;
    entry.mode = read_be32(entry_start + k_mode_offset);
    std::memcpy(entry.id.id, entry_start + k_id_offset, GIT_OID_RAWSZ);
    const std::uint16_t flags = read_be16(entry_start + k_flags_offset);
    entry.stage = (flags >> 12) & 3;
    std::size_t header = k_entry_fixed_size;
    if ((flags & k_flag_extended) != 0) {
      if (version < 3 || end - position < header + 2) return std::nullopt;
      entry.intent_to_add = (read_be16(entry_start + header) & k_extended_intent_to_add) != 0;
      header += 2;
    }
    const char* path_start = entry_start + header;
    const std::size_t available = end - position - header;
    const void* nul = std::memchr(path_start, '\0', available);
    if (nul == nullptr) return std::nullopt;
    const auto path_length = static_cast<std::size_t>(static_cast<const char*>(nul) - path_start);
    const std::size_t recorded = flags & k_name_length_mask;
    if (path_length == 0 || (recorded < k_name_length_mask && recorded != path_length)) return std::nullopt;
    entry.path = std::string_view(path_start, path_length);
    // Entries are sorted by path, then stage; anything else is corrupt.
    if (!index.entries.empty()) {
      const IndexEntry& previous = index.entries.back();
      const int order = previous.path.compare(entry.path);
      if (order > 0 || (order == 0 && previous.stage >= entry.stage)) return std::nullopt;
    }
    index.entries.push_back(entry);
    // Padded with 1-8 NULs to a multiple of 8 bytes.
    const std::size_t entry_size = (header + path_length + 8) & ~std::size_t{7};
    if (entry_size > end - position) return std::nullopt;
    position += entry_size;
  }
  // Extensions: "link" (split index) and "sdir" (sparse index) change what
  // the entries mean; the others (cache tree, untracked cache...) are hints.
  while (end - position >= 8) {
    const char* signature = data + position;
    if (std::memcmp(signature, "link", 4) == 0 || std::memcmp(signature, "sdir", 4) == 0) return std::nullopt;
    const std::uint32_t extension_size = read_be32(signature + 4);
    if (extension_size > end - position - 8) return std::nullopt;
    if (std::memcmp(signature, "TREE", 4) == 0) index.cache_tree = read_cache_tree(signature + 8, extension_size);
    position += 8 + extension_size;
  }
  if (position != end) return std::nullopt;
  return index;
}

}  // namespace tg::git
