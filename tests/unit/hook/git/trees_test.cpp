#include "hook/git/trees.hpp"

#include "hook/git/changes.hpp"
#include "tests/support/git_repo.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace tg::git {
namespace {

class TreesTest : public testing::GitRepoFixture {
 protected:
  RepositoryPtr repository() {
    auto opened = open_repository(RepositoryLocation{m_dir.string()});
    EXPECT_TRUE(opened) << (opened ? "" : opened.error().message);
    return opened ? std::move(*opened) : RepositoryPtr();
  }
  git_oid rev(const std::string& revision) {
    const std::string hex = git_output("rev-parse " + revision);
    return parse_oid(std::string_view(hex).substr(0, 40)).value_or(git_oid{});
  }
  // Writes `content` as a tree object as it is, without git's checks.
  git_oid write_raw_tree(git_repository* repository, const std::string& content) {
    git_odb* raw = nullptr;
    EXPECT_EQ(git_repository_odb(&raw, repository), 0);
    const OdbPtr odb(raw);
    git_oid id{};
    EXPECT_EQ(git_odb_write(&id, odb.get(), content.data(), content.size(), GIT_OBJECT_TREE), 0);
    return id;
  }

  // Every commit's added and modified blobs up to HEAD, as "commit path
  // blob" lines, as `git diff-tree` (first parent, no rename detection)
  // reports them.
  std::set<std::string> changes_by_git_diff_tree() {
    std::set<std::string> expected;
    std::istringstream log(git_output("log --format=C%H -r --raw --no-renames --no-abbrev --root --reverse"));
    std::string commit_id;
    for (std::string line; std::getline(log, line);) {
      if (line.starts_with("C")) {
        commit_id = line.substr(1);
        continue;
      }
      if (!line.starts_with(":")) continue;
      // ":old_mode new_mode old_id new_id status\tpath"
      std::istringstream fields(line.substr(1, line.find('\t') - 1));
      std::string old_mode, new_mode, old_id, new_id, status;
      fields >> old_mode >> new_mode >> old_id >> new_id >> status;
      const bool new_is_content = new_mode == "100644" || new_mode == "100755" || new_mode == "120000";
      if (!new_is_content || old_id == new_id) continue;
      expected.insert(commit_id + " " + line.substr(line.find('\t') + 1) + " " + new_id);
    }
    return expected;
  }

