#include "hook/git/packed_objects.hpp"

#include "tests/support/git_repo.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace tg::git {
namespace {

class PackedObjectsTest : public testing::GitRepoFixture {
 protected:
  // A history whose trees and blobs pack as deltas of each other.
  void commit_history() {
    std::string config;
    for (int line = 0; line < 200; ++line) config += fmt::format("setting_{} = value {}\n", line, line * 7);
    for (int round = 0; round < 12; ++round) {
      config += fmt::format("setting_round_{} = {}\n", round, round);
      write("config/app.ini", config);
      for (int file = 0; file < 30; ++file) {
        write(fmt::format("src/m{}/f{}.txt", file % 5, file), fmt::format("file {} round {}\n", file, round / 4));
      }
      git("add -A");
      git(fmt::format("commit -q -m 'round {}'", round));
    }
  }
  std::string pack_directory() { return (m_dir / ".git/objects/pack").string(); }
  std::vector<std::string> all_ids() {
    std::istringstream listing(git_output("rev-list --objects --all"));
    std::vector<std::string> ids;
    for (std::string line; std::getline(listing, line);) ids.push_back(line.substr(0, 40));
    return ids;
  }
  // Each object of the history read here is what libgit2 reads; returns how
  // many were read here.
  std::size_t expect_all_read_as_libgit2_does(PackedObjects& packed) {
    auto repository = open_repository(RepositoryLocation{m_dir.string()});
    EXPECT_TRUE(repository);
    git_odb* raw = nullptr;
    EXPECT_EQ(git_repository_odb(&raw, repository->get()), 0);
    const OdbPtr odb(raw);
    std::size_t read_here = 0;
    for (const std::string& hex : all_ids()) {
      const git_oid id = parse_oid(hex).value();
      auto object = read_object(odb.get(), id);
      EXPECT_TRUE(object) << hex;
      auto packed_object = packed.read(id);
      if (!packed_object) continue;
      ++read_here;
      EXPECT_EQ(packed_object->type, git_odb_object_type(object->get())) << hex;
      EXPECT_EQ(packed_object->content, std::string_view(static_cast<const char*>(git_odb_object_data(object->get())),
                                                         git_odb_object_size(object->get())))
          << hex;
    }
    return read_here;
  }
  std::size_t deltas_in_pack() {
    std::istringstream listing(git_output("verify-pack -v .git/objects/pack/*.idx"));
    std::size_t deltas = 0;
    for (std::string line; std::getline(listing, line);) {
      std::istringstream fields(line);
      std::vector<std::string> words{std::istream_iterator<std::string>(fields), {}};
      if (words.size() == 7 && words[1] != "chain") ++deltas;  // id type size packed offset depth base
    }
    return deltas;
  }
};

TEST_F(PackedObjectsTest, ReadsEveryObjectOfAPackAsLibgit2DoesThroughOffsetDeltas) {
  commit_history();
  git("repack -adq --depth=50 --window=50");
  ASSERT_GT(deltas_in_pack(), 10u);
  PackedObjects packed = PackedObjects::open({pack_directory()});
  EXPECT_EQ(expect_all_read_as_libgit2_does(packed), all_ids().size());
}

TEST_F(PackedObjectsTest, ReadsReferenceDeltasAndLargeOffsets) {
  commit_history();
  git("-c repack.useDeltaBaseOffset=false repack -adq --depth=50 --window=50");
  ASSERT_GT(deltas_in_pack(), 10u);
  // An index that keeps every offset past 64 in its 64-bit table, as git
  // does for packs over 2 GB.
  for (const auto& entry : std::filesystem::directory_iterator(m_dir / ".git/objects/pack")) {
    if (entry.path().extension() != ".pack") continue;
    std::filesystem::path idx = entry.path();
    idx.replace_extension(".idx");
    std::filesystem::permissions(idx, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::filesystem::remove(idx);
    git(fmt::format("index-pack --index-version=2,64 -o '{}' '{}'", idx.string(), entry.path().string()));
  }
  PackedObjects packed = PackedObjects::open({pack_directory()});
  EXPECT_EQ(expect_all_read_as_libgit2_does(packed), all_ids().size());
}

// A walk asks for objects nearly in pack order, and they are then served
// from a read-ahead window that grows to 256 KB: read that way (and
// backwards, which never fills it), each object is what libgit2 reads,
// through window edges, deltas whose base lies before the window, and a
// blob larger than the window.
TEST_F(PackedObjectsTest, ReadsAPackInPackOrderThroughItsReadAheadWindow) {
  std::uint64_t state = 12345;
  auto noise = [&](std::size_t length) {
    std::string text;
    for (std::size_t at = 0; at < length; ++at) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      text += "0123456789abcdef"[(state >> 60) & 15];
      if (at % 64 == 63) text += '\n';
    }
    return text;
  };
  for (int file = 0; file < 300; ++file) write(fmt::format("data/f{}.txt", file), noise(1500 + file * 7));
  write("data/large.bin", noise(600 << 10));
  git("add -A");
  git("commit -qm first");
  for (int file = 0; file < 300; file += 3) {
    std::ifstream in(m_dir / fmt::format("data/f{}.txt", file));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    write(fmt::format("data/f{}.txt", file), text + "one more line\n");
  }
  git("commit -qam second");
  git("repack -adq");
  ASSERT_GT(deltas_in_pack(), 10u);

  std::vector<std::pair<std::uint64_t, std::string>> by_offset;  // offset, id
  std::istringstream listing(git_output("verify-pack -v .git/objects/pack/*.idx"));
  for (std::string line; std::getline(listing, line);) {
    std::istringstream fields(line);
    std::vector<std::string> words{std::istream_iterator<std::string>(fields), {}};
    if (words.size() >= 5 && words[0].size() == 40) by_offset.emplace_back(std::stoull(words[4]), words[0]);
  }
  std::sort(by_offset.begin(), by_offset.end());
  ASSERT_GT(by_offset.back().first, std::uint64_t{512} << 10);  // past the windows that grow to the largest

  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  git_odb* raw = nullptr;
  ASSERT_EQ(git_repository_odb(&raw, repository->get()), 0);
  const OdbPtr odb(raw);
  for (const bool backwards : {false, true}) {
    if (backwards) std::reverse(by_offset.begin(), by_offset.end());
    PackedObjects packed = PackedObjects::open({pack_directory()});
    for (const auto& [offset, hex] : by_offset) {
      const git_oid id = parse_oid(hex).value();
      auto expected = read_object(odb.get(), id);
      ASSERT_TRUE(expected) << hex;
      auto object = packed.read(id);
      ASSERT_TRUE(object) << hex << " at " << offset;
      EXPECT_EQ(object->content, std::string_view(static_cast<const char*>(git_odb_object_data(expected->get())),
                                                  git_odb_object_size(expected->get())))
          << hex << " at " << offset << (backwards ? ", read backwards" : "");
    }
  }
}

// Ids in sorted order come from the three packs in turn: each read starts
// at the pack of the last one found, and must still find the others.
TEST_F(PackedObjectsTest, ReadsObjectsSpreadOverSeveralPacks) {
  commit_history();
  git("repack -adq");
  for (int pack = 1; pack <= 2; ++pack) {
    for (int file = 0; file < 5; ++file) write(fmt::format("more/p{}_{}.txt", pack, file), fmt::format("{} {}\n", pack, file));
    git("add more");
    git(fmt::format("commit -qm 'pack {}'", pack));
    git("repack -dq");  // the new objects only, in a pack of their own
  }
  std::size_t packs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(m_dir / ".git/objects/pack")) {
    packs += entry.path().extension() == ".pack";
  }
  ASSERT_EQ(packs, 3u);
  PackedObjects packed = PackedObjects::open({pack_directory()});
  EXPECT_EQ(expect_all_read_as_libgit2_does(packed), all_ids().size());

