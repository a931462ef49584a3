#include "hook/git/index_file.hpp"

#include "util/unique_fd.hpp"

#include <cerrno>
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

std::uint32_t read_be32(const char* at) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(at);
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

std::uint16_t read_be16(const char* at) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(at);
  return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
}

bool read_whole_file(const std::string& path, std::vector<char>& out, bool& missing) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    missing = errno == ENOENT;
    return false;
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  out.resize(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = ::read(fd.get(), out.data() + done, out.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
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
    position += 8 + extension_size;
  }
  if (position != end) return std::nullopt;
  return index;
}

}  // namespace tg::git