  // The commit walk up to HEAD records what `git diff-tree` lists (at least
  // `at_least` changes, so that the history tests something) over
  // `commits` commits.
  void expect_walk_agrees_with_git(std::size_t at_least, std::uint64_t commits) {
    const std::set<std::string> expected = changes_by_git_diff_tree();
    ASSERT_GE(expected.size(), at_least);
    const RepositoryPtr opened = repository();
    ChangeSet changes;
    ASSERT_TRUE(add_commit_range(opened.get(), CommitRange{{rev("HEAD")}, {}, {}, "refs/heads/main"}, changes));
    std::set<std::string> walked;
    for (const BlobOccurrence& occurrence : changes.blobs) {
      walked.insert(to_hex(*changes.sources[occurrence.source].commit) + " " + occurrence.path + " " +
                    to_hex(occurrence.blob));
    }
    EXPECT_EQ(walked, expected);
    EXPECT_EQ(changes.commits, commits);
  }
};

std::string raw_entry(std::string_view mode, std::string_view name, unsigned char fill) {
  std::string entry = fmt::format("{} {}", mode, name);
  entry.push_back('\0');
  entry.append(GIT_OID_RAWSZ, static_cast<char>(fill));
  return entry;
}

TEST_F(TreesTest, EntriesAndModesAgreeWithLibgit2IncludingLegacyModes) {
  // Stored modes as old git versions and other tools wrote them.
  const std::string content = raw_entry("100644", "a.txt", 1) + raw_entry("100664", "b.txt", 2) +
                              raw_entry("100755", "c.sh", 3) + raw_entry("100775", "d.sh", 4) +
                              raw_entry("120000", "e.link", 5) + raw_entry("160000", "f.module", 6) +
                              raw_entry("40000", "g", 7) + raw_entry("040000", "h", 8);
  auto parsed = parse_tree(content);
  ASSERT_TRUE(parsed) << parsed.error().message;
  const RepositoryPtr opened = repository();
  const git_oid id = write_raw_tree(opened.get(), content);
  git_tree* raw = nullptr;
  ASSERT_EQ(git_tree_lookup(&raw, opened.get(), &id), 0);
  const TreePtr tree(raw);
  ASSERT_EQ(parsed->size(), git_tree_entrycount(tree.get()));
  for (std::size_t i = 0; i < parsed->size(); ++i) {
    const git_tree_entry* expected = git_tree_entry_byindex(tree.get(), i);
    const TreeEntry& entry = (*parsed)[i];
    EXPECT_EQ(entry.name, git_tree_entry_name(expected));
    EXPECT_TRUE(git_oid_equal(&entry.id, git_tree_entry_id(expected))) << entry.name;
    EXPECT_EQ(entry.mode, static_cast<std::uint32_t>(git_tree_entry_filemode(expected))) << entry.name;
    EXPECT_EQ(entry.is_tree(), git_tree_entry_type(expected) == GIT_OBJECT_TREE) << entry.name;
  }
  EXPECT_EQ((*parsed)[1].mode, static_cast<std::uint32_t>(GIT_FILEMODE_BLOB));
  EXPECT_EQ((*parsed)[3].mode, static_cast<std::uint32_t>(GIT_FILEMODE_BLOB_EXECUTABLE));
}

TEST_F(TreesTest, MalformedTreesAreErrorsNotCrashes) {
  const std::string good = raw_entry("100644", "a.txt", 1);
  ASSERT_TRUE(parse_tree(good));
  ASSERT_TRUE(parse_tree(""));  // the empty tree
  for (const std::string& bad : {good.substr(0, good.size() - 1),   // id cut short
                                 good.substr(0, 9),                  // no NUL after the name
                                 raw_entry("", "a.txt", 1),          // no mode
                                 raw_entry("10x644", "a.txt", 1),    // not octal
                                 raw_entry("10000000", "a.txt", 1),  // too long a mode
                                 raw_entry("100644", "", 1),         // empty name
                                 std::string("100644"), good + "1"}) {
    auto parsed = parse_tree(bad);
    ASSERT_FALSE(parsed) << "parsed: " << bad;
    EXPECT_NE(parsed.error().message.find("malformed tree"), std::string::npos) << parsed.error().message;
  }
  // Through the reader the message names the tree.
  const RepositoryPtr opened = repository();
  const git_oid id = write_raw_tree(opened.get(), good.substr(0, good.size() - 1));
  auto reader = TreeReader::open(opened.get());
  ASSERT_TRUE(reader);
  auto read = reader->read(id);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find(to_hex(id)), std::string::npos) << read.error().message;
}

