#include "hook/git/new_objects.hpp"

#include "hook/git/pack_format.hpp"
#include "hook/git/pack_reader.hpp"
#include "hook/parallel.hpp"
#include "util/big_endian.hpp"
#include "util/file_bytes.hpp"

#include <fmt/format.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <system_error>

namespace tg::git {
namespace {

using namespace pack_format;

// NOTE: the listing touches every entry header and the scan inflates every
// entry, so a pack is read whole: one of up to this size is loaded at once
// (FileBytes::open says how; the limit is where the hook's heap stops
// putting blocks in huge pages). A larger one faults in as it is read, so
// that a multi-GB push is not counted in the hook's memory at once.
constexpr std::size_t k_read_whole_bytes = std::size_t{32} << 20;

// How much of a pack larger than that is read (as PackReader counts it)
// between two looks at the process's file-backed pages; its pages are
// released when those exceed the second bound (OpenedPack::count_read). The
// hook's peak memory stays about that much above what a small push needs,
// whatever the pack's size. Why both: how much a read maps depends on the
// kernel and the page cache (a 4 KB page, a 64 KB fault-around window, a
// 2 MB folio), and releasing at every count's mark made the commit walk of a
// 40,000-commit push, reading trees all over its pack, spend 38% of its time
// unmapping pages and faulting them in again while 10-20 MB were mapped.
constexpr std::uint64_t k_read_between_releases = std::uint64_t{32} << 20;
constexpr std::uint64_t k_most_resident_file_bytes = std::uint64_t{64} << 20;

Error malformed(const std::string& path, std::string_view why) {
  return Error{ErrorKind::runtime, fmt::format("unexpected pack format in {}: {}", path, why)};
}

// The pack offset of index row `row`, from the version 2 index `idx` (held
// whole, `count` objects); nullopt when its large-offset row is outside the
// index.
std::optional<std::uint64_t> index_offset(std::span<const unsigned char> idx, std::uint64_t count, std::uint32_t row) {
  const std::uint64_t offsets_at = k_idx_header_size + k_fanout_size + count * (k_id_size + 4);
  const IndexOffset stored = decode_index_offset(read_be32(idx.data() + offsets_at + 4 * std::uint64_t{row}));
  if (!stored.large) return stored.value;
  const std::uint64_t large_at = offsets_at + 4 * count + 8 * stored.value;
  if (large_at + 8 > idx.size() - k_trailer_size) return std::nullopt;
  return read_be64(idx.data() + large_at);
}

// The entry header at `offset` of the whole mapped `pack`.
std::optional<EntryHeader> parse_entry_header(std::span<const unsigned char> pack, std::uint64_t offset) {
  return pack_format::parse_entry_header(pack, 0, offset, pack.size() - k_id_size);  // the trailer is never an entry
}

// The trees of `packs`, each pack read by one PackReader, for a walk whose
// preload did not hold them all. libgit2 resolves each tree from the start
// of its delta chain: that was 83% of a 40,000-commit walk (BENCHMARKS.md).
// These readers keep 16 MB of the bases they produced: a walk goes from
// newer commits to older ones, and git deltas an older version of a tree
// against a newer one, so a tree's base has mostly just been read. Anything
// they cannot read is left to libgit2, which then says what is wrong.
PreloadedTrees::UnheldReader read_trees_from(const std::vector<std::shared_ptr<const OpenedPack>>& packs) {
  constexpr std::uint64_t k_cached_bases_bytes = std::uint64_t{16} << 20;
  struct PackTrees {
    std::shared_ptr<const OpenedPack> pack;
    PackReader reader;
  };
  auto readers = std::make_shared<std::vector<PackTrees>>();
  for (const std::shared_ptr<const OpenedPack>& pack : packs) {
    readers->push_back(PackTrees{pack, PackReader(pack, k_cached_bases_bytes)});
  }
  return [readers](const git_oid& id) -> std::optional<std::string> {
    for (PackTrees& trees : *readers) {
      const std::optional<std::uint32_t> position = trees.pack->position_of(id);
      if (!position) continue;
      if (trees.pack->entries[*position].type != GIT_OBJECT_TREE) return std::nullopt;
      auto content = trees.reader.read(*position);
      if (!content) return std::nullopt;
      return std::string(*content);
    }
    return std::nullopt;
  };
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

git_oid OpenedPack::id(std::uint32_t position) const {
  const unsigned char* ids = index.bytes().data() + k_idx_header_size + k_fanout_size;
  git_oid id;
  git_oid_fromraw(&id, ids + std::uint64_t{entries[position].row} * k_id_size);
  return id;
}

std::optional<std::uint32_t> OpenedPack::position_of(const git_oid& id) const {
  // The listing checked the index: its fan-out in order, its size, every
  // offset in the pack.
  const unsigned char* fanout = index.bytes().data() + k_idx_header_size;
  const unsigned char* ids = fanout + k_fanout_size;
  const std::uint64_t count = entries.size();
  const unsigned char first = id.id[0];
  std::uint32_t low = first == 0 ? 0 : read_be32(fanout + 4 * (first - 1));
  std::uint32_t high = read_be32(fanout + 4 * first);
  while (low < high) {
    const std::uint32_t middle = low + (high - low) / 2;
    const int order = std::memcmp(ids + std::uint64_t{middle} * k_id_size, id.id, k_id_size);
    if (order == 0) {
      low = middle;
      break;
    }
    if (order < 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  if (low >= high) return std::nullopt;
  const std::uint64_t offset = *index_offset(index.bytes(), count, low);
  auto entry = std::lower_bound(entries.begin(), entries.end(), offset,
                                [](const PackEntry& e, std::uint64_t wanted) { return e.offset < wanted; });
  if (entry == entries.end() || entry->offset != offset) return std::nullopt;
  return static_cast<std::uint32_t>(entry - entries.begin());
}

std::uint64_t OpenedPack::entry_size(const PackEntry& entry) const {
  // The listing parsed this header whole, and the bytes do not change.
  return parse_entry_header(data.bytes(), entry.offset)->size;
}

void OpenedPack::count_read(std::uint64_t bytes) const {
  if (data.bytes().size() <= k_read_whole_bytes) return;
  const std::uint64_t read = m_read_since_release.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (read < k_read_between_releases) return;
  // One thread of those that passed the mark looks and releases; the
  // others' reads go on and fault their pages in again.
  if (m_read_since_release.exchange(0, std::memory_order_relaxed) < k_read_between_releases) return;
  const std::optional<std::uint64_t> resident = FileBytes::resident_file_bytes();
  if (!resident || *resident > k_most_resident_file_bytes) data.release_pages();
}

Result<std::shared_ptr<const OpenedPack>> open_pack(const std::string& idx_path) {
  // The index is mapped and its pages released as its rows are consumed,
  // a slice at a time: read whole, a million objects' 28 MB index would be
  // held at the listing's peak beside their entries. It stays mapped for
  // the ids asked for later (OpenedPack::id).
  auto idx_file = FileBytes::open(idx_path);
  if (!idx_file) return std::unexpected(idx_file.error());
  const std::span<const unsigned char> idx = idx_file->bytes();
  if (idx.size() < k_idx_header_size + k_fanout_size + k_trailer_size ||
      std::memcmp(idx.data(), k_idx_magic, sizeof k_idx_magic) != 0 || read_be32(idx.data() + 4) != 2) {
    return std::unexpected(malformed(idx_path, "not a version 2 pack index"));
  }
  const unsigned char* fanout = idx.data() + k_idx_header_size;
  for (std::size_t bucket = 1; bucket < 256; ++bucket) {
    if (read_be32(fanout + 4 * bucket) < read_be32(fanout + 4 * (bucket - 1))) {
      return std::unexpected(malformed(idx_path, "fan-out table out of order"));
    }
  }
  const std::uint64_t count = read_be32(fanout + 4 * 255);
  const std::uint64_t fixed = k_idx_header_size + k_fanout_size + count * k_idx_per_object + k_trailer_size;
  if (idx.size() < fixed || (idx.size() - fixed) % 8 != 0) {
    return std::unexpected(malformed(idx_path, "size does not match its object count (a SHA-256 index?)"));
  }
  const unsigned char* ids = fanout + k_fanout_size;

  std::string pack_path = idx_path;
  if (pack_path.ends_with(".idx")) pack_path.resize(pack_path.size() - 4);
  pack_path += ".pack";
  auto pack_file = FileBytes::open(pack_path, k_read_whole_bytes);
  if (!pack_file) return std::unexpected(pack_file.error());
  auto opened = std::make_shared<OpenedPack>();
  opened->data = std::move(*pack_file);
  const std::span<const unsigned char> pack = opened->data.bytes();
  if (pack.size() < k_pack_header_size + k_id_size || std::memcmp(pack.data(), "PACK", 4) != 0 ||
      (read_be32(pack.data() + 4) != 2 && read_be32(pack.data() + 4) != 3) ||
      read_be32(pack.data() + 8) != count) {
    return std::unexpected(malformed(pack_path, "header does not match its index"));
  }

  constexpr std::uint32_t k_idx_rows_per_release = 1 << 17;  // 2.5 MB of ids, 512 KB of offsets
  auto release_idx_after = [&](std::uint32_t row) {
    if ((row + 1) % k_idx_rows_per_release == 0) idx_file->release_pages();
  };
  std::vector<PackEntry> entries(count);
  for (std::uint32_t row = 0; row < count; ++row) {
    release_idx_after(row);
    const std::optional<std::uint64_t> found = index_offset(idx, count, row);
    if (!found) return std::unexpected(malformed(idx_path, "offset table out of range"));
    const std::uint64_t offset = *found;
    if (offset < k_pack_header_size || offset >= pack.size() - k_id_size) {
      return std::unexpected(malformed(idx_path, "object offset outside the pack"));
    }
    entries[row].offset = offset;
    entries[row].row = row;
  }
  std::sort(entries.begin(), entries.end(), [](const PackEntry& a, const PackEntry& b) { return a.offset < b.offset; });
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].offset == entries[i - 1].offset) return std::unexpected(malformed(idx_path, "two objects at one offset"));
  }
  // Pack index row -> position in offset order, for ref_delta bases.
  std::vector<std::uint32_t> position_of_row(count);
  for (std::uint32_t position = 0; position < count; ++position) position_of_row[entries[position].row] = position;

  auto position_at_offset = [&](std::uint64_t offset) -> std::optional<std::uint32_t> {
    auto found = std::lower_bound(entries.begin(), entries.end(), offset,
                                  [](const PackEntry& entry, std::uint64_t value) { return entry.offset < value; });
    if (found == entries.end() || found->offset != offset) return std::nullopt;
    return static_cast<std::uint32_t>(found - entries.begin());
  };
  auto position_of_id = [&](const unsigned char* id) -> std::optional<std::uint32_t> {
    const std::uint32_t low = id[0] == 0 ? 0 : read_be32(fanout + 4 * (id[0] - 1));
    const std::uint32_t high = read_be32(fanout + 4 * id[0]);
    std::uint32_t first = low, last = high;
    while (first < last) {
      const std::uint32_t middle = first + (last - first) / 2;
      const int order = std::memcmp(ids + middle * k_id_size, id, k_id_size);
      if (order == 0) return position_of_row[middle];
      if (order < 0) first = middle + 1;
      else last = middle;
    }
    return std::nullopt;
  };

  // Kept only until the types are resolved, for OpenedPack::walked_bytes.
  std::vector<std::uint32_t> header_sizes(count);
  // The entry headers, in slices on both cores: each header sits on its own
  // cold page of the pack (2-3 ms for a 200-commit push on one core). A
  // slice writes only its own entries; the first bad entry in pack order is
  // the one reported.
  auto read_header = [&](std::uint32_t position) -> Result<void> {
    PackEntry& entry = entries[position];
    auto header = parse_entry_header(pack, entry.offset);
    if (!header) return std::unexpected(malformed(pack_path, fmt::format("bad entry at offset {}", entry.offset)));
    entry.raw_type = static_cast<std::uint8_t>(header->type);
    header_sizes[position] = static_cast<std::uint32_t>(std::min<std::uint64_t>(header->size, UINT32_MAX));
    entry.header_size = static_cast<std::uint8_t>(header->data_offset - entry.offset);
    std::optional<std::uint32_t> base;
    if (header->type == ofs_delta) base = position_at_offset(header->base_offset);
    if (header->type == ref_delta) base = position_of_id(header->base_id);
    if ((header->type == ofs_delta || header->type == ref_delta) && !base) {
      // A quarantine's pack is complete (index-pack --fix-thin); a base
      // outside it means this is not such a pack.
      return std::unexpected(malformed(pack_path, fmt::format("delta base of offset {} not in the pack", entry.offset)));
    }
    entry.base = base.value_or(position);
    return {};
  };
  constexpr std::uint32_t k_slice = 256;
  const std::size_t slices = (count + k_slice - 1) / k_slice;
  std::vector<std::optional<Error>> slice_errors(slices);
  parallel_for(slices, default_worker_count(), [&](unsigned, std::size_t slice) {
    const auto begin = static_cast<std::uint32_t>(slice * k_slice);
    const auto end = static_cast<std::uint32_t>(std::min<std::uint64_t>(count, (slice + 1) * k_slice));
    for (std::uint32_t position = begin; position < end; ++position) {
      if (auto read = read_header(position); !read) {
        slice_errors[slice] = std::move(read.error());
        return;
      }
    }
    // The headers of small entries sit on every page of the pack.
    opened->count_read((end < count ? entries[end].offset : pack.size()) - entries[begin].offset);
  }, ThreadStart::off_callers_cpu);
  for (std::optional<Error>& error : slice_errors) {
    if (error) return std::unexpected(std::move(*error));
  }
  position_of_row = {};  // only the ref_delta bases needed it
  for (std::uint32_t position = 0; position < count; ++position) {
    const PackEntry& entry = entries[position];
    if (!entry.is_delta()) continue;
    entries[entry.base].is_base = true;
    const std::uint8_t base_type = entries[entry.base].raw_type;
    if (entry.raw_type == ref_delta && (base_type == blob || base_type == commit || base_type == tag)) {
      opened->thin_bases.push_back(entry.base);
    }
  }
  std::sort(opened->thin_bases.begin(), opened->thin_bases.end());
  opened->thin_bases.erase(std::unique(opened->thin_bases.begin(), opened->thin_bases.end()), opened->thin_bases.end());

  // Resolve types through delta chains; each entry is settled once (the
  // header parser took only known entry types, so none stays invalid).
  std::vector<std::uint32_t> chain;
  for (std::uint32_t position = 0; position < count; ++position) {
    chain.clear();
    std::uint32_t at = position;
    while (entries[at].type == GIT_OBJECT_INVALID && entries[at].is_delta()) {
      chain.push_back(at);
      if (chain.size() > count) return std::unexpected(malformed(pack_path, "delta chain loops"));
      at = entries[at].base;
    }
    if (entries[at].type == GIT_OBJECT_INVALID) entries[at].type = object_type(entries[at].raw_type);
    for (std::uint32_t link : chain) entries[link].type = entries[at].type;
    const git_object_t type = entries[position].type;
    if (type == GIT_OBJECT_TREE || type == GIT_OBJECT_COMMIT) opened->walked_bytes += header_sizes[position];
  }

  idx_file->release_pages();
  opened->index = std::move(*idx_file);
  opened->path = std::move(pack_path);
  opened->entries = std::move(entries);
  return opened;
}

Result<PackListing> list_pack(const std::string& idx_path) {
  auto opened = open_pack(idx_path);
  if (!opened) return std::unexpected(opened.error());
  PackListing listing{std::move(*opened), {}};
  const std::vector<PackEntry>& entries = listing.pack->entries;
  listing.objects.resize(entries.size());
  for (std::uint32_t position = 0; position < entries.size(); ++position) {
    NewObject& object = listing.objects[position];
    object.id = listing.pack->id(position);
    object.position = position;
    object.pack = 0;
    object.type = entries[position].type;
  }
  return listing;
}

Result<std::vector<NewObject>> list_pack_objects(const std::string& idx_path) {
  auto listing = list_pack(idx_path);
  if (!listing) return std::unexpected(listing.error());
  return std::move(listing->objects);
}

std::size_t QuarantineObjects::size() const {
  std::size_t count = loose.size();
  for (const auto& pack : packs) count += pack->entries.size();
  return count;
}

NewObject QuarantineObjects::object(std::size_t row, bool with_id) const {
  for (std::size_t pack = 0; pack < packs.size(); ++pack) {
    const OpenedPack& opened = *packs[pack];
    if (row >= opened.entries.size()) {
      row -= opened.entries.size();
      continue;
    }
    NewObject object;
    const auto position = static_cast<std::uint32_t>(row);
    if (with_id) object.id = opened.id(position);
    object.position = position;
    object.pack = static_cast<std::uint16_t>(pack);
    object.type = opened.entries[position].type;
    return object;
  }
  return loose[row];
}

Result<QuarantineObjects> list_quarantine_packs(const std::string& directory) {
  namespace fs = std::filesystem;
  QuarantineObjects listed;
  std::error_code error;
  std::vector<std::string> indexes;
  const fs::path pack_directory = fs::path(directory) / "pack";
  if (fs::is_directory(pack_directory, error)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(pack_directory, error)) {
      if (entry.path().extension() == ".idx") indexes.push_back(entry.path().string());
    }
    if (error) return fail(ErrorKind::runtime, fmt::format("cannot list {}: {}", pack_directory.string(), error.message()));
  }
  std::sort(indexes.begin(), indexes.end());
  if (indexes.size() >= k_loose_object) {
    return fail(ErrorKind::runtime, fmt::format("more than {} packs in {}", k_loose_object - 1, pack_directory.string()));
  }
  for (const std::string& idx : indexes) {
    auto opened = open_pack(idx);
    if (!opened) return std::unexpected(opened.error());
    listed.packs.push_back(std::move(*opened));
  }
  return listed;
}

Result<void> add_loose_quarantine_objects(const std::string& directory, git_odb* odb, QuarantineObjects& listed) {
  namespace fs = std::filesystem;
  std::error_code error;
  std::vector<fs::path> fan_directories;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 2 && is_hex(name)) fan_directories.push_back(entry.path());
  }
  if (error) return fail(ErrorKind::runtime, fmt::format("cannot list the push quarantine {}: {}", directory, error.message()));
  std::sort(fan_directories.begin(), fan_directories.end());
  for (const fs::path& fan : fan_directories) {
    for (const fs::directory_entry& entry : fs::directory_iterator(fan, error)) {
      const std::string rest = entry.path().filename().string();
      if (rest.size() != 2 * GIT_OID_RAWSZ - 2 || !is_hex(rest)) continue;  // tmp_obj_* while writing
      NewObject object;
      object.position = static_cast<std::uint32_t>(listed.loose_sizes.size());
      const std::string hex = fan.filename().string() + rest;
      if (git_oid_fromstrn(&object.id, hex.data(), hex.size()) != 0) continue;
      std::size_t size = 0;
      git_object_t type = GIT_OBJECT_INVALID;
      if (git_odb_read_header(&size, &type, odb, &object.id) != 0) {
        return std::unexpected(error_from_git(fmt::format("cannot read object {}", hex)));
      }
      object.type = type;
      listed.loose_sizes.push_back(size);
      listed.loose.push_back(object);
    }
    if (error) return fail(ErrorKind::runtime, fmt::format("cannot list {}: {}", fan.string(), error.message()));
  }
  return {};
}

