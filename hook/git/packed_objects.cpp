#include "hook/git/packed_objects.hpp"

#include "hook/git/libgit2.hpp"
#include "hook/git/pack_format.hpp"
#include "util/big_endian.hpp"
#include "util/read_exactly.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <iterator>
#include <span>
#include <string_view>
#include <sys/stat.h>

namespace tg::git {
namespace {

using namespace pack_format;

// Index rows searched in one read once the fan-out and a few probes have
// narrowed the range: 20 KB of ids.
constexpr std::uint32_t k_rows_per_read = 1024;
// An index searched this often gets fences (Pack::fences), one for every
// this many rows: 20 bytes per 64 objects (300 KB for a million), read once.
constexpr std::uint32_t k_lookups_before_fences = 4096;
constexpr std::uint32_t k_rows_per_fence = 64;
// An entry's first read: its header and, for most trees and commits, all of
// its compressed data.
constexpr std::size_t k_first_read = 4096;
// The read-ahead window's first and largest fills (PackedObjects::data_at).
constexpr std::size_t k_first_window_bytes = std::size_t{16} << 10;
constexpr std::size_t k_most_window_bytes = std::size_t{256} << 10;
// git keeps delta chains to 50 by default and allows up to 4095.
constexpr int k_max_chain = 4096;

UniqueFd open_read_only(const std::string& path, std::uint64_t& size) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat status {};
  if (!fd || ::fstat(fd.get(), &status) != 0 || !S_ISREG(status.st_mode)) return UniqueFd();
  size = static_cast<std::uint64_t>(status.st_size);
  return fd;
}

}  // namespace

void PackedObjects::DecompressorDeleter::operator()(libdeflate_decompressor* decompressor) const {
  libdeflate_free_decompressor(decompressor);
}

PackedObjects::PackedObjects(PackedObjects&&) noexcept = default;
PackedObjects& PackedObjects::operator=(PackedObjects&&) noexcept = default;
PackedObjects::~PackedObjects() = default;

PackedObjects PackedObjects::open(const std::vector<std::string>& pack_directories) {
  PackedObjects objects;
  for (const std::string& pack_directory : pack_directories) {
    DIR* directory = ::opendir(pack_directory.c_str());
    if (directory == nullptr) continue;
    std::vector<Pack> found;
    while (const dirent* entry = ::readdir(directory)) {
      const std::string_view name = entry->d_name;
      if (!name.starts_with("pack-") || !name.ends_with(".idx")) continue;
      Pack pack;
      pack.idx_path = pack_directory + "/" + std::string(name);
      found.push_back(std::move(pack));
    }
    ::closedir(directory);
    // Any order finds the same content; a fixed one keeps runs alike.
    std::sort(found.begin(), found.end(), [](const Pack& a, const Pack& b) { return a.idx_path < b.idx_path; });
    std::move(found.begin(), found.end(), std::back_inserter(objects.m_packs));
  }
  return objects;
}

// Opens the pack's files and reads its fan-out table, once; false when the
// pack is not one this reader takes.
bool PackedObjects::ready(Pack& pack) {
  if (pack.state != Pack::State::unopened) return pack.state == Pack::State::usable;
  pack.state = Pack::State::unusable;
  pack.idx = open_read_only(pack.idx_path, pack.idx_size);
  if (!pack.idx || !read_exactly(pack.idx.get(), 0, k_idx_header_size + k_fanout_size, m_buffer)) return false;
  const auto* header = reinterpret_cast<const unsigned char*>(m_buffer.data());
  if (std::memcmp(header, k_idx_magic, sizeof k_idx_magic) != 0 || read_be32(header + 4) != 2) return false;
  for (std::size_t bucket = 0; bucket < 256; ++bucket) {
    pack.fanout[bucket] = read_be32(header + k_idx_header_size + 4 * bucket);
    if (bucket > 0 && pack.fanout[bucket] < pack.fanout[bucket - 1]) return false;
  }
  pack.count = pack.fanout[255];
  const std::uint64_t fixed = k_idx_header_size + k_fanout_size + std::uint64_t{pack.count} * k_idx_per_object +
                              k_trailer_size;
  if (pack.idx_size < fixed || (pack.idx_size - fixed) % 8 != 0) return false;  // a SHA-256 index, or damaged

  std::string data_path = pack.idx_path.substr(0, pack.idx_path.size() - 4) + ".pack";
  pack.data = open_read_only(data_path, pack.data_size);
  if (!pack.data || pack.data_size < k_pack_header_size + k_id_size) return false;
  pack.state = Pack::State::usable;
  return true;
}