TEST_F(TreesTest, TreeOrderIsTheOrderGitStoresEntriesIn) {
  // Names around '/' (0x2f): '-' and '.' sort before it, '0' after.
  for (const char* path : {"a-b", "a.b", "a/x", "a0", "ab", "a/y/z", "b", "a.b.c/d"}) write(path, "x\n");
  git("add .");
  git("commit -qm names");
  const RepositoryPtr opened = repository();
  auto reader = TreeReader::open(opened.get());
  ASSERT_TRUE(reader);
  auto root = reader->read(rev("HEAD^{tree}"));
  ASSERT_TRUE(root) << root.error().message;
  std::vector<std::string> names;
  for (const TreeEntry& entry : root->entries) names.emplace_back(entry.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a-b", "a.b", "a.b.c", "a", "a0", "ab", "b"}));
  for (std::size_t i = 1; i < root->entries.size(); ++i) {
    const TreeEntry& before = root->entries[i - 1];
    const TreeEntry& after = root->entries[i];
    EXPECT_LT(tree_order(before.name, before.is_tree(), after.name, after.is_tree()), 0) << after.name;
    EXPECT_GT(tree_order(after.name, after.is_tree(), before.name, before.is_tree()), 0) << after.name;
  }
  EXPECT_EQ(tree_order("a", true, "a", true), 0);
  EXPECT_NE(tree_order("a", true, "a", false), 0);  // a file and a directory of one name are two names
}

TEST_F(TreesTest, EntryAtPathFollowsDirectoriesOnly) {
  write("dir/sub/file.txt", "content\n");
  write("top.txt", "top\n");
  git("add .");
  git("commit -qm paths");
  const RepositoryPtr opened = repository();
  auto reader = TreeReader::open(opened.get());
  ASSERT_TRUE(reader);
  const git_oid root = rev("HEAD^{tree}");
  auto found = reader->entry_at_path(root, "dir/sub/file.txt");
  ASSERT_TRUE(found && *found);
  const git_oid blob = rev("HEAD:dir/sub/file.txt");
  EXPECT_TRUE(git_oid_equal(&(*found)->id, &blob));
  EXPECT_EQ((*found)->mode, static_cast<std::uint32_t>(GIT_FILEMODE_BLOB));
  auto directory = reader->entry_at_path(root, "dir/sub");
  ASSERT_TRUE(directory && *directory);
  EXPECT_TRUE((*directory)->is_tree());
  for (const char* absent : {"dir/sub/other.txt", "nothing/file.txt", "top.txt/inside", "dir/su"}) {
    auto missing = reader->entry_at_path(root, absent);
    ASSERT_TRUE(missing) << absent;
    EXPECT_FALSE(*missing) << absent;
  }
}

TEST_F(TreesTest, PreloadedTreesAreReadBeforeTheObjectDatabase) {
  write("a.txt", "a\n");
  git("add .");
  git("commit -qm a");
  const RepositoryPtr opened = repository();
  const git_oid stored = rev("HEAD^{tree}");
  // A store that says something else for the same id proves where the
  // reader looked.
  PreloadedTrees trees;
  const std::string other = raw_entry("100644", "held.txt", 9);
  trees.add(stored, other);
  trees.add(stored, raw_entry("100644", "ignored.txt", 9));  // first copy wins
  EXPECT_EQ(trees.count(), 1u);
  EXPECT_EQ(trees.bytes(), other.size());
  for (const PreloadedTrees* preloaded : std::initializer_list<const PreloadedTrees*>{nullptr, &trees}) {
    auto reader = TreeReader::open(opened.get(), preloaded);
    ASSERT_TRUE(reader);
    auto tree = reader->read(stored);
    ASSERT_TRUE(tree) << tree.error().message;
    ASSERT_EQ(tree->entries.size(), 1u);
    EXPECT_EQ(tree->entries[0].name, preloaded != nullptr ? "held.txt" : "a.txt");
    EXPECT_EQ(tree->storage == nullptr, preloaded != nullptr);
  }
  // Not a tree: an error, not a parse of a blob.
  auto reader = TreeReader::open(opened.get(), &trees);
  ASSERT_TRUE(reader);
  auto blob = reader->read(rev("HEAD:a.txt"));
  ASSERT_FALSE(blob);
  EXPECT_NE(blob.error().message.find("not a tree"), std::string::npos) << blob.error().message;
}

// Every commit's added and modified blobs, as the walk records them and as
// `git diff-tree` (first parent, no rename detection) reports them.
TEST_F(TreesTest, CommitWalkAgreesWithGitDiffTreeOnEveryKindOfChange) {
  auto commit = [&](const std::string& message) {
    git("add -A .");
    git("commit -q --allow-empty -m '" + message + "'");
  };
  write("keep/a.txt", "a\n");
  write("keep/deep/b.txt", "b\n");
  write("file-then-dir", "a file first\n");
  write("dir-then-file/x.txt", "x\n");
  write("run.sh", "#!/bin/sh\n");
  write("legacy-name", "l\n");
  commit("start");
  write("keep/deep/b.txt", "b changed\n");
  std::filesystem::remove(m_dir / "file-then-dir");
  write("file-then-dir/inner.txt", "now a directory\n");
  std::filesystem::remove_all(m_dir / "dir-then-file");
  write("dir-then-file", "now a file\n");
  git("update-index --chmod=+x run.sh");
  commit("type changes");
  std::filesystem::rename(m_dir / "keep", m_dir / "moved");
  std::filesystem::remove(m_dir / "legacy-name");
  std::filesystem::create_symlink("moved/a.txt", m_dir / "legacy-name");
  commit("move and symlink");
  git("update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,module");
  git("commit -qm submodule");
  git("update-index --chmod=-x run.sh");
  write("moved/a.txt", "a again\n");
  commit("mode back, edit");
  commit("empty");

  expect_walk_agrees_with_git(8, 6);
}

// The walk compares two versions of a tree only where their bytes differ:
// changes at a tree's first and last entry, in its middle, at both ends at
// once, entries added and removed there, names that are prefixes of each
// other, a file and a directory trading places, modes changed. Each of 80
// commits makes one to three such changes (a fixed pseudo-random series) in
// a flat directory and a nested one; the walk must list what `git
// diff-tree` lists.
TEST_F(TreesTest, CommitWalkAgreesWithGitDiffTreeWhereverAChangeFallsInATree) {
  std::uint64_t state = 20261125;
  auto next = [&](std::uint64_t bound) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return (state >> 33) % bound;
  };
  const std::vector<std::string> names = {"a", "a.txt", "a0", "ab", "b", "b-", "b.c", "bb", "m", "m.d",
                                          "mid", "n", "x", "x.y", "xy", "z", "zz", "zzz"};
  auto path_of = [&](std::size_t directory, std::size_t name) {
    return std::string(directory == 0 ? "flat/" : "deep/er/") + names[name];
  };
  auto write_file = [&](const std::string& path, std::uint64_t version) {
    std::filesystem::remove_all(m_dir / path);
    write(path, fmt::format("{} version {}\n", path, version));
  };
  for (std::size_t directory = 0; directory < 2; ++directory) {
    for (std::size_t name = 0; name < names.size(); name += 2) write_file(path_of(directory, name), 0);
  }
  git("add -A . && git commit -qm start");
  for (int commit = 1; commit <= 80; ++commit) {
    const std::uint64_t changes = 1 + next(3);
    for (std::uint64_t change = 0; change < changes; ++change) {
      const std::size_t directory = next(2);
      // Ends of the directory as often as anywhere else.
      const std::uint64_t where = next(4);
      const std::size_t name = where == 0 ? 0 : where == 1 ? names.size() - 1 : next(names.size());
      const std::string path = path_of(directory, name);
      const std::filesystem::path file = m_dir / path;
      switch (next(5)) {
        case 0:  // removed, or added back
          if (std::filesystem::exists(file)) std::filesystem::remove_all(file);
          else write_file(path, commit);
          break;
        case 1:  // a file becomes a directory, or the other way round
          if (std::filesystem::is_directory(file)) {
            write_file(path, commit);
          } else {
            std::filesystem::remove_all(file);
            write(path + "/inner", fmt::format("inner {}\n", commit));
          }
          break;
        case 2:  // mode
          if (std::filesystem::is_regular_file(file)) {
            git(fmt::format("add '{}' && git update-index --chmod={}x '{}'", path, next(2) ? '+' : '-', path));
          }
          break;
        default:  // edited (or added)
          write_file(path, commit);
      }
    }
    git(fmt::format("add -A . && git commit -q --allow-empty -m 'c{}'", commit));
  }
  expect_walk_agrees_with_git(100, 81);
}

