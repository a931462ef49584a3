// Reads the objects of one opened pack without libgit2, for a reader that
// goes through the pack in pack order (a push's quarantine).
//
// Why: libgit2 resolves a deltified object from the start of its delta chain
// on every read, and its delta-base cache rarely holds the base a pack-order
// reader needs; trees in a pushed pack are chains of up to 50 deltas. This
// reader keeps the delta bases it produced last (bounded by bytes), so in
// pack order each object costs one inflate and at most one delta
// application. It inflates with libdeflate, which knows the output size
// (the entry header gives it); zlib's stream was half of a clean push's hook.
#pragma once

#include "core/error.hpp"
#include "hook/git/new_objects.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct libdeflate_decompressor;

namespace tg::git {

class PackReader {
 public:
  // Delta bases over `cache_bytes / 4` are not kept.
  explicit PackReader(std::shared_ptr<const OpenedPack> pack, std::uint64_t cache_bytes = 32u << 20);
  PackReader(PackReader&&) noexcept;
  PackReader& operator=(PackReader&&) noexcept;
  ~PackReader();

  // The content of the entry at `position` (pack order), deltas applied.
  // Valid until the next call. Fails on anything malformed. An object stored
  // whole that no delta needs is inflated into a buffer this reader reuses:
  // most of a push's blobs cost no allocation (none under the lock of a
  // heap the walk on another thread shares) and no zero-filling.
  Result<std::string_view> read(std::uint32_t position);

  // The content's size without applying a delta: a delta's result size is
  // the second number at the start of its instructions. A delta's
  // instructions are kept for a read() of the same entry that comes next:
  // the size is asked before the read, and a pushed blob's delta is often
  // nearly as large as the blob.
  Result<std::uint64_t> size(std::uint32_t position);

  // Where append() put an entry's content in its buffer.
  struct Placement {
    static constexpr std::uint64_t k_unplaced = UINT64_MAX;
    std::uint64_t offset = k_unplaced;
    std::uint64_t size = 0;
    bool placed() const { return offset != k_unplaced; }
  };

  // Appends the content of the entry at `position` to `arena`, deltas
  // applied, unless `placed` (by position; this pack's entries, kept by the
  // caller across calls) says it is there already. A delta's base is taken
  // from `arena` when placed, else appended first, so each entry is inflated
  // once whatever the order of the calls. Why: a push's trees and commits
  // (about 1,900 objects of a hundred bytes for 200 commits) cost read() an
  // allocation, a cache entry and a copy each, more than inflating them.
  Result<Placement> append(std::uint32_t position, std::string& arena, std::vector<Placement>& placed);

 private:
  using Content = std::shared_ptr<const std::string>;
  struct DecompressorDeleter {
    void operator()(libdeflate_decompressor* decompressor) const;
  };
  // Inflates `entry` into `out`, which holds exactly its header's size.
  Result<void> inflate_entry(const PackEntry& entry, std::span<char> out);
  Result<void> inflate_entry(const PackEntry& entry, std::string& out, std::size_t at);
  Result<std::string> inflate_entry(const PackEntry& entry);
  // `size`: the entry's header size (OpenedPack::entry_size).
  Result<void> check_claimed_size(const PackEntry& entry, std::uint64_t size) const;
  void remember(std::uint32_t position, Content content);
  Error malformed(const PackEntry& entry, std::string_view why) const;

  std::shared_ptr<const OpenedPack> m_pack;
  std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> m_decompressor;
  std::uint64_t m_cache_bytes;
  std::uint64_t m_cached_bytes = 0;
  std::unordered_map<std::uint32_t, Content> m_cache;
  std::deque<std::uint32_t> m_cache_order;  // oldest first
  Content m_last;                           // what read() returned last, unless in m_scratch
  std::unique_ptr<char[]> m_scratch;        // entries stored whole that no delta needs
  std::size_t m_scratch_size = 0;
  std::vector<std::uint32_t> m_chain;
  static constexpr std::uint32_t k_no_position = UINT32_MAX;
  std::uint32_t m_sized_position = k_no_position;  // whose instructions m_sized_delta holds
  std::string m_sized_delta;
  std::string m_instructions;  // append()'s, reused
  std::string m_applied;
  std::uint64_t m_read_end = 0;  // where the last stream inflated ended in the pack
};

}  // namespace tg::git
