#include "hook/git/change_scan.hpp"

#include "hook/engine.hpp"
#include "hook/git/changes.hpp"
#include "hook/git/index_file.hpp"
#include "tests/support/fake_credentials.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tg::git {
namespace {

// A throw-away repository driven through the git CLI.
class GitRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            ("tg-git-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
    git("init -q -b main .");
    auto database = load_pattern_database();
    ASSERT_TRUE(database);
    m_database = std::move(*database);
    auto scanners = make_scanners(*m_database, m_settings, 2);
    ASSERT_TRUE(scanners);
    m_scanners = std::move(*scanners);
    testing::FakeGenerator generator;
    m_fakes = generator.credentials();
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  void git(const std::string& arguments) {
    const std::string command = "cd '" + m_dir.string() +
                                "' && GIT_CONFIG_NOSYSTEM=1 HOME='" + m_dir.string() +
                                "' git -c user.name=T -c user.email=t@example.com " + arguments +
                                " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << arguments;
  }
  void write(const std::string& path, const std::string& content) {
    std::filesystem::create_directories((m_dir / path).parent_path());
    std::ofstream(m_dir / path) << content;
  }
  std::string token_line() const { return "TWILIO_AUTH_TOKEN = \"" + m_fakes.token + "\"\n"; }

  ChangeScanResult scan(const ChangeSet& changes) {
    const Policy policy(m_settings);
    ChangeScanOptions options;
    options.location = RepositoryLocation{m_dir.string()};
    auto result = scan_changes(changes, policy, m_scanners, options);
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? std::move(*result) : ChangeScanResult{};
  }
  ChangeSet history() {
    auto repository = open_repository(RepositoryLocation{m_dir.string()});
    EXPECT_TRUE(repository);
    ChangeSet changes;
    git_oid head;
    EXPECT_EQ(git_reference_name_to_id(&head, repository->get(), "HEAD"), 0);
    EXPECT_TRUE(add_commit_range(repository->get(), CommitRange{{head}, {}, {}, "refs/heads/main"}, changes));
    return changes;
  }
  ChangeSet staged(StagedDiff method = StagedDiff::index_trees) {
    auto repository = open_repository(RepositoryLocation{m_dir.string()});
    EXPECT_TRUE(repository);
    ChangeSet changes;
    EXPECT_TRUE(add_staged_changes(repository->get(), changes, method));
    return changes;
  }
  // What a staged ChangeSet says, in a form two methods can be compared by:
  // each added blob with its path and the blobs it replaced, sorted.
  static std::vector<std::string> described(const ChangeSet& changes) {
    std::vector<std::string> lines;
    for (const BlobOccurrence& blob : changes.blobs) {
      std::vector<std::string> before;
      for (const git_oid& id : changes.before_sets[blob.before_set]) before.push_back(to_hex(id));
      std::sort(before.begin(), before.end());
      std::string line = blob.path + " " + to_hex(blob.blob) + " same-path:";
      for (const git_oid& id : blob.same_path_before) line += " " + to_hex(id);
      line += " removed:";
      for (const std::string& id : before) line += " " + id;
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  }

  Session m_session;
  std::filesystem::path m_dir;
  Settings m_settings;
  std::unique_ptr<PatternDatabase> m_database;
  std::vector<Scanner> m_scanners;
  testing::FakeCredentials m_fakes;
};

TEST_F(GitRepoTest, StagedFirstCommitIsAgainstTheEmptyTree) {
  write("a.py", token_line());
  git("add a.py");
  const ChangeSet changes = staged();
  ASSERT_EQ(changes.blobs.size(), 1u);
  EXPECT_EQ(changes.blobs[0].path, "a.py");
  EXPECT_EQ(scan(changes).summary.blocking, 1u);
}

TEST_F(GitRepoTest, NothingStagedIsEmpty) {
  write("a.py", "x = 1\n");
  git("add a.py");
  git("commit -qm a");
  write("a.py", token_line());  // unstaged
  EXPECT_TRUE(staged().blobs.empty());
}

TEST_F(GitRepoTest, IndexTreesAgreeWithLibgit2sDiffOnEveryKindOfChange) {
  // Names chosen around git's tree order: "a-b" and "a.b" sort before the
  // directory "a/", "a0" after it.
  for (const char* path : {"a/x.py", "a/deep/y.py", "a-b", "a.b", "a0", "keep/k.py", "keep/sub/k2.py",
                           "gone/g.py", "gone/sub/g2.py", "file_to_dir", "dir_to_file/d.py", "mode.sh",
                           "link_target.txt", "z/last.py"}) {
    write(path, std::string("content of ") + path + "\n");
  }
  git("add .");
  git("commit -qm first --no-verify");
  EXPECT_TRUE(staged().blobs.empty());
  EXPECT_TRUE(staged(StagedDiff::libgit2_diff).blobs.empty());

  write("a/x.py", token_line());                                  // modified, nested
  write("a/new/fresh.py", "new directory\n");                    // added directory
  write("a-b", "changed\n");                                     // modified around "a/"
  git("rm -rq gone");                                             // removed directory
  git("rm -q file_to_dir");
  write("file_to_dir/inside.py", "was a file\n");                 // file becomes directory
  git("rm -rq dir_to_file");
  write("dir_to_file", "was a directory\n");                      // directory becomes file
  git("update-index --chmod=+x mode.sh");                         // mode change only
  git("mv keep/sub/k2.py keep/moved.py");                          // move
  std::filesystem::create_symlink("link_target.txt", m_dir / "link");  // symlink
  write("intent.py", "intent to add\n");
  git("add -A .");
  git("reset -q intent.py");
  git("add -N intent.py");                                        // intent to add: not staged content
  write("a0", "after a/\n");
  git("add a0");

  const ChangeSet fast = staged();
  std::vector<std::string> reference = described(staged(StagedDiff::libgit2_diff));
  // libgit2's diff lists the intent-to-add entry as the empty blob; it is not
  // part of the commit (`git write-tree` leaves it out) and has no content.
  std::erase_if(reference, [](const std::string& line) { return line.starts_with("intent.py "); });
  EXPECT_EQ(described(fast), reference);
  EXPECT_EQ(described(staged(StagedDiff::libgit2_index_trees)), described(fast));
  EXPECT_GE(fast.blobs.size(), 7u);
  EXPECT_EQ(scan(fast).summary.blocking, 1u);
}

// Every entry as libgit2 reads it: the reader's reference.
std::vector<std::string> libgit2_entries(const std::string& dir) {
  auto repository = open_repository(RepositoryLocation{dir});
  EXPECT_TRUE(repository);
  git_index* raw = nullptr;
  EXPECT_EQ(git_repository_index(&raw, repository->get()), 0);
  const IndexPtr index(raw);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < git_index_entrycount(index.get()); ++i) {
    const git_index_entry* entry = git_index_get_byindex(index.get(), i);
    lines.push_back(fmt::format("{} {} {:o} {} {}", entry->path, to_hex(entry->id), entry->mode,
                                git_index_entry_stage(entry),
                                (entry->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0));
  }
  return lines;
}

std::vector<std::string> reader_entries(const IndexFile& file) {
  std::vector<std::string> lines;
  for (const IndexEntry& entry : file.entries) {
    lines.push_back(
        fmt::format("{} {} {:o} {} {}", entry.path, to_hex(entry.id), entry.mode, entry.stage, entry.intent_to_add));
  }
  return lines;
}

TEST_F(GitRepoTest, IndexReaderAgreesWithLibgit2OnConflictsAndExtendedFlags) {
  EXPECT_TRUE(read_index_file((m_dir / ".git" / "index").string())->entries.empty());  // no index yet
  write("both.txt", "base\n");
  write("dir/keep.py", "keep\n");
  git("add .");
  git("commit -qm base --no-verify");
  git("checkout -qb side");
  write("both.txt", "side\n");
  git("commit -qam side --no-verify");
  git("checkout -q main");
  write("both.txt", "main\n");
  git("commit -qam main --no-verify");
  std::system(("cd '" + m_dir.string() + "' && git merge -q side >/dev/null 2>&1").c_str());  // conflicts
  write("later.py", "intent\n");
  git("add -N later.py");  // an extended flag: the index becomes version 3
  const auto file = read_index_file((m_dir / ".git" / "index").string());
  ASSERT_TRUE(file);
  EXPECT_EQ(reader_entries(*file), libgit2_entries(m_dir.string()));
  EXPECT_EQ(file->entries.size(), 5u);  // three stages of both.txt, dir/keep.py, later.py
  // Unmerged: the staged diff falls back to libgit2's and still works.
  EXPECT_EQ(described(staged()), described(staged(StagedDiff::libgit2_diff)));
}

TEST_F(GitRepoTest, IndexReaderDeclinesWhatItDoesNotReadAndLibgit2Decides) {
  write("a/one.py", "one\n");
  write("b/two.py", "two\n");
  git("add .");
  git("commit -qm first --no-verify");
  const auto index_path = m_dir / ".git" / "index";
  auto stage_changes = [&] {
    write("a/one.py", token_line());
    write("c/three.py", "three\n");
    git("add .");
  };
  auto staged_error = [&]() -> std::string {
    auto repository = open_repository(RepositoryLocation{m_dir.string()});
    EXPECT_TRUE(repository);
    ChangeSet changes;
    auto added = add_staged_changes(repository->get(), changes);
    return added ? "" : added.error().message;
  };

  // Version 4 (prefix-compressed paths): libgit2 reads it.
  git("update-index --index-version 4");
  stage_changes();
  EXPECT_FALSE(read_index_file(index_path.string()));
  const ChangeSet changes = staged();
  EXPECT_EQ(described(changes), described(staged(StagedDiff::libgit2_diff)));
  EXPECT_EQ(changes.blobs.size(), 2u);
  git("reset -q --hard");

  // A split index: libgit2 1.5 cannot read it either, and says so.
  git("config core.splitIndex true");
  git("update-index --index-version 2 --split-index");
  stage_changes();
  EXPECT_FALSE(read_index_file(index_path.string()));
  EXPECT_NE(staged_error().find("'link'"), std::string::npos);
  git("config core.splitIndex false");
  git("update-index --no-split-index");

  // Truncated: declined, and libgit2 reports the corruption.
  std::filesystem::resize_file(index_path, std::filesystem::file_size(index_path) / 2);
  EXPECT_FALSE(read_index_file(index_path.string()));
  EXPECT_NE(staged_error(), "");
}

TEST_F(GitRepoTest, RenameAndEditOfAnExistingCredentialIsNotIntroduced) {
  write("a.py", token_line());
  git("add a.py");
  git("commit -qm a --no-verify");
  git("mv a.py b.py");
  write("b.py", token_line() + "more = 1\n");
  git("add b.py");
  const ChangeScanResult result = scan(staged());
  EXPECT_EQ(result.summary.blocking, 0u);
  EXPECT_TRUE(result.findings.empty());
}

TEST_F(GitRepoTest, EachCredentialOnceAtTheCommitThatIntroducedIt) {
  write("a.py", token_line());
  git("add a.py");
  git("commit -qm first");
  write("a.py", token_line() + "x = 1\n");
  git("commit -qam second");
  write("copy.py", "y = 2\n");
  git("add copy.py");
  git("commit -qm third");
  const ChangeSet changes = history();
  EXPECT_EQ(changes.commits, 3u);
  const ChangeScanResult result = scan(changes);
  ASSERT_EQ(result.findings.size(), 1u);
  ASSERT_TRUE(result.findings[0].where.commit);
  EXPECT_EQ(result.findings[0].where.commit->author, "T <t@example.com>");
  EXPECT_EQ(result.findings[0].where.ref, "refs/heads/main");
  EXPECT_EQ(result.blobs_total, 3u);  // three distinct blobs, each read once
}

TEST_F(GitRepoTest, SameBlobInManyPlacesIsReadOnce) {
  for (int i = 0; i < 20; ++i) write("dir" + std::to_string(i) + "/same.txt", "same content\n");
  git("add .");
  git("commit -qm many");
  const ChangeSet changes = history();
  EXPECT_EQ(changes.blobs.size(), 20u);
  EXPECT_EQ(scan(changes).blobs_total, 1u);
}

TEST_F(GitRepoTest, EvilMergeIsCaughtAndHonestMergeAddsNothing) {
  write("base.txt", "base\n");
  git("add base.txt");
  git("commit -qm base");
  git("switch -q -c side");
  write("side.txt", "side\n");
  git("add side.txt");
  git("commit -qm side");
  git("switch -q main");
  write("main.txt", "main\n");
  git("add main.txt");
  git("commit -qm main");
  git("merge -q --no-ff -m honest side");
  {
    auto repository = open_repository(RepositoryLocation{m_dir.string()});
    ASSERT_TRUE(repository);
    git_oid head, before_merge;
    ASSERT_EQ(git_reference_name_to_id(&head, repository->get(), "HEAD"), 0);
    ASSERT_EQ(git_reference_name_to_id(&before_merge, repository->get(), "ORIG_HEAD"), 0);
    ChangeSet changes;
    ASSERT_TRUE(add_commit_range(repository->get(), CommitRange{{head}, {before_merge}, {"refs/heads/side"}, ""},
                                 changes));
    EXPECT_EQ(changes.commits, 1u);
    EXPECT_TRUE(changes.blobs.empty());  // side.txt came from a parent, main.txt from the other
  }
  git("reset -q --hard HEAD~1");
  git("merge -q --no-ff --no-commit side");
  write("side.txt", "side\n" + token_line());
  git("add side.txt");
  git("commit -qm evil");
  const ChangeScanResult result = scan(history());
  ASSERT_EQ(result.summary.blocking, 1u);
  EXPECT_EQ(result.findings[0].where.path, "side.txt");
}

TEST_F(GitRepoTest, TreeWalkFollowsDirectoryMovesAndTypeChanges) {
  write("old/deep/settings.py", token_line());
  write("thing", "a file\n");
  git("add .");
  git("commit -qm first --no-verify");
  git("mv old new");
  git("rm -q thing");
  write("thing/inside.txt", "now a directory\n");
  git("add thing");
  git("commit -qm moves");
  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  git_oid head;
  ASSERT_EQ(git_reference_name_to_id(&head, repository->get(), "HEAD"), 0);
  git_object* parent_raw = nullptr;
  ASSERT_EQ(git_revparse_single(&parent_raw, repository->get(), "HEAD~1"), 0);
  const ObjectPtr parent(parent_raw);
  const git_oid first = *git_object_id(parent.get());
  ChangeSet changes;
  ASSERT_TRUE(add_commit_range(repository->get(), CommitRange{{head}, {first}, {}, ""}, changes));
  ASSERT_EQ(changes.blobs.size(), 2u);
  EXPECT_EQ(changes.blobs[0].path, "new/deep/settings.py");
  EXPECT_EQ(changes.blobs[1].path, "thing/inside.txt");
  // The moved credential's old blob and the replaced file are what the change removed.
  EXPECT_EQ(changes.before_sets[changes.blobs[0].before_set].size(), 2u);
  EXPECT_TRUE(scan(changes).findings.empty());
}

TEST_F(GitRepoTest, OversizedBlobIsReportedWithoutBeingRead) {
  m_settings.max_file_size = 4096;
  std::string big = token_line();
  while (big.size() <= 8192) big += "filler = 'x' * 80\n";
  write("big.py", big);
  write("small.py", token_line());
  git("add .");
  const ChangeScanResult result = scan(staged());
  EXPECT_EQ(result.summary.blocking, 1u);  // small.py
  ASSERT_EQ(result.notices.size(), 1u);
  EXPECT_EQ(result.notices[0].kind, NoticeKind::skipped_too_large);
  EXPECT_EQ(result.notices[0].path, "big.py");
}

TEST_F(GitRepoTest, CommitMessagesAreScanned) {
  write("a.txt", "a\n");
  git("add a.txt");
  git("commit -qm 'TWILIO_AUTH_TOKEN=" + m_fakes.token + "'");
  const ChangeScanResult result = scan(history());
  ASSERT_EQ(result.summary.blocking, 1u);
  EXPECT_EQ(result.findings[0].where.path, "<commit message>");
}

TEST_F(GitRepoTest, DeadlineInThePastScansNothingAndSaysSo) {
  write("a.py", token_line());
  git("add a.py");
  const Policy policy(m_settings);
  ChangeScanOptions options;
  options.location = RepositoryLocation{m_dir.string()};
  options.deadline = Clock::now() - std::chrono::seconds(1);
  auto result = scan_changes(staged(), policy, m_scanners, options);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->blobs_scanned, 0u);
  EXPECT_EQ(result->blobs_total, 1u);
}

TEST_F(GitRepoTest, MissingObjectIsAnError) {
  write("a.py", token_line());
  git("add a.py");
  ChangeSet changes = staged();
  ASSERT_EQ(changes.blobs.size(), 1u);
  git_oid_fromstr(&changes.blobs[0].blob, "0123456789abcdef0123456789abcdef01234567");
  const Policy policy(m_settings);
  ChangeScanOptions options;
  options.location = RepositoryLocation{m_dir.string()};
  auto result = scan_changes(changes, policy, m_scanners, options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace tg::git
