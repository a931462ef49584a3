// The objects a push brings, as git's receive-pack stored them: the push
// quarantine (GIT_QUARANTINE_PATH) holds exactly the received pack (or, for
// a small push, loose objects) until the pre-receive hook accepts the push.
//
// Why: scanning what a push adds commit by commit means opening every
// changed tree of every new commit, which costs more than reading the new
// blobs themselves. Listing the quarantine's blobs instead needs no tree at
// all: a pack's entry headers give each object's type without inflating
// anything. The price is a narrower question: a blob the server already
// stores is not in the quarantine, so a push that only references it again
// (a revert to old content, a branch of commits the server once had) is not
// scanned for it. `server.scan_known_objects` restores the full walk.
#pragma once

#include "core/error.hpp"
#include "hook/git/libgit2.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tg::git {

struct NewObject {
  git_oid id{};
  git_object_t type = GIT_OBJECT_INVALID;  // never a delta: resolved to its base's type
  // Known for packed objects that are not deltas; nullopt otherwise.
  std::optional<std::uint64_t> size;
};

// Every object of the pack whose index is `idx_path` (and whose data is the
// same name with ".pack"), in pack order, with types resolved through delta
// chains. Reads the index and the entry headers only. Fails on anything
// malformed, and on pack index versions other than 2 with SHA-1 ids.
Result<std::vector<NewObject>> list_pack_objects(const std::string& idx_path);

// Blobs, commits and tags in the quarantine `directory` (trees are left out:
// their content is paths and ids), packed objects in pack order, then loose
// ones. Loose objects' types come from `odb`, which must see the quarantine.
Result<std::vector<NewObject>> list_quarantine_objects(const std::string& directory, git_odb* odb);

// The quarantine directory of the running pre-receive hook, from
// GIT_QUARANTINE_PATH; nullopt outside one (git before 2.11, pre-push, a
// hook run by hand).
std::optional<std::string> quarantine_directory();

}  // namespace tg::git