bool PackedObjects::read_fences(Pack& pack) {
  const std::uint64_t ids_at = k_idx_header_size + k_fanout_size;
  constexpr std::uint32_t k_rows_per_read_of_all = 1 << 16;
  std::vector<git_oid> fences;
  fences.reserve(pack.count / k_rows_per_fence + 1);
  for (std::uint32_t first = 0; first < pack.count; first += k_rows_per_read_of_all) {
    const std::uint32_t rows = std::min(k_rows_per_read_of_all, pack.count - first);
    if (!read_exactly(pack.idx.get(), ids_at + std::uint64_t{first} * k_id_size, std::size_t{rows} * k_id_size,
                      m_buffer)) {
      return false;
    }
    for (std::uint32_t row = 0; row < rows; row += k_rows_per_fence) {  // k_rows_per_read_of_all is a multiple
      git_oid& fence = fences.emplace_back();
      git_oid_fromraw(&fence, reinterpret_cast<const unsigned char*>(m_buffer.data()) + std::size_t{row} * k_id_size);
    }
  }
  const std::uint64_t offsets_at = ids_at + std::uint64_t{pack.count} * (k_id_size + 4);
  std::vector<std::uint32_t> offsets(pack.count);
  for (std::uint32_t first = 0; first < pack.count; first += k_rows_per_read_of_all) {
    const std::uint32_t rows = std::min(k_rows_per_read_of_all, pack.count - first);
    if (!read_exactly(pack.idx.get(), offsets_at + std::uint64_t{first} * 4, std::size_t{rows} * 4, m_buffer)) {
      return false;
    }
    for (std::uint32_t row = 0; row < rows; ++row) offsets[first + row] = read_be32(m_buffer.data() + std::size_t{row} * 4);
  }
  pack.fences = std::move(fences);
  pack.offsets = std::move(offsets);
  return true;
}