Result<QuarantineObjects> list_quarantine_objects(const std::string& directory, git_odb* odb) {
  auto listed = list_quarantine_packs(directory);
  if (!listed) return listed;
  if (auto added = add_loose_quarantine_objects(directory, odb, *listed); !added) return std::unexpected(added.error());
  return listed;
}

void find_stored_thin_bases(QuarantineObjects& listed, git_repository* repository) {
  listed.stored_rows.clear();
  const bool any = std::any_of(listed.packs.begin(), listed.packs.end(),
                               [](const auto& pack) { return !pack->thin_bases.empty(); });
  if (!any) return;
  // The repository's own objects and its alternates, without the quarantine.
  git_odb* raw_odb = nullptr;
  if (git_odb_open(&raw_odb, own_objects_directory(repository).c_str()) != 0) return;
  const OdbPtr odb(raw_odb);
  std::uint64_t first_row = 0;  // of the pack's entries
  for (const std::shared_ptr<const OpenedPack>& pack : listed.packs) {
    for (const std::uint32_t position : pack->thin_bases) {
      const git_oid id = pack->id(position);
      // Not found, or any error: scanned. A wrong "new" costs time, a wrong
      // "stored" a missed credential. No refresh of the pack list on a miss:
      // an old client's pack refers to its own bases by id, all new.
      if (git_odb_exists_ext(odb.get(), &id, GIT_ODB_LOOKUP_NO_REFRESH) == 1) {
        listed.stored_rows.push_back(first_row + position);
      }
    }
    first_row += pack->entries.size();
  }
}

