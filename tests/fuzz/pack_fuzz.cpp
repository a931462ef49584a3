// A pack and its index, as found in a push's quarantine (hook/git/
// new_objects.cpp lists it, hook/git/pack_reader.cpp reads it). git's
// index-pack has checked such a pack before the hook runs, but the hook must
// not crash or run away on one it has not: every failure is an error. When
// the pack opens, every object reads (in pack order, then in reverse with no
// cache, so that chains resolve from scratch) either to an error or to
// content whose size agrees with size() and with the listing; appended into
// one buffer (PackReader::append), every object either fails or places the
// same content that read() returns.
//
// Input: a 4-byte big-endian index length, the index, then the pack.
#include "hook/git/new_objects.hpp"
#include "hook/git/pack_reader.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "util/big_endian.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

namespace {

// Made once, removed at exit; never destroyed before that (the exit handler
// reads it).
const std::string& scratch_directory() {
  static const std::string* directory = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "tg-pack-fuzz-XXXXXX").string();
    FUZZ_CHECK(::mkdtemp(pattern.data()) != nullptr);
    return new std::string(std::move(pattern));
  }();
  static const bool removed_at_exit = std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(*directory, ignored);
  }) == 0;
  (void)removed_at_exit;
  return *directory;
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  FUZZ_CHECK(out.good());
}

void read_all(const tg::git::PackListing& listing, std::uint64_t cache_bytes, bool reverse) {
  tg::git::PackReader reader(listing.pack, cache_bytes);
  const std::size_t count = listing.objects.size();
  for (std::size_t i = 0; i < count; ++i) {
    const tg::git::NewObject& object = listing.objects[reverse ? count - 1 - i : i];
    auto size = reader.size(object.position);
    auto content = reader.read(object.position);
    if (!content) continue;
    FUZZ_CHECK(size.has_value() && *size == content->size());
    if (auto stored = listing.pack->stored_size(object.position)) FUZZ_CHECK(*stored == content->size());
  }
}

void append_all(const tg::git::PackListing& listing) {
  tg::git::PackReader appender(listing.pack);
  tg::git::PackReader reader(listing.pack, 0);
  std::string arena;
  std::vector<tg::git::PackReader::Placement> placed;
  for (const tg::git::NewObject& object : listing.objects) {
    auto where = appender.append(object.position, arena, placed);
    auto content = reader.read(object.position);
    if (!where) continue;
    FUZZ_CHECK(where->offset <= arena.size() && where->size <= arena.size() - where->offset);
    FUZZ_CHECK(content.has_value() && std::string_view(arena).substr(where->offset, where->size) == *content);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::uint32_t idx_size = tg::read_be32(data);
  if (idx_size > size - 4) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string base = scratch_directory() + "/p";
  write_file(base + ".idx", input.substr(4, idx_size));
  write_file(base + ".pack", input.substr(4 + idx_size));

  auto listing = tg::git::list_pack(base + ".idx");
  if (!listing) {
    FUZZ_CHECK(!listing.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(listing->objects.size() == listing->pack->entries.size());
  for (const tg::git::NewObject& object : listing->objects) {
    FUZZ_CHECK(object.type == GIT_OBJECT_COMMIT || object.type == GIT_OBJECT_TREE || object.type == GIT_OBJECT_BLOB ||
               object.type == GIT_OBJECT_TAG);
    FUZZ_CHECK(object.position < listing->objects.size());
  }
  read_all(*listing, std::uint64_t{1} << 20, false);
  read_all(*listing, 0, true);
  append_all(*listing);
  return 0;
}