std::optional<std::uint64_t> PackedObjects::offset_of(Pack& pack, const git_oid& id) {
  if (!ready(pack)) return std::nullopt;
  const unsigned char first_byte = id.id[0];
  std::uint32_t low = first_byte == 0 ? 0 : pack.fanout[first_byte - 1];
  std::uint32_t high = pack.fanout[first_byte];
  const std::uint64_t ids_at = k_idx_header_size + k_fanout_size;
  if (pack.fences.empty() && pack.count > k_rows_per_read && ++pack.lookups == k_lookups_before_fences &&
      !read_fences(pack)) {
    return std::nullopt;
  }
  if (!pack.fences.empty()) {
    // The rows from the last fence at or before `id` to the next one.
    const auto after = std::upper_bound(pack.fences.begin(), pack.fences.end(), id, OidLess{});
    if (after == pack.fences.begin()) return std::nullopt;  // before the first id
    const auto fence = static_cast<std::uint64_t>(after - pack.fences.begin() - 1);
    low = static_cast<std::uint32_t>(std::max<std::uint64_t>(low, fence * k_rows_per_fence));
    high = static_cast<std::uint32_t>(std::min<std::uint64_t>(high, (fence + 1) * k_rows_per_fence));
    if (low >= high) return std::nullopt;
  }
  // A few single-id probes narrow a large index's range; then one read.
  while (high - low > k_rows_per_read) {
    const std::uint32_t middle = low + (high - low) / 2;
    if (!read_exactly(pack.idx.get(), ids_at + std::uint64_t{middle} * k_id_size, k_id_size, m_buffer)) {
      return std::nullopt;
    }
    if (std::memcmp(m_buffer.data(), id.id, k_id_size) <= 0) low = middle;
    else high = middle;
  }
  if (low >= high ||
      !read_exactly(pack.idx.get(), ids_at + std::uint64_t{low} * k_id_size, (high - low) * k_id_size, m_buffer)) {
    return std::nullopt;
  }
  const auto* rows = reinterpret_cast<const unsigned char*>(m_buffer.data());
  std::uint32_t first = 0, last = high - low;
  std::optional<std::uint32_t> row;
  while (first < last) {
    const std::uint32_t middle = first + (last - first) / 2;
    const int order = std::memcmp(rows + std::uint64_t{middle} * k_id_size, id.id, k_id_size);
    if (order == 0) {
      row = low + middle;
      break;
    }
    if (order < 0) first = middle + 1;
    else last = middle;
  }
  if (!row) return std::nullopt;

  const std::uint64_t offsets_at = ids_at + std::uint64_t{pack.count} * (k_id_size + 4);
  std::uint64_t offset = 0;
  if (!pack.offsets.empty()) {
    offset = pack.offsets[*row];
  } else {
    if (!read_exactly(pack.idx.get(), offsets_at + std::uint64_t{*row} * 4, 4, m_buffer)) return std::nullopt;
    offset = read_be32(m_buffer.data());
  }
  if (const IndexOffset stored = decode_index_offset(static_cast<std::uint32_t>(offset)); stored.large) {
    const std::uint64_t large_at = offsets_at + std::uint64_t{pack.count} * 4 + stored.value * 8;
    if (large_at + 8 > pack.idx_size - k_trailer_size || !read_exactly(pack.idx.get(), large_at, 8, m_buffer)) {
      return std::nullopt;
    }
    offset = read_be64(reinterpret_cast<const unsigned char*>(m_buffer.data()));
  }
  if (offset < k_pack_header_size || offset >= pack.data_size - k_id_size) return std::nullopt;
  return offset;
}

std::optional<std::string_view> PackedObjects::data_at(std::size_t pack, std::uint64_t offset, std::size_t size,
                                                       bool asked) {
  const Pack& opened = m_packs[pack];
  const std::uint64_t end = opened.data_size - k_id_size;
  size = static_cast<std::size_t>(std::min<std::uint64_t>(size, end - offset));
  const bool follows = asked && m_asked_pack == pack && m_asked_offset != k_no_read && offset >= m_asked_offset &&
                       offset - m_asked_offset < k_most_window_bytes;
  if (asked) {
    m_asked_pack = pack;
    m_asked_offset = offset;
    if (!follows) m_next_window_bytes = k_first_window_bytes;
  }
  if (m_window_pack == pack && m_window_offset != k_no_read && offset >= m_window_offset &&
      offset + size <= m_window_offset + m_window.size()) {
    return std::string_view(m_window).substr(static_cast<std::size_t>(offset - m_window_offset));
  }
  if (!follows) {
    if (!read_exactly(opened.data.get(), offset, size, m_buffer)) return std::nullopt;
    return std::string_view(m_buffer);
  }
  const auto fill = static_cast<std::size_t>(std::min<std::uint64_t>(std::max(size, m_next_window_bytes), end - offset));
  m_window_offset = k_no_read;
  if (!read_exactly(opened.data.get(), offset, fill, m_window)) return std::nullopt;
  m_window_pack = pack;
  m_window_offset = offset;
  m_next_window_bytes = std::min(m_next_window_bytes * 2, k_most_window_bytes);
  return std::string_view(m_window);
}

