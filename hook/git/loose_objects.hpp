// Loose objects of a repository ("<objects>/xx/yyyy…"), each read with one
// pread(2) and inflated in one call.
//
// Why: the blobs a pre-commit scans are loose (`git add` writes them so).
// libgit2 reads such an object twice for a hook that first asks its size
// (the header, then the whole object) and inflates it through zlib's stream
// in chunks; for ten staged files that was a tenth of the hook and long
// enough for a second worker thread, with a repository of its own, to
// start (BENCHMARKS.md).
//
// Reads only what it fully understands: a zlib stream holding
// "<type> <size>\0" and exactly that many bytes. Anything else (a packed
// object, a damaged or truncated file, git's pre-2006 loose format) is "not
// here", and the caller reads it through libgit2, which then says what is
// wrong. Contents are not checked against their ids, as libgit2 is set up
// not to (hook/git/libgit2.hpp): these are the repository's own objects.
#pragma once

#include <git2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct libdeflate_decompressor;

namespace tg::git {

class LooseObjects {
 public:
  // Objects under `objects_directory` ("<git dir>/objects"). Nothing is
  // opened until an object is read.
  explicit LooseObjects(std::string objects_directory);

  LooseObjects(LooseObjects&&) noexcept;
  LooseObjects& operator=(LooseObjects&&) noexcept;
  ~LooseObjects();

  struct Object {
    git_object_t type = GIT_OBJECT_INVALID;
    std::uint64_t size = 0;
    // The object's bytes, valid until the next read; nullopt when `size` is
    // over the read's `max_size` (then only the header was inflated).
    std::optional<std::string_view> content;
  };
  // Object `id`; nullopt when it is not read here.
  std::optional<Object> read(const git_oid& id, std::uint64_t max_size);

 private:
  struct DecompressorDeleter {
    void operator()(libdeflate_decompressor* decompressor) const;
  };

  std::string m_directory;
  std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> m_decompressor;
  std::string m_file;      // the compressed file, reused
  std::string m_inflated;  // header and content, reused
};

// Parses a loose object's header, "<type> <size>\0", at the start of
// `bytes`; nullopt unless it is complete and well formed. `length` gets the
// header's length, its NUL included.
struct LooseHeader {
  git_object_t type = GIT_OBJECT_INVALID;
  std::uint64_t size = 0;
  std::size_t length = 0;
};
std::optional<LooseHeader> parse_loose_header(std::string_view bytes);

}  // namespace tg::git
