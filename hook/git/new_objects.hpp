// The objects a push brings, as git's receive-pack stored them: the push
// quarantine (GIT_QUARANTINE_PATH) holds exactly the received pack (or, for
// a small push, loose objects) until the pre-receive hook accepts the push.
//
// Why: scanning what a push adds commit by commit means opening every
// changed tree of every new commit, which costs more than reading the new
// blobs themselves. Listing the quarantine's blobs instead needs no tree at
// all: a pack's entry headers give each object's type without inflating
// anything. The price is a narrower question: a blob the server already
// stores is not in the quarantine (or only as the base of a thin pack's
// delta, which is skipped), so a push that only references it again (a
// revert to old content, a branch of commits the server once had) is not
// scanned for it. `server.scan_known_objects` restores the full walk.
#pragma once

#include "core/error.hpp"
#include "hook/git/libgit2.hpp"
#include "hook/git/pack_format.hpp"
#include "hook/git/trees.hpp"

#include "util/file_bytes.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tg::git {

// NewObject::pack of a loose object (read through libgit2).
inline constexpr std::uint16_t k_loose_object = UINT16_MAX;

// One object of a push, as QuarantineObjects::object gives it. Not held for
// packed objects: their pack entries say the same.
struct NewObject {
  git_oid id{};
  // A packed object: its entry's position (pack order) and its pack (an
  // index into the listing's packs). A loose one: its row in
  // QuarantineObjects::loose_sizes, and k_loose_object.
  std::uint32_t position = 0;
  std::uint16_t pack = k_loose_object;
  git_object_t type : 8 = GIT_OBJECT_INVALID;  // never a delta: resolved to its base's type
};

// One entry of a pack: 24 bytes, the only table a push's listing holds for
// each of its objects (a push may bring millions; BENCHMARKS.md). Its id is
// in the pack index (OpenedPack::id); its sizes are in its header, read
// again when needed (OpenedPack::entry_size): that header sits just before
// the data a reader is about to inflate.
struct PackEntry {
  std::uint64_t offset = 0;
  // For deltas: the position (in pack order) of the entry it applies to;
  // else its own.
  std::uint32_t base = 0;
  std::uint32_t row = 0;          // in the pack index
  std::uint8_t header_size = 0;   // its zlib stream starts this far after `offset` (at most 31)
  std::uint8_t raw_type = 0;      // the entry type as stored: may be a delta
  bool is_base = false;           // some delta applies to it
  git_object_t type : 8 = GIT_OBJECT_INVALID;  // the object's: a delta's resolved through its chain

  std::uint64_t data_offset() const { return offset + header_size; }
  bool is_delta() const { return raw_type == pack_format::ofs_delta || raw_type == pack_format::ref_delta; }
};
static_assert(sizeof(NewObject) == 28 && sizeof(PackEntry) == 24);

// A pack mapped into memory with its entries in pack order (by offset).
// Immutable once opened: PackReaders on several threads share one.
struct OpenedPack {
  std::string path;
  FileBytes data;
  // Mapped, its pages released by the listing once it is done with them:
  // each id read afterwards maps its page again (release_pages() again
  // after many).
  FileBytes index;
  std::vector<PackEntry> entries;
  // The sizes in the headers of its commits and trees (a delta's: its
  // instructions'), summed by the listing: what a walk's preload will hold,
  // at least.
  std::uint64_t walked_bytes = 0;
  // Positions of the entries stored whole that some reference delta applies
  // to, in pack order, trees left out (nothing scans them). In a pushed pack
  // these are the bases index-pack appended to complete a thin pack (a
  // client refers to a base within its pack by offset, receive-pack
  // accepting offset deltas): copies of objects the repository has already.
  std::vector<std::uint32_t> thin_bases;

  // The id of the entry at `position`, from the index.
  git_oid id(std::uint32_t position) const;

  // The position of object `id`, searched in the index; nullopt when this
  // pack does not hold it.
  std::optional<std::uint32_t> position_of(const git_oid& id) const;

  // The size in the entry's header: the inflated size of its zlib stream
  // (a delta's: its instructions').
  std::uint64_t entry_size(const PackEntry& entry) const;

  // The object's size when it is stored whole; nullopt for a delta (its
  // result's size is in its instructions).
  std::optional<std::uint64_t> stored_size(std::uint32_t position) const {
    return entries[position].is_delta() ? std::nullopt : std::optional<std::uint64_t>(entry_size(entries[position]));
  }