std::optional<PackedObjects::Object> PackedObjects::read_at(Pack& pack, std::uint64_t offset,
                                                            std::uint64_t max_size) {
  if (!m_decompressor) {
    m_decompressor.reset(libdeflate_alloc_decompressor());
    if (!m_decompressor) return std::nullopt;
  }
  const std::uint64_t end = pack.data_size - k_id_size;  // the trailer is never an entry
  std::vector<std::string> deltas;                       // from the object down to its base
  Object object;
  for (int link = 0;; ++link) {
    if (link > k_max_chain || offset < k_pack_header_size || offset >= end) return std::nullopt;
    const auto pack_index = static_cast<std::size_t>(&pack - m_packs.data());
    auto first = data_at(pack_index, offset, k_first_read, link == 0);
    if (!first) return std::nullopt;
    const std::span<const unsigned char> first_bytes(reinterpret_cast<const unsigned char*>(first->data()),
                                                     first->size());
    auto header = parse_entry_header(first_bytes, offset, offset, end);
    if (!header || header->size > max_size || !believable_size(header->size, end - header->data_offset)) {
      return std::nullopt;
    }
    std::optional<std::uint64_t> base_offset;
    if (header->type == ofs_delta) {
      base_offset = header->base_offset;
    } else if (header->type == ref_delta) {
      git_oid base_id;
      git_oid_fromraw(&base_id, header->base_id);
      base_offset = offset_of(pack, base_id);  // a thin pack's base elsewhere: libgit2's to find
      if (!base_offset) return std::nullopt;
      // offset_of used the buffer: read the entry again (not the window's
      // bytes, which it leaves alone).
      first = data_at(pack_index, offset, k_first_read, false);
      if (!first) return std::nullopt;
    }
    // The compressed data: in the first read, or read now up to the most
    // zlib writes for this size (never past the trailer).
    const std::uint64_t stream_size = std::min(deflate_bound(header->size), end - header->data_offset);
    const std::uint64_t in_buffer = offset + first->size() - header->data_offset;
    std::string_view stream(first->data() + (header->data_offset - offset),
                            static_cast<std::size_t>(std::min(stream_size, in_buffer)));
    if (stream_size > in_buffer) {
      if (!read_exactly(pack.data.get(), header->data_offset, static_cast<std::size_t>(stream_size), m_buffer)) {
        return std::nullopt;
      }
      stream = m_buffer;
    }
    std::string inflated;
    bool inflated_ok = false;
    inflated.resize_and_overwrite(static_cast<std::size_t>(header->size), [&](char* out, std::size_t) {
      std::size_t consumed = 0;  // the stream may be followed by the next entry
      std::size_t produced = 0;
      inflated_ok = libdeflate_zlib_decompress_ex(m_decompressor.get(), stream.data(), stream.size(), out,
                                                  static_cast<std::size_t>(header->size), &consumed,
                                                  &produced) == LIBDEFLATE_SUCCESS &&
                    produced == header->size;
      return static_cast<std::size_t>(header->size);
    });
    if (!inflated_ok) return std::nullopt;
    if (!base_offset) {
      object.type = object_type(header->type);
      object.content = std::move(inflated);
      break;
    }
    deltas.push_back(std::move(inflated));
    offset = *base_offset;
  }
  for (auto delta = deltas.rbegin(); delta != deltas.rend(); ++delta) {
    std::string applied;
    if (!apply_delta(object.content, *delta, applied) || applied.size() > max_size) return std::nullopt;
    object.content = std::move(applied);
  }
  return object;
}

std::optional<PackedObjects::Object> PackedObjects::read(const git_oid& id, std::uint64_t max_size) {
  // The pack of the last object found first: a walk's objects come in runs
  // from one pack, and a miss costs a few reads of the index.
  if (m_last_found < m_packs.size()) {
    if (auto offset = offset_of(m_packs[m_last_found], id)) return read_at(m_packs[m_last_found], *offset, max_size);
  }
  for (std::size_t at = 0; at < m_packs.size(); ++at) {
    if (at == m_last_found) continue;
    if (auto offset = offset_of(m_packs[at], id)) {
      m_last_found = at;
      return read_at(m_packs[at], *offset, max_size);
    }
  }
  return std::nullopt;
}

}  // namespace tg::git
