// git's pack and pack index layouts (Documentation/gitformat-pack.txt), for
// the readers that go around libgit2: the push's pack listing
// (new_objects.cpp, pack_reader.cpp) and the repository's packs read by id
// (packed_objects.cpp).
#pragma once

#include <git2.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tg::git::pack_format {

inline constexpr unsigned char k_idx_magic[4] = {0xff, 't', 'O', 'c'};
inline constexpr std::size_t k_idx_header_size = 8;                      // magic, version
inline constexpr std::size_t k_fanout_size = 256 * 4;
inline constexpr std::size_t k_id_size = GIT_OID_RAWSZ;                  // SHA-1: libgit2 1.5 reads no other
inline constexpr std::size_t k_idx_per_object = k_id_size + 4 + 4;       // id, CRC-32, offset
inline constexpr std::size_t k_trailer_size = 2 * k_id_size;             // pack and index checksums
inline constexpr std::uint32_t k_large_offset_flag = 0x80000000u;
inline constexpr std::size_t k_pack_header_size = 12;                    // "PACK", version, object count

// A version 2 pack index's 4-byte offset entry: the pack offset itself or,
// with the top bit set, the row of the 8-byte offset in the large-offset
// table after the 4-byte ones (packs over 2 GB).
struct IndexOffset {
  std::uint64_t value = 0;  // the pack offset, or the large-offset row
  bool large = false;
};
inline IndexOffset decode_index_offset(std::uint32_t stored) {
  if (stored & k_large_offset_flag) return IndexOffset{stored & ~k_large_offset_flag, true};
  return IndexOffset{stored, false};
}

// Entry types in a pack header; 5 is reserved.
enum PackType : int {
  commit = 1,
  tree = 2,
  blob = 3,
  tag = 4,
  ofs_delta = 6,  // the two delta types
  ref_delta = 7,
};

// An entry's header; for a delta also where its base is named (an offset
// back, or an id to look up).
struct EntryHeader {
  int type = 0;
  std::uint64_t size = 0;                  // inflated size: a delta's is its instructions'
  std::uint64_t base_offset = 0;           // ofs_delta
  const unsigned char* base_id = nullptr;  // ref_delta: points into the bytes parsed
  std::uint64_t data_offset = 0;           // the zlib stream
};

// Parses the entry header at pack offset `offset`. `bytes` holds the pack
// from offset `first` on, and `end` is where the pack's trailer starts: no
// header reaches it. Nullopt when the header is malformed or not all in
// `bytes`. Inline: a push's listing parses every header of its pack.
inline std::optional<EntryHeader> parse_entry_header(std::span<const unsigned char> bytes, std::uint64_t first,
                                              std::uint64_t offset, std::uint64_t end) {
  if (offset < first) return std::nullopt;
  end = std::min<std::uint64_t>(end, first + bytes.size());
  std::uint64_t at = offset;
  auto next = [&] { return bytes[at++ - first]; };
  if (at >= end) return std::nullopt;
  unsigned char byte = next();
  EntryHeader header;
  header.type = (byte >> 4) & 7;
  header.size = byte & 15;
  for (unsigned shift = 4; byte & 0x80; shift += 7) {
    if (at >= end || shift > 57) return std::nullopt;
    byte = next();
    header.size |= std::uint64_t{byte & 0x7fu} << shift;
  }
  if (header.type == ofs_delta) {
    if (at >= end) return std::nullopt;
    byte = next();
    std::uint64_t distance = byte & 0x7f;
    for (int length = 1; byte & 0x80; ++length) {
      if (at >= end || length >= 9) return std::nullopt;
      byte = next();
      distance = ((distance + 1) << 7) | (byte & 0x7f);
    }
    if (distance == 0 || distance > offset) return std::nullopt;
    header.base_offset = offset - distance;
  } else if (header.type == ref_delta) {
    if (end - at < k_id_size) return std::nullopt;
    header.base_id = bytes.data() + (at - first);
    at += k_id_size;
  } else if (header.type < commit || header.type > tag) {
    return std::nullopt;
  }
  header.data_offset = at;
  return header;
}

// The object type of a non-delta entry type; GIT_OBJECT_INVALID otherwise.
git_object_t object_type(int pack_type);

// Deflate expands at most 1032:1: an entry claiming more than that from the
// `available` bytes after its header is not believed (nor allocated).
inline bool believable_size(std::uint64_t size, std::uint64_t available) { return size / 1032 <= available; }

// Whether `stream` opens with a zlib header for deflate with no preset
// dictionary (RFC 1950), as every zlib stream of a pack does.
inline bool plain_zlib_header(std::span<const unsigned char> stream) {
  constexpr unsigned k_deflate = 8;
  constexpr unsigned k_largest_window = 7;      // 32 KB
  constexpr unsigned k_preset_dictionary = 0x20;
  return stream.size() >= 2 && (stream[0] & 0x0fu) == k_deflate && (stream[0] >> 4) <= k_largest_window &&
         (stream[1] & k_preset_dictionary) == 0 && ((stream[0] << 8) | stream[1]) % 31 == 0;
}

// The most bytes zlib's deflate writes for `size` bytes (its compressBound).
inline std::uint64_t deflate_bound(std::uint64_t size) {
  return size + (size >> 12) + (size >> 14) + (size >> 25) + 13;
}

// The size numbers at the start of a delta: little-endian, 7 bits a byte;
// `at` moves past the number.
std::optional<std::uint64_t> delta_size(std::string_view delta, std::size_t& at);

// Applies git's delta format (copy-from-base and insert instructions) to
// `base`, appending the result to `out` (which must not hold `base`); false
// when the instructions do not fit it.
bool apply_delta(std::string_view base, std::string_view delta, std::string& out);

}  // namespace tg::git::pack_format