  // Told, from any thread, how many bytes of `data` a reader has gone
  // through (the listing's entry headers, every zlib stream inflated): a
  // pack too large to be read whole has its pages released when, some tens
  // of MB later, the process's file-backed pages are over their bound, so
  // that a multi-GB push is never resident at once.
  void count_read(std::uint64_t bytes) const;

 private:
  mutable std::atomic<std::uint64_t> m_read_since_release{0};
};

// An opened pack and its objects (NewObject::pack is 0).
struct PackListing {
  std::shared_ptr<const OpenedPack> pack;
  std::vector<NewObject> objects;
};

// The objects of a push's quarantine, each by its row: the packs' entries,
// pack after pack, then the loose objects.
struct QuarantineObjects {
  std::vector<std::shared_ptr<const OpenedPack>> packs;
  std::vector<NewObject> loose;            // each with its row in loose_sizes
  std::vector<std::uint64_t> loose_sizes;
  // Rows (sorted) of objects the repository stores already outside the
  // quarantine (find_stored_thin_bases): not new, so not scanned.
  std::vector<std::uint64_t> stored_rows;

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  bool is_stored(std::size_t row) const { return std::binary_search(stored_rows.begin(), stored_rows.end(), row); }

  // The object at `row`. `with_id = false` leaves a packed object's id
  // zero: reading it maps a page of the pack index, and a pass over a
  // million objects should not map the whole index for ids it never uses.
  NewObject object(std::size_t row, bool with_id = true) const;

  // The object's size if the listing knows it: a loose object's, or a
  // packed one's stored whole.
  std::optional<std::uint64_t> known_size(const NewObject& object) const {
    if (object.pack == k_loose_object) return loose_sizes[object.position];
    return packs[object.pack]->stored_size(object.position);
  }
};

// The pack whose index is `idx_path` (and whose data is the same name with
// ".pack"), its entries in pack order with types resolved through delta
// chains. Reads the index and the entry headers only. Fails on anything
// malformed, and on pack index versions other than 2 with SHA-1 ids.
Result<std::shared_ptr<const OpenedPack>> open_pack(const std::string& idx_path);
// The same with every object listed (NewObject::pack is 0), for a caller
// that wants them all at once.
Result<PackListing> list_pack(const std::string& idx_path);
Result<std::vector<NewObject>> list_pack_objects(const std::string& idx_path);

// The objects in the quarantine `directory`: packed objects in pack order,
// then loose ones. Loose objects' types come from `odb`, which must see the
// quarantine.
Result<QuarantineObjects> list_quarantine_objects(const std::string& directory, git_odb* odb);

// The two halves of list_quarantine_objects. The packs need neither the
// repository nor libgit2, so a hook can list them while another thread opens
// the repository; the loose objects are added after them.
Result<QuarantineObjects> list_quarantine_packs(const std::string& directory);
Result<void> add_loose_quarantine_objects(const std::string& directory, git_odb* odb, QuarantineObjects& listed);

// Finds which of the packs' thin-pack bases (OpenedPack::thin_bases) the
// repository stores outside the quarantine (its own objects and their
// alternates) and sets listed.stored_rows to their rows; none when that
// store cannot be opened.
//
// Why: a push that edits a file sends a delta against the server's copy,
// and index-pack appends that copy whole: a push of 200 commits to a
// repacked repository brought 169 such blobs, 1.5 MB beside 6.6 MB of new
// ones, all inflated and scanned for nothing (BENCHMARKS.md).
void find_stored_thin_bases(QuarantineObjects& listed, git_repository* repository);

// Reads the quarantine's packed commits and trees in pack order (each
// inflated once) until `max_bytes` are held or `deadline` passes: commits are
// served to `repository` from memory, ahead of its packs; trees are returned,
// for the walk to read in place (WalkOptions::trees). What does not fit is
// read from the packs as before. Why: a commit walk reads trees in history
// order, and libgit2 resolves each deltified object from its chain's start:
// 18 us a tree, most of a 200-commit walk; its commits cost another 1 ms
// through zlib.
// `held`: trees read already (the server's, prefetch_commit_trees), kept
// beside them.
Result<PreloadedTrees> preload_walk_objects(git_repository* repository, const QuarantineObjects& objects,
                                            std::uint64_t max_bytes,
                                            std::chrono::steady_clock::time_point deadline =
                                                std::chrono::steady_clock::time_point::max(),
                                            PreloadedTrees held = {});

// The quarantine directory of the running pre-receive hook, from
// GIT_QUARANTINE_PATH; nullopt outside one (git before 2.11, pre-push, a
// hook run by hand).
std::optional<std::string> quarantine_directory();

}  // namespace tg::git
