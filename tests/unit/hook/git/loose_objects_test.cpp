#include "hook/git/loose_objects.hpp"

#include "tests/support/git_repo.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace tg::git {
namespace {

using namespace std::string_view_literals;

class LooseObjectsTest : public testing::GitRepoFixture {
 protected:
  std::string objects_directory() { return (m_dir / ".git/objects").string(); }
  git_oid id_of(const std::string& revision) { return parse_oid(git_output("rev-parse " + revision).substr(0, 40)).value(); }
  std::filesystem::path file_of(const git_oid& id) {
    const std::string hex = to_hex(id);
    return m_dir / ".git/objects" / hex.substr(0, 2) / hex.substr(2);
  }
  // Replaces a loose object's file with `bytes`.
  void overwrite(const git_oid& id, std::string_view bytes) {
    const auto path = file_of(id);
    std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  static std::string zlib_compress(std::string_view bytes) {
    uLongf size = compressBound(static_cast<uLong>(bytes.size()));
    std::string out(size, '\0');
    EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(bytes.data()),
                        static_cast<uLong>(bytes.size()), 6),
              Z_OK);
    out.resize(size);
    return out;
  }
  // Bytes that do not compress.
  static std::string noise(std::size_t size) {
    std::mt19937 random(7);
    std::string out(size, '\0');
    for (char& c : out) c = static_cast<char>(random() & 0xff);
    return out;
  }
};

TEST_F(LooseObjectsTest, ReadsEveryKindOfLooseObjectAsLibgit2Does) {
  write("empty.txt", "");
  write("small.txt", "hello\n");
  write("repeats.txt", std::string(1 << 20, 'a'));  // compresses over 1000:1
  write("noise.bin", noise(200'000));
  write("dir/nested.txt", "nested\n");
  git("add -A");
  git("commit -q -m first");
  git("tag -a -m 'a tag' v1");
  ASSERT_TRUE(std::filesystem::is_empty(m_dir / ".git/objects/pack")) << "every object is loose";

  std::istringstream listing(git_output("rev-list --objects --all"));
  std::vector<std::string> ids;
  for (std::string line; std::getline(listing, line);) ids.push_back(line.substr(0, 40));
  ASSERT_EQ(ids.size(), 9u);  // tag, commit, 2 trees, 5 blobs
  ASSERT_NE(std::find(ids.begin(), ids.end(), to_hex(id_of("v1"))), ids.end());

  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  git_odb* raw = nullptr;
  ASSERT_EQ(git_repository_odb(&raw, repository->get()), 0);
  const OdbPtr odb(raw);
  LooseObjects loose(objects_directory());
  for (const std::string& hex : ids) {
    const git_oid id = parse_oid(hex).value();
    auto expected = read_object(odb.get(), id);
    ASSERT_TRUE(expected) << hex;
    auto object = loose.read(id, std::uint64_t{64} << 20);
    ASSERT_TRUE(object) << hex;
    EXPECT_EQ(object->type, git_odb_object_type(expected->get())) << hex;
    EXPECT_EQ(object->size, git_odb_object_size(expected->get())) << hex;
    ASSERT_TRUE(object->content) << hex;
    EXPECT_EQ(*object->content, std::string_view(static_cast<const char*>(git_odb_object_data(expected->get())),
                                                 git_odb_object_size(expected->get())))
        << hex;
  }
}

TEST_F(LooseObjectsTest, GivesOnlyTheSizeOfAnObjectOverTheLimit) {
  write("repeats.txt", std::string(1 << 20, 'a'));
  write("noise.bin", noise(200'000));
  git("add -A");
  LooseObjects loose(objects_directory());
  // A file far smaller than its object, and one larger than the limit
  // could compress to: both are sized from their header alone.
  for (const auto& [path, size] : {std::pair{":repeats.txt"sv, std::uint64_t{1} << 20}, {":noise.bin"sv, 200'000}}) {
    auto object = loose.read(id_of(std::string(path)), 1000);
    ASSERT_TRUE(object) << path;
    EXPECT_EQ(object->type, GIT_OBJECT_BLOB);
    EXPECT_EQ(object->size, size) << path;
    EXPECT_FALSE(object->content) << path;
  }
  auto at_limit = loose.read(id_of(":noise.bin"), 200'000);
  ASSERT_TRUE(at_limit && at_limit->content);
  EXPECT_EQ(at_limit->content->size(), 200'000u);
}

TEST_F(LooseObjectsTest, LeavesPackedAndDamagedObjectsToLibgit2) {
  write("packed.txt", "packed\n");
  git("add -A");
  git("commit -q -m first");
  git("repack -adq");
  git("prune-packed");
  write("a.txt", "first loose file\n");
  write("b.txt", "second loose file\n");
  write("c.txt", "third loose file\n");
  write("d.txt", "fourth loose file\n");
  git("add -A");
  LooseObjects loose(objects_directory());
  EXPECT_FALSE(loose.read(id_of("HEAD:packed.txt"), 1000)) << "packed";

  const git_oid truncated = id_of(":a.txt");
  const std::string whole = zlib_compress("blob 17\0first loose file\n"sv);
  overwrite(truncated, std::string_view(whole).substr(0, whole.size() - 6));
  EXPECT_FALSE(loose.read(truncated, 1000)) << "truncated";

  const git_oid garbage = id_of(":b.txt");
  overwrite(garbage, noise(64));
  EXPECT_FALSE(loose.read(garbage, 1000)) << "not zlib";

  const git_oid short_content = id_of(":c.txt");
  overwrite(short_content, zlib_compress("blob 99\0third loose file\n"sv));
  EXPECT_FALSE(loose.read(short_content, 1000)) << "fewer bytes than its header says";

  const git_oid long_content = id_of(":d.txt");
  overwrite(long_content, zlib_compress("blob 3\0fourth loose file\n"sv));
  EXPECT_FALSE(loose.read(long_content, 1000)) << "more bytes than its header says";

  EXPECT_FALSE(LooseObjects((m_dir / "no-such-directory").string()).read(truncated, 1000));
}

TEST(LooseHeader, AcceptsOnlyWhatGitWrites) {
  auto tag = parse_loose_header("tag 3\0xyz"sv);
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->type, GIT_OBJECT_TAG);
  EXPECT_EQ(tag->size, 3u);
  EXPECT_EQ(tag->length, 6u);
  auto empty = parse_loose_header("blob 0\0"sv);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size, 0u);
  for (std::string_view bad : {"blob 012\0"sv, "blob \0"sv, "blob\0"sv, "blb 1\0"sv, "blob 1"sv, "blob 1x\0"sv,
                               "blob -1\0"sv, "blob 99999999999999999999999\0"sv, ""sv}) {
    EXPECT_FALSE(parse_loose_header(bad)) << bad;
  }
}

}  // namespace
}  // namespace tg::git