Result<PreloadedTrees> preload_walk_objects(git_repository* repository, const QuarantineObjects& objects,
                                            std::uint64_t max_bytes, std::chrono::steady_clock::time_point deadline,
                                            PreloadedTrees held) {
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repository) != 0) return std::unexpected(error_from_git("cannot open the object database"));
  const OdbPtr odb(raw_odb);
  git_odb_backend* memory = nullptr;
  if (git_mempack_new(&memory) != 0) return std::unexpected(error_from_git("cannot keep the walked objects in memory"));
  // Above the packs (priority 2) and loose objects (1); the odb owns it now.
  constexpr int k_priority = 100;
  if (git_odb_add_backend(odb.get(), memory, k_priority) != 0) {
    memory->free(memory);
    return std::unexpected(error_from_git("cannot keep the walked objects in memory"));
  }
  // Every walked object goes to one buffer (the trees' own), deltas applied
  // from bases there; the commits are copied on to the backend.
  PreloadedTrees trees = std::move(held);
  std::string& buffer = trees.buffer();
  // A push whose walked objects will fill the buffer gets it at once:
  // growing it by doubling would hold the old copy and the new one at the
  // peak (64 MB more for a million files). Their header sizes are a lower
  // bound of it (a delta's is its instructions'); one more object than fits
  // may still be appended.
  std::uint64_t stored = 0;
  for (const auto& pack : objects.packs) stored += pack->walked_bytes;
  if (stored >= max_bytes / 2) buffer.reserve(max_bytes + max_bytes / 16);
  // Their ids are read in pack order, from all over the pack index: its
  // pages are released every so many, as the listing's were.
  constexpr std::size_t k_ids_between_index_releases = std::size_t{1} << 17;
  std::size_t preloaded = 0;
  for (const std::shared_ptr<const OpenedPack>& pack : objects.packs) {
    PackReader reader(pack);
    std::vector<PackReader::Placement> placed;
    for (std::uint32_t position = 0; position < pack->entries.size(); ++position) {
      const git_object_t type = pack->entries[position].type;
      if (type != GIT_OBJECT_TREE && type != GIT_OBJECT_COMMIT) continue;
      if (++preloaded % 256 == 0 && std::chrono::steady_clock::now() >= deadline) return trees;
      if (preloaded % k_ids_between_index_releases == 0) pack->index.release_pages();
      auto where = reader.append(position, buffer, placed);
      if (!where) return std::unexpected(where.error());
      if (buffer.size() > max_bytes) {
        trees.read_unheld_with(read_trees_from(objects.packs));
        return trees;
      }
      const git_oid id = pack->id(position);
      if (type == GIT_OBJECT_TREE) {
        trees.add_at(id, where->offset, where->size);
        continue;
      }
      // Straight to the backend: git_odb_write would see that the packs have
      // the object already and keep nothing.
      if (memory->write(memory, &id, buffer.data() + where->offset, where->size, type) != 0) {
        return std::unexpected(error_from_git("cannot keep the walked objects in memory"));
      }
    }
  }
  return trees;
}

std::optional<std::string> quarantine_directory() {
  const char* path = std::getenv("GIT_QUARANTINE_PATH");
  if (path == nullptr || *path == '\0') return std::nullopt;
  return std::string(path);
}

}  // namespace tg::git