  // A pack in another directory (a push's quarantine) is read when that
  // directory is listed too, and only then.
  const std::vector<std::string> ids = all_ids();
  const std::filesystem::path elsewhere = m_dir / "quarantine/pack";
  std::filesystem::create_directories(elsewhere);
  std::string moved;
  for (const auto& entry : std::filesystem::directory_iterator(m_dir / ".git/objects/pack")) {
    if (entry.path().extension() == ".idx" && moved.empty()) moved = entry.path().stem().string();
  }
  for (const char* extension : {".idx", ".pack"}) {
    std::filesystem::copy_file(m_dir / ".git/objects/pack" / (moved + extension), elsewhere / (moved + extension));
  }
  for (const char* extension : {".idx", ".pack"}) std::filesystem::remove(m_dir / ".git/objects/pack" / (moved + extension));
  PackedObjects two_places = PackedObjects::open({elsewhere.string(), pack_directory()});
  PackedObjects one_place = PackedObjects::open({pack_directory()});
  std::size_t read_in_one_place = 0;
  for (const std::string& hex : ids) {
    const git_oid id = parse_oid(hex).value();
    EXPECT_TRUE(two_places.read(id)) << hex;
    read_in_one_place += one_place.read(id).has_value();
  }
  EXPECT_LT(read_in_one_place, ids.size());
}

