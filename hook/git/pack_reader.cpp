#include "hook/git/pack_reader.hpp"

#include "hook/git/pack_format.hpp"

#include <fmt/format.h>
#include <libdeflate.h>

#include <algorithm>

namespace tg::git {
using pack_format::apply_delta;
using pack_format::delta_size;

void PackReader::DecompressorDeleter::operator()(libdeflate_decompressor* decompressor) const {
  libdeflate_free_decompressor(decompressor);
}

PackReader::PackReader(std::shared_ptr<const OpenedPack> pack, std::uint64_t cache_bytes)
    : m_pack(std::move(pack)), m_decompressor(libdeflate_alloc_decompressor()), m_cache_bytes(cache_bytes) {}

PackReader::PackReader(PackReader&&) noexcept = default;
PackReader& PackReader::operator=(PackReader&&) noexcept = default;
PackReader::~PackReader() = default;

Error PackReader::malformed(const PackEntry& entry, std::string_view why) const {
  return Error{ErrorKind::runtime,
               fmt::format("cannot read the object at offset {} of {}: {}", entry.offset, m_pack->path, why)};
}

Result<void> PackReader::inflate_entry(const PackEntry& entry, std::span<char> out) {
  if (!m_decompressor) return fail(ErrorKind::runtime, "cannot set up a decompressor (out of memory?)");
  const std::span<const unsigned char> pack = m_pack->data.bytes();
  // The zlib stream is inflated as raw deflate between its 2-byte header
  // and its 4-byte Adler-32, which is not checked: the pack is a
  // quarantine's, whose objects index-pack has just checked against their
  // SHA-1 ids, and what is scanned is the object as the pack stores it.
  // Corrupt data still fails here when it does not inflate to its header's
  // size. The checksum cost 0.4-0.6 ms of a 200-commit push's 17 ms hook
  // (BENCHMARKS.md).
  constexpr std::size_t k_zlib_header = 2;
  constexpr std::size_t k_zlib_trailer = 4;
  const std::span<const unsigned char> stream = pack.subspan(entry.data_offset());
  if (!pack_format::plain_zlib_header(stream)) return std::unexpected(malformed(entry, "corrupt zlib data"));
  std::size_t produced = 0;
  std::size_t consumed = 0;
  const libdeflate_result status =
      libdeflate_deflate_decompress_ex(m_decompressor.get(), stream.data() + k_zlib_header,
                                       stream.size() - k_zlib_header, out.data(), out.size(), &consumed, &produced);
  consumed += k_zlib_header + k_zlib_trailer;
  // A read far from this reader's previous one can map much more than its
  // stream: the kernel maps a window around a fault (64 KB), and where the
  // page cache holds large folios (ext4 on Linux 6.x, after the pass read
  // the pack in order) the whole folio, up to 2 MB. The preload reads the
  // 200 trees of a million-file push, 1.4 MB apart: counted at 64 KB each,
  // they left 120 MB of the pack mapped. Near reads are not counted twice:
  // the pass's workers take turns along the pack, and each counts its own
  // streams.
  constexpr std::uint64_t k_far_bytes = 64 << 10;
  constexpr std::uint64_t k_far_read_maps = 2 << 20;
  const std::uint64_t distance =
      entry.data_offset() >= m_read_end ? entry.data_offset() - m_read_end : m_read_end - entry.data_offset();
  m_pack->count_read(consumed + (distance >= k_far_bytes ? k_far_read_maps : 0));
  m_read_end = entry.data_offset() + consumed;
  if (status == LIBDEFLATE_INSUFFICIENT_SPACE || (status == LIBDEFLATE_SUCCESS && produced != out.size())) {
    return std::unexpected(malformed(entry, "size does not match its header"));
  }
  if (status != LIBDEFLATE_SUCCESS) return std::unexpected(malformed(entry, "corrupt zlib data"));
  return {};
}

// A header claiming more than its data could hold is not believed (and
// nothing of that size allocated).
Result<void> PackReader::check_claimed_size(const PackEntry& entry, std::uint64_t size) const {
  if (!pack_format::believable_size(size, m_pack->data.bytes().size() - entry.data_offset())) {
    return std::unexpected(malformed(entry, "size larger than its data could hold"));
  }
  return {};
}

// The entry's data inflated into `out` from `at` on (`out` is resized to end
// there): exactly its header's size, or an error that leaves `out` as it was
// up to `at`.
Result<void> PackReader::inflate_entry(const PackEntry& entry, std::string& out, std::size_t at) {
  const std::uint64_t size = m_pack->entry_size(entry);
  if (auto believable = check_claimed_size(entry, size); !believable) return std::unexpected(believable.error());
  Result<void> inflated;
  // NOTE: libstdc++ 12 may pass the operation the grown capacity instead of
  // the size asked for; the entry's size is used instead.
  out.resize_and_overwrite(at + size, [&](char* data, std::size_t) {
    inflated = inflate_entry(entry, std::span<char>(data + at, size));
    return inflated ? at + size : at;
  });
  return inflated;
}

Result<std::string> PackReader::inflate_entry(const PackEntry& entry) {
  std::string out;
  if (auto inflated = inflate_entry(entry, out, 0); !inflated) return std::unexpected(inflated.error());
  return out;
}

void PackReader::remember(std::uint32_t position, Content content) {
  if (!m_pack->entries[position].is_base || content->size() > m_cache_bytes / 4 || m_cache.contains(position)) {
    return;
  }
  m_cached_bytes += content->size();
  m_cache.emplace(position, std::move(content));
  m_cache_order.push_back(position);
  while (m_cached_bytes > m_cache_bytes && !m_cache_order.empty()) {
    auto oldest = m_cache.find(m_cache_order.front());
    m_cached_bytes -= oldest->second->size();
    m_cache.erase(oldest);
    m_cache_order.pop_front();
  }
}

Result<std::string_view> PackReader::read(std::uint32_t position) {
  const std::vector<PackEntry>& entries = m_pack->entries;
  if (position >= entries.size()) return fail(ErrorKind::runtime, fmt::format("no entry {} in {}", position, m_pack->path));
  if (const PackEntry& entry = entries[position]; !entry.is_delta() && !entry.is_base) {
    const std::uint64_t size = m_pack->entry_size(entry);
    if (auto believable = check_claimed_size(entry, size); !believable) return std::unexpected(believable.error());
    if (m_scratch_size < size) {
      m_scratch.reset();  // the old buffer goes first: never both at once
      m_scratch = std::make_unique_for_overwrite<char[]>(size);
      m_scratch_size = size;
    }
    m_last.reset();
    auto inflated = inflate_entry(entry, std::span<char>(m_scratch.get(), size));
    if (!inflated) return std::unexpected(inflated.error());
    return std::string_view(m_scratch.get(), size);
  }
  std::optional<std::string> sized_delta;  // this entry's instructions, from size()
  if (m_sized_position == position) sized_delta = std::move(m_sized_delta);
  m_sized_position = k_no_position;
  // Down the delta chain to an object at hand (cached, or stored whole)...
  m_chain.clear();
  Content content;
  for (std::uint32_t at = position;;) {
    if (auto cached = m_cache.find(at); cached != m_cache.end()) {
      content = cached->second;
      break;
    }
    const PackEntry& entry = entries[at];
    if (!entry.is_delta()) {
      auto inflated = inflate_entry(entry);
      if (!inflated) return std::unexpected(inflated.error());
      content = std::make_shared<const std::string>(std::move(*inflated));
      remember(at, content);
      break;
    }
    m_chain.push_back(at);
    if (m_chain.size() > entries.size()) return std::unexpected(malformed(entries[position], "delta chain loops"));
    at = entry.base;
  }
  // ...then up again, applying each delta and keeping each result: in pack
  // order the next delta's base is one of them.
  for (auto link = m_chain.rbegin(); link != m_chain.rend(); ++link) {
    const PackEntry& entry = entries[*link];
    auto delta = *link == position && sized_delta ? Result<std::string>(std::move(*sized_delta)) : inflate_entry(entry);
    if (!delta) return std::unexpected(delta.error());
    std::string applied;
    if (!apply_delta(*content, *delta, applied)) {
      return std::unexpected(malformed(entry, "delta does not apply to its base"));
    }
    content = std::make_shared<const std::string>(std::move(applied));
    remember(*link, content);
  }
  m_last = std::move(content);
  return std::string_view(*m_last);
}

Result<PackReader::Placement> PackReader::append(std::uint32_t position, std::string& arena,
                                                 std::vector<Placement>& placed) {
  const std::vector<PackEntry>& entries = m_pack->entries;
  if (position >= entries.size()) return fail(ErrorKind::runtime, fmt::format("no entry {} in {}", position, m_pack->path));
  placed.resize(entries.size());
  // Down the delta chain to an entry placed already, or stored whole...
  m_chain.clear();
  std::uint32_t at = position;
  for (; !placed[at].placed() && entries[at].is_delta(); at = entries[at].base) {
    m_chain.push_back(at);
    if (m_chain.size() > entries.size()) return std::unexpected(malformed(entries[position], "delta chain loops"));
  }
  if (!placed[at].placed()) {
    const PackEntry& entry = entries[at];
    const std::size_t offset = arena.size();
    if (auto inflated = inflate_entry(entry, arena, offset); !inflated) return std::unexpected(inflated.error());
    placed[at] = Placement{offset, arena.size() - offset};
  }
  // ...then up again, each result appended after its base.
  for (auto link = m_chain.rbegin(); link != m_chain.rend(); ++link) {
    const PackEntry& entry = entries[*link];
    if (auto inflated = inflate_entry(entry, m_instructions, 0); !inflated) return std::unexpected(inflated.error());
    const Placement base = placed[entry.base];
    m_applied.clear();
    if (!apply_delta(std::string_view(arena).substr(base.offset, base.size), m_instructions, m_applied)) {
      return std::unexpected(malformed(entry, "delta does not apply to its base"));
    }
    placed[*link] = Placement{arena.size(), m_applied.size()};
    arena.append(m_applied);
  }
  return placed[position];
}

Result<std::uint64_t> PackReader::size(std::uint32_t position) {
  const std::vector<PackEntry>& entries = m_pack->entries;
  if (position >= entries.size()) return fail(ErrorKind::runtime, fmt::format("no entry {} in {}", position, m_pack->path));
  const PackEntry& entry = entries[position];
  if (!entry.is_delta()) return m_pack->entry_size(entry);
  auto instructions = inflate_entry(entry);
  if (!instructions) return std::unexpected(instructions.error());
  std::size_t at = 0;
  const auto base_size = delta_size(*instructions, at);
  const auto result_size = delta_size(*instructions, at);
  if (!base_size || !result_size) return std::unexpected(malformed(entry, "delta without sizes"));
  // A caller that finds the object too large reads nothing more: a large
  // delta is not held on to.
  constexpr std::size_t k_most_kept_instructions = std::size_t{1} << 20;
  if (instructions->size() <= k_most_kept_instructions) {
    m_sized_delta = std::move(*instructions);
    m_sized_position = position;
  }
  return *result_size;
}

}  // namespace tg::git
