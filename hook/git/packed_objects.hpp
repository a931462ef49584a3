// Objects of a repository's own packs, found through the pack indexes and
// read with pread(2), without mapping either file.
//
// Why: libgit2 maps a pack and its index and reads them in place. On the
// virtual machine measured here the first touch of a page of a mapped file
// costs 22-42 us (the kernel maps the cached pages around it too) and
// unmapping a 24 MB pack with those pages in place 0.25-0.55 ms, while a
// 4 KB pread costs 2-3 us. A pre-commit hook reads a commit and a few dozen
// trees scattered over the pack: through libgit2 that was 20 page faults and
// the unmapping, a tenth of the hook (BENCHMARKS.md). A commit walk's blobs
// are read here too, by each worker with its own PackedObjects: libgit2's
// readers share locks (see ChangeScan).
//
// Reads only what it fully understands: version 2 indexes with SHA-1 ids,
// entries whose delta chains stay within these packs. Anything else (a loose
// object, an alternate's pack, a damaged pack, an object over `max_size`) is
// "not here", and the caller reads it through libgit2, which then says what
// is wrong. Contents are not checked against their ids, as libgit2 is set
// up not to (hook/git/libgit2.hpp): these are the repository's own objects.
#pragma once

#include "util/unique_fd.hpp"

#include <git2.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct libdeflate_decompressor;

namespace tg::git {

class PackedObjects {
 public:
  // The packs in each of `pack_directories` ("<objects>/pack"), searched in
  // that order (by name within one); a directory that cannot be listed has
  // none. Files are opened when first searched.
  static PackedObjects open(const std::vector<std::string>& pack_directories);

  PackedObjects(PackedObjects&&) noexcept;
  PackedObjects& operator=(PackedObjects&&) noexcept;
  ~PackedObjects();

  struct Object {
    git_object_t type = GIT_OBJECT_INVALID;
    std::string content;
  };
  // Object `id` with its deltas applied; nullopt when it is not read here.
  std::optional<Object> read(const git_oid& id, std::uint64_t max_size = k_default_max_size);

  static constexpr std::uint64_t k_default_max_size = std::uint64_t{64} << 20;

 private:
  struct Pack {
    std::string idx_path;
    UniqueFd idx;
    UniqueFd data;
    std::uint64_t idx_size = 0;
    std::uint64_t data_size = 0;
    std::uint32_t count = 0;
    std::array<std::uint32_t, 256> fanout{};
    enum class State { unopened, usable, unusable } state = State::unopened;
    std::uint32_t lookups = 0;
    // Every k_rows_per_fence-th id of the index, once it has been searched
    // often: a walk's million lookups then read one short range each.
    std::vector<git_oid> fences;
    // The index's 32-bit offset table (host order), read with the fences:
    // 4 bytes an object, and a lookup then reads only its rows of ids.
    std::vector<std::uint32_t> offsets;
  };
  struct DecompressorDeleter {
    void operator()(libdeflate_decompressor* decompressor) const;
  };
  PackedObjects() = default;

  bool ready(Pack& pack);
  bool read_fences(Pack& pack);  // and the offsets
  std::optional<std::uint64_t> offset_of(Pack& pack, const git_oid& id);
  std::optional<Object> read_at(Pack& pack, std::uint64_t offset, std::uint64_t max_size);
  // At least `size` bytes of the pack's data from `offset` on (fewer only
  // where the trailer starts), valid until the next read: from the
  // read-ahead window when it holds them. `asked` says the object itself
  // was asked for (not a delta base of it), which moves the window.
  std::optional<std::string_view> data_at(std::size_t pack, std::uint64_t offset, std::size_t size, bool asked);

  std::vector<Pack> m_packs;
  std::size_t m_last_found = 0;  // index in m_packs
  std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> m_decompressor;
  std::string m_buffer;  // bytes read from a file, reused

  // Read-ahead. A walk asks for blobs nearly in pack order: 99.96% of a
  // million-file walk's reads (each worker's) start less than 64 KB after
  // its previous one. An asked read the window does not hold, starting at
  // most k_most_window_bytes after the previous asked one, fills the window
  // from its offset, twice as much as the last fill up to that size; any
  // other read is a single entry's (a pre-commit's scattered trees, a
  // delta's base) and leaves the window alone.
  static constexpr std::uint64_t k_no_read = UINT64_MAX;
  std::size_t m_asked_pack = 0;
  std::uint64_t m_asked_offset = k_no_read;  // of the last object asked for
  std::size_t m_window_pack = 0;
  std::uint64_t m_window_offset = k_no_read;
  std::size_t m_next_window_bytes = 0;
  std::string m_window;
};

}  // namespace tg::git