// An index searched thousands of times is searched through its fences,
// its offsets then kept in memory: every id is still found and read (a
// wrong offset is not), and ids that are not there (before the first,
// after the last, between two) are not.
TEST_F(PackedObjectsTest, FindsEveryObjectOnceTheIndexIsSearchedThroughFences) {
  for (int file = 0; file < 1500; ++file) write(fmt::format("many/f{}.txt", file), fmt::format("file {}\n", file));
  git("add -A");
  git("commit -qm many");
  git("repack -adq");
  const std::vector<std::string> ids = all_ids();
  ASSERT_GT(ids.size(), 1500u);
  PackedObjects packed = PackedObjects::open({pack_directory()});
  for (int round = 0; round < 4; ++round) {  // past the lookups before the fences are read
    EXPECT_EQ(expect_all_read_as_libgit2_does(packed), ids.size()) << "round " << round;
  }
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  std::string between = sorted[700];
  between.back() = between.back() == '0' ? '1' : '0';  // another id of the same range
  for (const std::string& absent : {std::string(40, '0'), std::string(40, 'f'), between}) {
    if (std::binary_search(sorted.begin(), sorted.end(), absent)) continue;
    EXPECT_FALSE(packed.read(parse_oid(absent).value())) << absent;
  }
}

TEST_F(PackedObjectsTest, LeavesLooseObjectsAndDamagedPacksToLibgit2) {
  commit_history();
  git("repack -adq");
  write("new.txt", "added after the repack\n");
  git("add new.txt");
  const git_oid loose = parse_oid(git_output("rev-parse :new.txt").substr(0, 40)).value();
  const git_oid packed_blob = parse_oid(git_output("rev-parse HEAD:config/app.ini").substr(0, 40)).value();
  {
    PackedObjects packed = PackedObjects::open({pack_directory()});
    EXPECT_FALSE(packed.read(loose));
    ASSERT_TRUE(packed.read(packed_blob));
    EXPECT_FALSE(packed.read(packed_blob, 10)) << "over the size limit";
  }
  // Every byte of the pack's data after its header turned to garbage: no
  // object reads, nothing crashes.
  for (const auto& entry : std::filesystem::directory_iterator(m_dir / ".git/objects/pack")) {
    if (entry.path().extension() != ".pack") continue;
    const auto size = std::filesystem::file_size(entry.path());
    std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::fstream file(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(12);
    for (std::uintmax_t at = 12; at < size; ++at) file.put(static_cast<char>(at * 131 % 251));
  }
  PackedObjects packed = PackedObjects::open({pack_directory()});
  EXPECT_FALSE(packed.read(packed_blob));
  EXPECT_FALSE(PackedObjects::open({(m_dir / "no-such-directory").string()}).read(packed_blob));
}

}  // namespace
}  // namespace tg::git