// A push's old ref targets' trees, read ahead: breadth first, the root
// first, until told to stop or full; a walk reads the same bytes.
TEST_F(TreesTest, PrefetchReadsACommitsTreesBreadthFirstUntilToldToStop) {
  write("top.txt", "top\n");
  write("a/one.txt", "1\n");
  write("a/deep/two.txt", "2\n");
  write("b/three.txt", "3\n");
  git("add .");
  git("commit -qm first");
  const RepositoryPtr opened = repository();
  const std::vector<git_oid> tips{rev("HEAD")};
  const std::vector<git_oid> in_order{rev("HEAD^{tree}"), rev("HEAD:a"), rev("HEAD:b"), rev("HEAD:a/deep")};

  std::atomic<bool> stop{false};
  PreloadedTrees all;
  prefetch_commit_trees(opened.get(), tips, stop, 1u << 20, all);
  ASSERT_EQ(all.count(), in_order.size());
  auto reader = TreeReader::open(opened.get());
  ASSERT_TRUE(reader);
  for (const git_oid& id : in_order) {
    ASSERT_TRUE(all.find(id)) << to_hex(id);
    auto read = reader->read_data(id);
    ASSERT_TRUE(read);
    EXPECT_EQ(*all.find(id), read->data);
  }

  // Full after the root and its first subdirectory: the breadth-first
  // order decides what is held.
  PreloadedTrees bounded;
  const std::uint64_t two_trees = all.find(in_order[0])->size() + all.find(in_order[1])->size();
  prefetch_commit_trees(opened.get(), tips, stop, two_trees, bounded);
  EXPECT_EQ(bounded.count(), 2u);
  EXPECT_TRUE(bounded.find(in_order[1]));

  stop = true;
  PreloadedTrees stopped;
  prefetch_commit_trees(opened.get(), tips, stop, 1u << 20, stopped);
  EXPECT_EQ(stopped.count(), 0u);

  // What is not a commit gives nothing, and no error.
  PreloadedTrees none;
  stop = false;
  prefetch_commit_trees(opened.get(), {rev("HEAD:top.txt")}, stop, 1u << 20, none);
  EXPECT_EQ(none.count(), 0u);
}

}  // namespace
}  // namespace tg::git
