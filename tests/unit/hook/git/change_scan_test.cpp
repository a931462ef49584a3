#include "hook/git/change_scan.hpp"

#include "hook/engine.hpp"
#include "hook/git/changes.hpp"
#include "hook/git/index_file.hpp"
#include "hook/git/pack_reader.hpp"
#include "tests/support/fake_credentials.hpp"
#include "tests/support/git_repo.hpp"

#include <fmt/format.h>
#include <git2/sys/odb_backend.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

namespace tg::git {
namespace {

// A throw-away repository with the engine to scan it.
class GitRepoTest : public testing::GitRepoFixture {
 protected:
  void SetUp() override {
    GitRepoFixture::SetUp();
    auto database = load_pattern_database();
    ASSERT_TRUE(database);
    m_database = std::move(*database);
    auto scanners = make_scanners(*m_database, m_settings, 2);
    ASSERT_TRUE(scanners);
    m_scanners = std::move(*scanners);
    testing::FakeGenerator generator;
    m_fakes = generator.credentials();
  }

  // Six commits of one small file each, in two directories, repacked into
  // one pack.
  void commit_six_files_into_one_pack() {
    for (int commit = 0; commit < 6; ++commit) {
      write(fmt::format("d{}/f{}.txt", commit % 2, commit), fmt::format("{}\n", commit));
      git("add -A .");
      git(fmt::format("commit -qm 'c{}'", commit));
    }
    git("repack -adq");
  }

  // The repository's whole object directory listed as if it were a push's
  // quarantine.
  Result<QuarantineObjects> objects_as_quarantine() {
    auto repository = open_repository(RepositoryLocation{m_dir.string()});
    if (!repository) return std::unexpected(repository.error());
    git_odb* raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, repository->get()) != 0) return fail(ErrorKind::runtime, "no object database");
    const OdbPtr odb(raw_odb);
    return list_quarantine_objects((m_dir / ".git/objects").string(), odb.get());
  }
  // Options for scanning this repository.
  ChangeScanOptions scan_options() const {
    ChangeScanOptions options;
    options.location = RepositoryLocation{m_dir.string()};
    return options;
  }
  // scan_new_objects over objects_as_quarantine().
  Result<NewObjectScan> first_pass(const ChangeScanOptions& options) {
    auto objects = objects_as_quarantine();
    if (!objects) return std::unexpected(objects.error());
    return scan_new_objects(*objects, Policy(m_settings), m_scanners, options);
  }
  // Many small edits of large files, one commit each, so that a repack
  // stores most versions as chains of offset deltas. Returns the last
  // content of src/a.txt.
  std::string commit_slow_edits(int commits) {
    std::string content;
    for (int line = 0; line < 400; ++line) content += fmt::format("line {} of a file that changes slowly\n", line);
    for (int commit = 0; commit < commits; ++commit) {
      content.replace(static_cast<std::size_t>(commit) * 37 % 9000, 4, fmt::format("{:04}", commit));
      write("src/a.txt", content);
      write(fmt::format("docs/{}/b.md", commit % 4), content.substr(0, 3000) + std::to_string(commit));
      git("add .");
      git(fmt::format("commit -qm 'change {}'", commit));
    }
    return content;
  }
  std::string token_line() const { return "TWILIO_AUTH_TOKEN = \"" + m_fakes.token + "\"\n"; }
  // `ascii` as a UTF-16LE file, with its byte order mark.
  static std::string utf16(const std::string& ascii) {
    std::string wide = "\xff\xfe";
    for (const char c : ascii) {
      wide += c;
      wide += '\0';
    }
    return wide;
  }
  // What receive-pack does with a pushed edit: server.git holds config.py as
  // `before` and 300 lines of settings; the commit that appends `added` is
  // sent as a thin pack and completed by index-pack --fix-thin, which appends
  // the delta's base and leaves the reference delta pointing at it. Into the
  // server's own packs, or into `quarantine` (under server.git/objects),
  // which sees the server's objects as an alternate.
  void push_thin_edit(const std::string& before, const std::string& added, const std::string& quarantine = "") {
    std::string content = before;
    for (int line = 0; line < 300; ++line) content += fmt::format("setting_{} = {}\n", line, line * 7);
    write("config.py", content);
    git("add .");
    git("commit -qm base");
    git("init -q --bare server.git");
    git("push -q ./server.git main");
    write("config.py", content + added);
    git("commit -qam edit");
    std::string objects;
    if (!quarantine.empty()) {
      std::filesystem::create_directories(m_dir / "server.git/objects" / quarantine / "pack");
      objects = "GIT_OBJECT_DIRECTORY=server.git/objects/" + quarantine +
                " GIT_ALTERNATE_OBJECT_DIRECTORIES=\"$PWD/server.git/objects\" ";
    }
    ASSERT_EQ(std::system(("cd '" + m_dir.string() + "' && printf 'HEAD\\n^HEAD~1\\n' | git pack-objects -q --revs " +
                           "--thin --stdout >thin.pack && " + objects +
                           "git --git-dir=server.git index-pack --stdin --fix-thin <thin.pack >/dev/null 2>&1")
                              .c_str()),
              0);
  }

  // `loose_first`: blobs are looked for as loose objects before libgit2 is
  // asked, as a client hook does.
  ChangeScanResult scan(const ChangeSet& changes, bool loose_first = true) {
    const Policy policy(m_settings);
    ChangeScanOptions options;
    options.location = RepositoryLocation{m_dir.string()};
    if (loose_first) options.loose_objects_directory = (m_dir / ".git/objects").string();
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
  git("repack -adq");  // HEAD's commit and trees are then read from the pack (PackedObjects)
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

TEST_F(GitRepoTest, AHistoryScannedInPartsReportsWhatTheWholeWalkReports) {
  write("a.py", token_line());
  git("add a.py");
  git("commit -qm first --no-verify");
  write("a.py", token_line() + "x = 1\n");
  write("copy.py", token_line());
  git("add .");
  git("commit -qm second --no-verify");
  git("mv a.py moved.py");
  git("commit -qm 'moved, TWILIO_AUTH_TOKEN=" + m_fakes.token + "' --no-verify");
  write("sid.py", "TWILIO_ACCOUNT_SID = \"" + m_fakes.sid + "\"\n" + token_line());
  write("a.py", token_line());  // the first version again, at its first path
  git("add .");
  git("commit -qm third --no-verify");

  const ChangeScanResult whole = scan(history(), false);
  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  git_oid head;
  ASSERT_EQ(git_reference_name_to_id(&head, repository->get(), "HEAD"), 0);
  const Policy policy(m_settings);
  const ChangeScanOptions options = scan_options();
  ChangeScan parts(policy, m_scanners, options);
  std::size_t taken = 0;
  WalkOptions walk;
  walk.batch_blobs = 1;
  walk.on_batch = [&](const ChangeSet& part) {
    ++taken;
    return parts.add(part);
  };
  ChangeSet rest;
  ASSERT_TRUE(add_commit_range(repository->get(), CommitRange{{head}, {}, {}, "refs/heads/main"}, rest, walk));
  EXPECT_EQ(taken, 4u);  // one part a commit
  EXPECT_TRUE(rest.blobs.empty());
  ASSERT_TRUE(parts.add(rest));
  const ChangeScanResult in_parts = parts.finish(rest);

  auto described = [](const ChangeScanResult& result) {
    std::vector<std::string> lines;
    for (const ReportedFinding& finding : result.findings) {
      lines.push_back(fmt::format("{} {} {} {}", finding.where.path, finding.where.commit ? finding.where.commit->id : "",
                                  finding.finding.line, finding.finding.fingerprint));
    }
    return lines;
  };
  EXPECT_GE(whole.findings.size(), 4u);  // a.py, copy.py, the message, sid.py
  EXPECT_EQ(described(in_parts), described(whole));
  EXPECT_EQ(in_parts.summary.scanned, whole.summary.scanned);
  EXPECT_EQ(in_parts.summary.bytes, whole.summary.bytes);
  EXPECT_EQ(in_parts.summary.blocking, whole.summary.blocking);
  EXPECT_EQ(in_parts.blobs_total, whole.blobs_total);  // the first version, seen again, read once
}

TEST_F(GitRepoTest, WorkOnTheCallingThreadReadsThroughTheCallersHandle) {
  write("a.py", "x = 1\n");
  git("add a.py");
  git("commit -qm first");
  write("a.py", "x = 2\n");
  write("b.py", token_line());
  git("add a.py b.py");
  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  ChangeSet changes;
  ASSERT_TRUE(add_staged_changes(repository->get(), changes));
  ASSERT_EQ(changes.blobs.size(), 2u);
  // A location nothing can be opened at: the staged blobs and the one a.py
  // replaced (attribution) are read through the caller's handle or not at all.
  ChangeScanOptions options;
  options.location = RepositoryLocation{(m_dir / "nowhere").string()};
  options.caller_repository = repository->get();
  std::vector<Scanner> one_scanner;
  one_scanner.push_back(std::move(m_scanners.front()));
  auto result = scan_changes(changes, Policy(m_settings), one_scanner, options);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].where.path, "b.py");

  options.caller_repository = nullptr;
  EXPECT_FALSE(scan_changes(changes, Policy(m_settings), one_scanner, options));
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

  // A walk that records only the credential's blob (a push's suspect) still
  // knows everything the change removed: the move is not an introduction.
  const git_oid suspect = changes.blobs[0].blob;
  WalkOptions only_suspect;
  only_suspect.records_blob = [&](const git_oid& id) { return git_oid_equal(&id, &suspect); };
  ChangeSet recorded;
  ASSERT_TRUE(add_commit_range(repository->get(), CommitRange{{head}, {first}, {}, ""}, recorded, only_suspect));
  ASSERT_EQ(recorded.blobs.size(), 1u);
  EXPECT_EQ(recorded.blobs[0].path, "new/deep/settings.py");
  EXPECT_EQ(recorded.before_sets[recorded.blobs[0].before_set].size(), 2u);
  EXPECT_TRUE(scan(recorded).findings.empty());
}

TEST_F(GitRepoTest, OversizedBlobIsReportedWithoutBeingRead) {
  m_settings.max_file_size = 4096;
  std::string big = token_line();
  while (big.size() <= 8192) big += "filler = 'x' * 80\n";
  write("big.py", big);
  write("small.py", token_line());
  git("add .");
  for (const bool loose_first : {true, false}) {
    const ChangeScanResult result = scan(staged(), loose_first);
    EXPECT_EQ(result.summary.blocking, 1u) << loose_first;  // small.py
    EXPECT_EQ(result.summary.bytes, big.size() + token_line().size()) << loose_first;
    ASSERT_EQ(result.notices.size(), 1u) << loose_first;
    EXPECT_EQ(result.notices[0].kind, NoticeKind::skipped_too_large);
    EXPECT_EQ(result.notices[0].path, "big.py");
  }
}

TEST_F(GitRepoTest, CommitMessagesAreScanned) {
  write("a.txt", "a\n");
  git("add a.txt");
  git("commit -qm 'TWILIO_AUTH_TOKEN=" + m_fakes.token + "'");
  const ChangeScanResult result = scan(history());
  ASSERT_EQ(result.summary.blocking, 1u);
  EXPECT_EQ(result.findings[0].where.path, "<commit message>");
}

// A push's attribution walk records only the suspected blobs and the
// messages its first pass did not find clean: the other commits leave
// nothing behind, and each finding still names its own commit.
TEST_F(GitRepoTest, AWalkThatRecordsFewCommitsKeepsOnlyThoseAndNamesThem) {
  auto commit = [&](const std::string& path, const std::string& content, const std::string& message) {
    write(path, content);
    git("add " + path);
    git("commit -q -m '" + message + "'");
    return git_output("rev-parse HEAD").substr(0, GIT_OID_HEXSZ);
  };
  for (int i = 0; i < 5; ++i) commit("a.txt", "edit " + std::to_string(i) + "\n", "clean " + std::to_string(i));
  const std::string with_message = commit("b.txt", "b\n", "TWILIO_AUTH_TOKEN=" + m_fakes.token);
  for (int i = 0; i < 5; ++i) commit("a.txt", "more " + std::to_string(i) + "\n", "clean again");
  const std::string with_blob = commit("conf/secret.py", token_line(), "settings");
  commit("a.txt", "last\n", "clean last");
  git_oid suspect_blob;
  const std::string blob_hex = git_output("rev-parse HEAD:conf/secret.py").substr(0, GIT_OID_HEXSZ);
  ASSERT_EQ(git_oid_fromstr(&suspect_blob, blob_hex.c_str()), 0);

  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  git_oid head;
  ASSERT_EQ(git_reference_name_to_id(&head, repository->get(), "HEAD"), 0);
  WalkOptions options;
  options.records_blob = [&](const git_oid& id) { return git_oid_equal(&id, &suspect_blob); };
  options.records_text = [&](const git_oid& id) { return to_hex(id) == with_message; };
  ChangeSet changes;
  ASSERT_TRUE(add_commit_range(repository->get(), CommitRange{{head}, {}, {}, "refs/heads/main"}, changes, options));
  EXPECT_EQ(changes.commits, 13u);
  ASSERT_EQ(changes.sources.size(), 2u);
  ASSERT_EQ(changes.texts.size(), 1u);
  ASSERT_EQ(changes.blobs.size(), 1u);
  EXPECT_EQ(to_hex(*changes.sources[changes.texts[0].source].commit), with_message);
  EXPECT_EQ(to_hex(*changes.sources[changes.blobs[0].source].commit), with_blob);

  const ChangeScanResult result = scan(changes);
  ASSERT_EQ(result.findings.size(), 2u);  // the message's token, the file's
  EXPECT_EQ(result.findings[0].where.path, "<commit message>");
  ASSERT_TRUE(result.findings[0].where.commit);
  EXPECT_EQ(result.findings[0].where.commit->id, with_message);
  EXPECT_EQ(result.findings[0].where.commit->author, "T <t@example.com>");
  for (std::size_t i = 1; i < result.findings.size(); ++i) {
    EXPECT_EQ(result.findings[i].where.path, "conf/secret.py");
    ASSERT_TRUE(result.findings[i].where.commit);
    EXPECT_EQ(result.findings[i].where.commit->id, with_blob);
    EXPECT_EQ(result.findings[i].where.ref, "refs/heads/main");
  }
}

// A UTF-16 file is scanned as its UTF-8 text, and whether an edit
// introduced a credential is decided on that text too: looked up in the
// raw bytes, a finding's offsets pointed at unrelated UTF-16 bytes, which
// the previous version held, and a new token was dropped as "already
// there".
TEST_F(GitRepoTest, CredentialsInAnEditedUtf16FileAreIntroducedOnlyOnce) {
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += "setting_" + std::to_string(i) + " = " + std::to_string(i * 7) + "\r\n";
  write("cfg.txt", utf16(lines));
  git("add cfg.txt");
  git("commit -qm first");
  const std::string with_token = "TWILIO_AUTH_TOKEN = \"" + m_fakes.token + "\"\r\n";
  const std::string edited = lines.substr(0, lines.size() / 2) + with_token + lines.substr(lines.size() / 2);
  write("cfg.txt", utf16(edited));
  git("add cfg.txt");
  ChangeScanResult result = scan(staged());
  ASSERT_EQ(result.summary.blocking, 1u);
  EXPECT_EQ(result.findings[0].where.path, "cfg.txt");
  git("commit -qm token");
  result = scan(history());
  EXPECT_EQ(result.summary.blocking, 1u);

  // An edit elsewhere in the file keeps the token: not introduced again.
  write("cfg.txt", utf16(edited + "another = 1\r\n"));
  git("add cfg.txt");
  result = scan(staged());
  EXPECT_EQ(result.summary.blocking, 0u);
  EXPECT_TRUE(result.findings.empty());
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
  options.loose_objects_directory = (m_dir / ".git/objects").string();  // not there either: libgit2 says so
  auto result = scan_changes(changes, policy, m_scanners, options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("0123456789abcdef"), std::string::npos);
}


// Every object of a quarantine's listing, row by row.
std::vector<NewObject> listed_objects(const QuarantineObjects& listed) {
  std::vector<NewObject> objects;
  for (std::size_t row = 0; row < listed.size(); ++row) objects.push_back(listed.object(row));
  return objects;
}

// "<id> <type> [<size>]" per object, sorted: sizes only where the listing
// knows them (objects stored whole).
std::vector<std::string> listed_lines(const PackListing& listing) {
  std::vector<std::string> lines;
  for (const NewObject& object : listing.objects) {
    const std::optional<std::uint64_t> size = listing.pack->stored_size(object.position);
    lines.push_back(fmt::format("{} {}{}", to_hex(object.id), git_object_type2string(object.type),
                                size ? fmt::format(" {}", *size) : ""));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string only_pack_index(const std::filesystem::path& pack_directory) {
  std::string found;
  for (const auto& entry : std::filesystem::directory_iterator(pack_directory)) {
    if (entry.path().extension() == ".idx") {
      EXPECT_TRUE(found.empty()) << "more than one pack";
      found = entry.path().string();
    }
  }
  return found;
}

TEST_F(GitRepoTest, PackListingAgreesWithGitOnTypesThroughDeltaChains) {
  const std::string content = commit_slow_edits(30);
  git("tag -a -m 'release' v1");
  git("repack -adq --depth=50 --window=50");
  auto listed = list_pack(only_pack_index(m_dir / ".git/objects/pack"));
  ASSERT_TRUE(listed) << listed.error().message;
  const std::string expected = git_output(
      "cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype) %(objectsize) %(deltabase)'");
  std::vector<std::string> expected_lines;
  std::size_t deltas = 0;
  for (std::size_t at = 0; at < expected.size();) {
    const std::size_t end = expected.find('\n', at);
    std::string line = expected.substr(at, end - at);
    at = end + 1;
    const std::size_t base = line.rfind(' ');
    const bool is_delta = line.substr(base + 1) != std::string(GIT_OID_HEXSZ, '0');
    deltas += is_delta;
    line.resize(base);
    if (is_delta) line.resize(line.rfind(' '));  // a delta's own size is not the object's
    expected_lines.push_back(line);
  }
  std::sort(expected_lines.begin(), expected_lines.end());
  EXPECT_GT(deltas, 20u);
  EXPECT_EQ(listed_lines(*listed), expected_lines);
}

TEST_F(GitRepoTest, QuarantineListingGivesEachObjectOfEveryPackAndTheLooseOnesOnce) {
  write("a.txt", "first\n");
  git("add .");
  git("commit -qm first");
  git("repack -dq");
  write("b.txt", "second\n");
  git("add .");
  git("commit -qm second");
  git("repack -dq");  // a second pack, of the second commit's objects only
  write("c.txt", "third\n");
  git("add .");
  git("commit -qm third");  // loose
  auto objects = objects_as_quarantine();
  ASSERT_TRUE(objects) << objects.error().message;
  ASSERT_EQ(objects->packs.size(), 2u);
  ASSERT_EQ(objects->loose.size(), 3u);  // the third commit, its tree, c.txt

  std::vector<std::string> listed;
  for (std::size_t row = 0; row < objects->size(); ++row) {
    const NewObject object = objects->object(row);
    listed.push_back(fmt::format("{} {}", to_hex(object.id), git_object_type2string(object.type)));
    // Without its id, the same object.
    const NewObject unnamed = objects->object(row, false);
    EXPECT_EQ(unnamed.type, object.type);
    EXPECT_EQ(unnamed.pack, object.pack);
    EXPECT_EQ(unnamed.position, object.position);
    if (row >= objects->size() - objects->loose.size()) {
      EXPECT_EQ(object.pack, k_loose_object);
      EXPECT_TRUE(objects->known_size(object).has_value());
    }
  }
  std::sort(listed.begin(), listed.end());
  std::vector<std::string> expected;
  const std::string all = git_output("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'");
  for (std::size_t at = 0; at < all.size();) {
    const std::size_t end = all.find('\n', at);
    expected.push_back(all.substr(at, end - at));
    at = end + 1;
  }
  EXPECT_EQ(listed, expected);
}

TEST_F(GitRepoTest, PackListingReadsHeadersInSlicesAndReportsTheFirstBadEntry) {
  // Enough objects for several slices of headers, read on several threads.
  for (int file = 0; file < 700; ++file) write(fmt::format("many/file_{}.txt", file), fmt::format("file {}\n", file));
  commit_slow_edits(10);
  git("repack -adq");
  const std::string idx = only_pack_index(m_dir / ".git/objects/pack");
  auto listed = list_pack_objects(idx);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_GT(listed->size(), 700u);
  const std::string expected = git_output("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'");
  std::vector<std::string> expected_lines;
  for (std::size_t at = 0; at < expected.size();) {
    const std::size_t end = expected.find('\n', at);
    expected_lines.push_back(expected.substr(at, end - at));
    at = end + 1;
  }
  std::vector<std::string> type_lines;
  for (const NewObject& object : *listed) {
    type_lines.push_back(fmt::format("{} {}", to_hex(object.id), git_object_type2string(object.type)));
  }
  std::sort(type_lines.begin(), type_lines.end());
  EXPECT_EQ(type_lines, expected_lines);

  // Two entries made invalid (type 5 is reserved), one in the first slice
  // and one in the last: the error names the first, whichever thread saw
  // which.
  std::vector<std::uint64_t> offsets;
  const std::string verified = git_output("verify-pack -v " + idx);
  for (std::size_t at = 0; at < verified.size();) {
    const std::size_t end = verified.find('\n', at);
    std::istringstream line(verified.substr(at, end - at));
    at = end + 1;
    std::string id, type, size, packed;
    std::uint64_t offset = 0;
    if (line >> id >> type >> size >> packed >> offset && id.size() == GIT_OID_HEXSZ) offsets.push_back(offset);
  }
  std::sort(offsets.begin(), offsets.end());
  ASSERT_EQ(offsets.size(), listed->size());
  const std::string pack_path = idx.substr(0, idx.size() - 4) + ".pack";
  std::filesystem::permissions(pack_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::string pack;
  {
    std::ifstream in(pack_path, std::ios::binary);
    pack.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (std::uint64_t offset : {offsets[3], offsets[offsets.size() - 2]}) {
    pack[offset] = static_cast<char>((pack[offset] & 0x8f) | (5 << 4));
  }
  std::ofstream(pack_path, std::ios::binary | std::ios::trunc) << pack;
  auto broken = list_pack_objects(idx);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find(fmt::format("bad entry at offset {}", offsets[3])), std::string::npos)
      << broken.error().message;
}

TEST_F(GitRepoTest, ThinPackCompletedByIndexPackIsListedWithReferenceDeltas) {
  push_thin_edit("", "one_more = 1\n");
  // The server's first pack and the completed thin pack.
  std::vector<std::string> indexes;
  for (const auto& entry : std::filesystem::directory_iterator(m_dir / "server.git/objects/pack")) {
    if (entry.path().extension() == ".idx") indexes.push_back(entry.path().string());
  }
  bool saw_reference_delta = false;
  for (const std::string& index : indexes) {
    auto listed = list_pack(index);
    ASSERT_TRUE(listed) << listed.error().message;
    for (const NewObject& object : listed->objects) {
      EXPECT_NE(object.type, GIT_OBJECT_INVALID);
      saw_reference_delta |= object.type == GIT_OBJECT_BLOB && !listed->pack->stored_size(object.position);
    }
    const std::string verify = git_output("verify-pack -v " + index);
    for (const NewObject& object : listed->objects) {
      EXPECT_NE(verify.find(to_hex(object.id) + " " + git_object_type2string(object.type)), std::string::npos);
    }
  }
  EXPECT_TRUE(saw_reference_delta);
}

TEST_F(GitRepoTest, ThinPackBasesTheServerStoresAreNotScannedAsNew) {
  // The edit's delta applies to the server's copy of config.py, which holds
  // a credential from before the hook: appended to the quarantine's pack,
  // but not new. The edited version holds it still.
  push_thin_edit(token_line(), "one_more = 1\n", "incoming");
  const std::filesystem::path quarantine = m_dir / "server.git/objects/incoming";
  auto listed = list_quarantine_packs(quarantine.string());
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->packs.size(), 1u);
  const std::string base_hex = git_output("rev-parse HEAD~1:config.py").substr(0, GIT_OID_HEXSZ);
  ASSERT_EQ(listed->packs[0]->thin_bases.size(), 1u);
  EXPECT_EQ(to_hex(listed->packs[0]->id(listed->packs[0]->thin_bases[0])), base_hex);

  // A repository without the base: nothing is stored, everything is new.
  git("init -q --bare other.git");
  auto other = open_repository(RepositoryLocation{(m_dir / "other.git").string()});
  ASSERT_TRUE(other) << other.error().message;
  find_stored_thin_bases(*listed, other->get());
  EXPECT_TRUE(listed->stored_rows.empty());

  auto server = open_repository(RepositoryLocation{(m_dir / "server.git").string()});
  ASSERT_TRUE(server) << server.error().message;
  find_stored_thin_bases(*listed, server->get());
  ASSERT_EQ(listed->stored_rows.size(), 1u);
  EXPECT_EQ(to_hex(listed->object(listed->stored_rows[0]).id), base_hex);
  EXPECT_TRUE(listed->is_stored(listed->stored_rows[0]));

  // The pass reads the edit through the skipped base, and suspects it; the
  // base is neither scanned nor suspected.
  const Policy policy(m_settings);
  ChangeScanOptions options;
  options.location = RepositoryLocation{m_dir.string()};
  auto scanned = scan_new_objects(*listed, policy, m_scanners, options);
  ASSERT_TRUE(scanned) << scanned.error().message;
  EXPECT_EQ(scanned->objects_total, 2u);  // the commit and the edited blob
  git_oid base_id;
  ASSERT_EQ(git_oid_fromstr(&base_id, base_hex.c_str()), 0);
  EXPECT_FALSE(scanned->blobs.contains(base_id));
  const std::string edit_hex = git_output("rev-parse HEAD:config.py").substr(0, GIT_OID_HEXSZ);
  git_oid edit_id;
  ASSERT_EQ(git_oid_fromstr(&edit_id, edit_hex.c_str()), 0);
  EXPECT_TRUE(scanned->blobs.is_suspect(edit_id));
}

// Reads every object of the pack behind `index` with a PackReader, in pack
// order and in reverse (every delta chain resolved from scratch), asking its
// size first (whose delta read() then reuses) or not, and compares content
// and size with libgit2's reading of the same object. Then appends every
// object into one buffer, in both orders (in reverse, each delta's bases are
// appended before it), and compares each placement the same way.
void expect_reader_agrees_with_libgit2(const std::string& index, git_odb* odb) {
  auto listing = list_pack(index);
  ASSERT_TRUE(listing) << listing.error().message;
  auto libgit2_content = [&](const git_oid& id) {
    auto object = read_object(odb, id);
    EXPECT_TRUE(object) << object.error().message;
    if (!object) return std::string();
    return std::string(static_cast<const char*>(git_odb_object_data(object->get())),
                       git_odb_object_size(object->get()));
  };
  for (const bool reversed : {false, true}) {
    PackReader reader(listing->pack);
    std::vector<NewObject> order = listing->objects;
    if (reversed) std::reverse(order.begin(), order.end());
    std::string arena;
    std::vector<PackReader::Placement> placed;
    for (const NewObject& object : order) {
      auto where = reader.append(object.position, arena, placed);
      ASSERT_TRUE(where) << where.error().message;
    }
    std::uint64_t total = 0;
    for (const NewObject& object : order) {
      ASSERT_TRUE(placed[object.position].placed());
      const auto [offset, size] = std::pair{placed[object.position].offset, placed[object.position].size};
      EXPECT_EQ(arena.substr(offset, size), libgit2_content(object.id)) << to_hex(object.id);
      total += size;
    }
    EXPECT_EQ(arena.size(), total);  // each entry placed once
  }
  for (std::uint64_t cache_bytes : {std::uint64_t{32} << 20, std::uint64_t{0}}) {
    PackReader reader(listing->pack, cache_bytes);
    std::vector<NewObject> order = listing->objects;
    for (int pass = 0; pass < 4; ++pass) {
      const bool size_first = pass < 2;
      for (const NewObject& object : order) {
        auto expected = read_object(odb, object.id);
        ASSERT_TRUE(expected) << expected.error().message;
        const std::string_view want(static_cast<const char*>(git_odb_object_data(expected->get())),
                                    git_odb_object_size(expected->get()));
        if (size_first) {
          auto size = reader.size(object.position);
          ASSERT_TRUE(size) << size.error().message;
          EXPECT_EQ(*size, want.size()) << to_hex(object.id);
        }
        auto content = reader.read(object.position);
        ASSERT_TRUE(content) << content.error().message;
        EXPECT_EQ(*content, want) << to_hex(object.id);
      }
      std::reverse(order.begin(), order.end());
    }
    // A size asked and no read of that entry: the next read is another's.
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
      ASSERT_TRUE(reader.size(order[i].position));
      auto expected = read_object(odb, order[i + 1].id);
      ASSERT_TRUE(expected) << expected.error().message;
      auto content = reader.read(order[i + 1].position);
      ASSERT_TRUE(content) << content.error().message;
      EXPECT_EQ(*content, std::string_view(static_cast<const char*>(git_odb_object_data(expected->get())),
                                           git_odb_object_size(expected->get())))
          << to_hex(order[i + 1].id);
    }
  }
}

TEST_F(GitRepoTest, PackReaderAgreesWithLibgit2ThroughDeltaChains) {
  commit_slow_edits(25);
  write("empty.txt", "");
  git("add .");
  git("commit -qm empty");
  git("repack -adq --depth=50 --window=50");
  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  git_odb* raw_odb = nullptr;
  ASSERT_EQ(git_repository_odb(&raw_odb, repository->get()), 0);
  const OdbPtr odb(raw_odb);
  expect_reader_agrees_with_libgit2(only_pack_index(m_dir / ".git/objects/pack"), odb.get());

  // A thin pack completed by index-pack: reference deltas to appended bases.
  git("init -q --bare server.git");
  git("push -q ./server.git main~1:refs/heads/main");
  ASSERT_EQ(std::system(("cd '" + m_dir.string() + "' && printf 'HEAD\\n^HEAD~1\\n' | git pack-objects -q --revs "
                         "--thin --stdout >thin.pack && git --git-dir=server.git index-pack --stdin --fix-thin "
                         "<thin.pack >/dev/null 2>&1").c_str()),
            0);
  for (const auto& entry : std::filesystem::directory_iterator(m_dir / "server.git/objects/pack")) {
    if (entry.path().extension() == ".idx") expect_reader_agrees_with_libgit2(entry.path().string(), odb.get());
  }
}

// Bytes of this process's mappings of files named `file_name` that are
// resident (their "Rss:" lines in /proc/self/smaps).
std::uint64_t resident_bytes_of(const std::string& file_name) {
  std::ifstream smaps("/proc/self/smaps");
  std::uint64_t resident_kb = 0;
  bool in_file = false;
  for (std::string line; std::getline(smaps, line);) {
    if (line.starts_with("Rss:")) {
      if (in_file) resident_kb += std::stoull(line.substr(4));
    } else if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') < line.find(' ')) {
      in_file = line.ends_with("/" + file_name);  // a mapping's first line ends with its path
    }
  }
  return resident_kb << 10;
}

// The largest value `sample` returned while `work` ran, sampled every
// millisecond on another thread.
template <typename Work>
std::uint64_t peak_while(const std::function<std::uint64_t()>& sample, Work&& work) {
  std::atomic<std::uint64_t> peak{sample()};
  {
    std::jthread sampler([&](std::stop_token stop) {
      while (!stop.stop_requested()) {
        peak = std::max(peak.load(), sample());
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
    work();
  }
  return std::max(peak.load(), sample());
}

// The hook reads a pushed pack whole and libgit2 reads the repository's; a
// pack of 160 MB must never be resident at once (OpenedPack::count_read,
// libgit2's window limit).
TEST_F(GitRepoTest, ALargePackIsNeverResidentWhole) {
  constexpr std::size_t k_file_bytes = std::size_t{4} << 20;
  constexpr int k_files = 40;
  std::mt19937_64 random(20261124);
  for (int file = 0; file < k_files; ++file) {
    std::string content(k_file_bytes, '\0');  // random: it does not compress
    for (std::size_t at = 0; at < content.size(); at += sizeof(std::uint64_t)) {
      const std::uint64_t word = random();
      std::memcpy(content.data() + at, &word, sizeof word);
    }
    write(fmt::format("f{}.bin", file), content);
  }
  // Stored, not deflated: quick to write, and the pack as large as its content.
  git("-c core.compression=0 add .");
  git("commit -qm large");
  git("-c pack.compression=0 repack -adq --window=0");  // no delta search over random bytes
  const std::string index = only_pack_index(m_dir / ".git/objects/pack");
  const std::string pack_name = std::filesystem::path(index).replace_extension(".pack").filename().string();
  ASSERT_GT(std::filesystem::file_size(std::filesystem::path(index).replace_extension(".pack")),
            std::uintmax_t{k_files} * k_file_bytes);
  const std::function<std::uint64_t()> resident = [&] { return resident_bytes_of(pack_name); };
  constexpr std::uint64_t k_most_resident = std::uint64_t{100} << 20;

  std::optional<Result<NewObjectScan>> scanned;
  const std::uint64_t scan_peak = peak_while(resident, [&] { scanned = first_pass(scan_options()); });
  EXPECT_LT(scan_peak, k_most_resident);
  ASSERT_TRUE(*scanned) << scanned->error().message;
  EXPECT_EQ((*scanned)->objects_scanned, std::uint64_t{k_files} + 1);  // the blobs and the commit

  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository);
  git_odb* raw_odb = nullptr;
  ASSERT_EQ(git_repository_odb(&raw_odb, repository->get()), 0);
  const OdbPtr odb(raw_odb);
  auto listed = list_pack_objects(index);
  ASSERT_TRUE(listed) << listed.error().message;
  std::uint64_t blob_bytes = 0;
  const std::uint64_t libgit2_peak = peak_while(resident, [&] {
    for (const NewObject& object : *listed) {
      auto read = read_object(odb.get(), object.id);
      ASSERT_TRUE(read) << read.error().message;
      if (object.type == GIT_OBJECT_BLOB) blob_bytes += git_odb_object_size(read->get());
    }
  });
  EXPECT_LT(libgit2_peak, k_most_resident);
  EXPECT_EQ(blob_bytes, std::uint64_t{k_files} * k_file_bytes);
}

TEST_F(GitRepoTest, PackReaderReportsCorruptStreamsAsErrors) {
  std::string content;
  for (int line = 0; line < 200; ++line) content += fmt::format("line {}\n", line);
  write("a.txt", content);
  git("add .");
  git("commit -qm a");
  git("repack -adq");
  const std::string index = only_pack_index(m_dir / ".git/objects/pack");
  std::filesystem::create_directories(m_dir / "copy");
  const std::filesystem::path copy_index = m_dir / "copy/p.idx";
  std::filesystem::copy_file(index, copy_index);
  std::ifstream in(index.substr(0, index.size() - 4) + ".pack", std::ios::binary);
  std::string pack((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto listing = list_pack(index);
  ASSERT_TRUE(listing);
  std::size_t corrupted = 0;
  for (const PackEntry& entry : listing->pack->entries) {
    if (listing->pack->entry_size(entry) < 100) continue;
    pack[entry.data_offset() + 20] = static_cast<char>(pack[entry.data_offset() + 20] ^ 0x5a);
    ++corrupted;
  }
  ASSERT_GT(corrupted, 0u);
  std::ofstream(m_dir / "copy/p.pack", std::ios::binary) << pack;
  auto broken = list_pack(copy_index.string());
  ASSERT_TRUE(broken) << broken.error().message;  // headers are intact
  // A quarantine's streams are not checked against their Adler-32 (index-pack
  // has checked their objects' ids): a flipped byte that still inflates to
  // the header's size reads as other content. The blob's does not: its
  // Huffman tables are broken.
  PackReader reader(broken->pack);
  std::size_t failed = 0;
  const std::string blob_id = git_output("rev-parse HEAD:a.txt").substr(0, GIT_OID_HEXSZ);
  for (const NewObject& object : broken->objects) {
    auto read = reader.read(object.position);
    if (!read) {
      ++failed;
      EXPECT_NE(read.error().message.find("p.pack"), std::string::npos) << read.error().message;
    } else if (const PackEntry& entry = listing->pack->entries[object.position]; !entry.is_delta()) {
      EXPECT_EQ(read->size(), listing->pack->entry_size(entry));
    }
    if (to_hex(object.id) == blob_id) {
      EXPECT_FALSE(read) << "the corrupt blob was read";
    }
  }
  EXPECT_GE(failed, 1u);
  EXPECT_LE(failed, corrupted);
}

TEST_F(GitRepoTest, PreloadedCommitsAndTreesGiveTheSameWalk) {
  for (int commit = 0; commit < 12; ++commit) {
    write(fmt::format("d{}/e/f{}.txt", commit % 3, commit), fmt::format("{}\n", commit));
    if (commit % 4 == 3) std::filesystem::remove_all(m_dir / fmt::format("d{}", (commit + 1) % 3));
    git("add -A .");
    git(fmt::format("commit -qm 'c{}'", commit));
  }
  git("repack -adq");
  auto listing_text = [](const ChangeSet& changes) {
    std::vector<std::string> lines;
    for (const BlobOccurrence& occurrence : changes.blobs) {
      lines.push_back(fmt::format("{} {} {}", to_hex(occurrence.blob), occurrence.path, occurrence.source));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  const auto expected = listing_text(history());
  ASSERT_FALSE(expected.empty());
  for (std::uint64_t max_bytes : {std::uint64_t{0}, std::uint64_t{300}, std::uint64_t{1} << 20}) {
    auto objects = objects_as_quarantine();
    ASSERT_TRUE(objects) << objects.error().message;
    auto repository = open_repository(RepositoryLocation{m_dir.string()});
    ASSERT_TRUE(repository);
    auto trees = preload_walk_objects(repository->get(), *objects, max_bytes);
    ASSERT_TRUE(trees) << trees.error().message;
    // The in-memory backend comes first (highest priority) and holds the
    // commits that fit; the returned store holds the trees that fit; nothing
    // holds a blob.
    git_odb* raw_odb = nullptr;
    ASSERT_EQ(git_repository_odb(&raw_odb, repository->get()), 0);
    const OdbPtr odb(raw_odb);
    git_odb_backend* memory = nullptr;
    ASSERT_EQ(git_odb_get_backend(&memory, odb.get(), 0), 0);
    std::size_t walked = 0, held = 0, misplaced = 0;
    for (const NewObject& object : listed_objects(*objects)) {
      const bool in_memory = memory->exists(memory, &object.id) != 0;
      const bool in_store = trees->find(object.id).has_value();
      if (object.type == GIT_OBJECT_BLOB) {
        misplaced += in_memory || in_store;
        continue;
      }
      ++walked;
      held += in_memory || in_store;
      misplaced += object.type == GIT_OBJECT_TREE ? in_memory : in_store;
    }
    ASSERT_GT(walked, 12u + 12u);
    EXPECT_EQ(misplaced, 0u);
    // A preload that filled up reads the trees it does not hold from the
    // pack, and nothing else; one that held everything reads nothing.
    std::size_t unheld_trees = 0, unheld_others = 0;
    for (const NewObject& object : listed_objects(*objects)) {
      if (trees->find(object.id)) continue;
      const std::optional<std::string> unheld = trees->read_unheld(object.id);
      if (object.type != GIT_OBJECT_TREE) {
        unheld_others += unheld.has_value();
        continue;
      }
      if (!unheld) continue;
      ++unheld_trees;
      git_odb_object* raw_tree = nullptr;
      ASSERT_EQ(git_odb_read(&raw_tree, odb.get(), &object.id), 0);
      const OdbObjectPtr tree(raw_tree);
      EXPECT_EQ(*unheld, std::string_view(static_cast<const char*>(git_odb_object_data(tree.get())),
                                          git_odb_object_size(tree.get())));
    }
    EXPECT_EQ(unheld_others, 0u);
    if (max_bytes == 0) {
      EXPECT_EQ(held, 0u);
      EXPECT_GT(unheld_trees, 12u);
    } else if (max_bytes == 300) {
      EXPECT_TRUE(held > 0 && held < walked) << held << " of " << walked;
      EXPECT_GT(unheld_trees, 0u);
    } else {
      EXPECT_EQ(unheld_trees, 0u);
      EXPECT_EQ(held, walked);
      EXPECT_GT(trees->count(), 12u);
    }
    ChangeSet changes;
    git_oid head;
    ASSERT_EQ(git_reference_name_to_id(&head, repository->get(), "HEAD"), 0);
    WalkOptions walk;
    walk.trees = &*trees;
    ASSERT_TRUE(add_commit_range(repository->get(), CommitRange{{head}, {}, {}, "refs/heads/main"}, changes, walk));
    EXPECT_EQ(listing_text(changes), expected) << "max_bytes " << max_bytes;
  }
}

TEST_F(GitRepoTest, PackPositionOfAnIdIsFoundInItsIndex) {
  commit_six_files_into_one_pack();
  auto listed = list_pack(only_pack_index(m_dir / ".git/objects/pack"));
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_GT(listed->objects.size(), 18u);
  for (const NewObject& object : listed->objects) {
    EXPECT_EQ(listed->pack->position_of(object.id), std::optional<std::uint32_t>(object.position)) << to_hex(object.id);
  }
  git_oid absent;
  ASSERT_EQ(git_oid_fromstr(&absent, "00000000000000000000000000000000000000ff"), 0);
  EXPECT_EQ(listed->pack->position_of(absent), std::nullopt);
  ASSERT_EQ(git_oid_fromstr(&absent, "ffffffffffffffffffffffffffffffffffffff00"), 0);
  EXPECT_EQ(listed->pack->position_of(absent), std::nullopt);
}

// git keeps offsets past 2 GB in a 64-bit table after the 4-byte ones;
// `--index-version=2,64` puts every offset past 64 there, so a small pack
// goes through that table too.
TEST_F(GitRepoTest, PackListingReadsOffsetsFromTheLargeOffsetTable) {
  commit_six_files_into_one_pack();
  const std::string idx = only_pack_index(m_dir / ".git/objects/pack");
  auto small = list_pack(idx);
  ASSERT_TRUE(small) << small.error().message;
  const std::string large_idx = (m_dir / "large.idx").string();
  git(fmt::format("index-pack --index-version=2,64 -o '{}' '{}'", large_idx, idx.substr(0, idx.size() - 4) + ".pack"));
  const std::string large_pack = (m_dir / "large.pack").string();
  std::filesystem::copy_file(idx.substr(0, idx.size() - 4) + ".pack", large_pack);
  ASSERT_GT(std::filesystem::file_size(large_idx), std::filesystem::file_size(idx));

  auto large = list_pack(large_idx);
  ASSERT_TRUE(large) << large.error().message;
  ASSERT_EQ(large->objects.size(), small->objects.size());
  for (std::size_t i = 0; i < large->objects.size(); ++i) {
    EXPECT_TRUE(git_oid_equal(&large->objects[i].id, &small->objects[i].id));
    EXPECT_EQ(large->objects[i].type, small->objects[i].type);
    EXPECT_EQ(large->pack->entries[i].offset, small->pack->entries[i].offset);
    EXPECT_EQ(large->pack->position_of(large->objects[i].id), std::optional<std::uint32_t>(i));
  }

  // A 4-byte entry naming a row past the 64-bit table: an error.
  std::filesystem::permissions(large_idx, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::string bytes;
  {
    std::ifstream in(large_idx, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::size_t count = large->objects.size();
  const std::size_t offsets_at = 8 + 256 * 4 + count * (GIT_OID_RAWSZ + 4);
  for (std::size_t row = 0; row < count; ++row) {
    if (static_cast<unsigned char>(bytes[offsets_at + 4 * row]) & 0x80) {
      bytes.replace(offsets_at + 4 * row, 4, std::string("\x80\x00\xff\xff", 4));
      break;
    }
  }
  std::ofstream(large_idx, std::ios::binary | std::ios::trunc) << bytes;
  auto broken = list_pack(large_idx);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("offset table out of range"), std::string::npos) << broken.error().message;
}

TEST_F(GitRepoTest, MalformedPackIndexIsAnErrorNotACrash) {
  write("a.txt", "a\n");
  git("add .");
  git("commit -qm a");
  git("repack -adq");
  const std::string idx = only_pack_index(m_dir / ".git/objects/pack");
  std::string bytes;
  {
    std::ifstream in(idx, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::filesystem::path copy = m_dir / "copy.idx";
  auto write_variant = [&](const std::string& variant) {
    std::filesystem::permissions(copy.parent_path(), std::filesystem::perms::owner_all);
    std::ofstream(copy, std::ios::binary | std::ios::trunc) << variant;
    std::filesystem::copy_file(idx.substr(0, idx.size() - 4) + ".pack", m_dir / "copy.pack",
                               std::filesystem::copy_options::overwrite_existing);
  };
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, std::size_t{1000}, bytes.size() - 1}) {
    write_variant(bytes.substr(0, cut));
    EXPECT_FALSE(list_pack_objects(copy.string())) << "cut at " << cut;
  }
  std::string wrong_version = bytes;
  wrong_version[7] = 3;
  write_variant(wrong_version);
  EXPECT_FALSE(list_pack_objects(copy.string()));
  std::string bad_offset = bytes;
  const std::size_t count = 3;  // a commit, a tree, a blob
  bad_offset[8 + 1024 + count * 24] = '\x7f';  // first offset past the pack's end
  write_variant(bad_offset);
  EXPECT_FALSE(list_pack_objects(copy.string()));
}

TEST_F(GitRepoTest, NewObjectScanReadsEachObjectOnceAndAttributionOnlyTheSuspects) {
  write("clean.py", "print('hello')\n");
  write("old.py", "print('old')\n");
  git("add .");
  git("commit -qm first");
  write("leak.py", token_line());
  write("clean.py", "print('hello again')\n");
  git("add .");
  git("commit -qm second");
  git("repack -adq");
  auto objects = objects_as_quarantine();
  ASSERT_TRUE(objects) << objects.error().message;
  std::size_t trees = 0;
  for (const NewObject& object : listed_objects(*objects)) trees += object.type == GIT_OBJECT_TREE;
  EXPECT_EQ(trees, 2u);
  EXPECT_EQ(objects->size(), 2u + 2u + 4u);  // two commits, two trees, four blobs

  const Policy policy(m_settings);
  ChangeScanOptions options;
  options.location = RepositoryLocation{m_dir.string()};
  auto first = scan_new_objects(*objects, policy, m_scanners, options);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->needs_attribution);
  EXPECT_EQ(first->blobs.size(), 4u);
  std::size_t suspects = 0;
  first->blobs.for_each([&](const git_oid&, const PrescannedBlob& blob) { suspects += !blob.clean; });
  EXPECT_EQ(suspects, 1u);
  EXPECT_EQ(first->blobs.clean_totals().blobs, 3u);

  // For a walk that records only the suspects, the clean blobs are counted,
  // not held.
  ChangeScanOptions suspects_only = options;
  suspects_only.lists_clean_blobs = false;
  auto counted = scan_new_objects(*objects, policy, m_scanners, suspects_only);
  ASSERT_TRUE(counted) << counted.error().message;
  EXPECT_EQ(counted->blobs.size(), 1u);
  EXPECT_EQ(counted->blobs.clean_totals().blobs, 3u);
  EXPECT_EQ(counted->blobs.clean_totals().bytes, first->blobs.clean_totals().bytes);
  const std::string leak_blob = git_output("rev-parse HEAD:leak.py").substr(0, GIT_OID_HEXSZ);
  git_oid leak_id;
  ASSERT_EQ(git_oid_fromstr(&leak_id, leak_blob.c_str()), 0);
  EXPECT_TRUE(counted->blobs.is_suspect(leak_id));

  // Attribution sees only the listed blobs: drop old.py's from the list and
  // the walk leaves it alone, while leak.py is found where it was added.
  PrescannedBlobs listed = first->blobs;
  const std::string old_blob = git_output("rev-parse HEAD:old.py").substr(0, GIT_OID_HEXSZ);
  git_oid old_id;
  ASSERT_EQ(git_oid_fromstr(&old_id, old_blob.c_str()), 0);
  ASSERT_TRUE(listed.erase(old_id));
  options.prescanned = &listed;
  auto result = scan_changes(history(), policy, m_scanners, options);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->summary.blocking, 1u);
  EXPECT_EQ(result->findings[0].where.path, "leak.py");
  EXPECT_EQ(result->blobs_total, 3u);
}

TEST_F(GitRepoTest, AttributionScansTheFirstPassCopyOfASuspectBlob) {
  write("clean.py", "print('hello')\n");
  write("leak.py", token_line());
  git("add .");
  git("commit -qm leak");
  git("repack -adq");
  const Policy policy(m_settings);
  ChangeScanOptions options = scan_options();
  auto first = first_pass(options);
  ASSERT_TRUE(first) << first.error().message;
  git_oid leak_id;
  ASSERT_EQ(git_oid_fromstr(&leak_id, git_output("rev-parse HEAD:leak.py").substr(0, GIT_OID_HEXSZ).c_str()), 0);
  first->blobs.for_each([&](const git_oid& id, const PrescannedBlob& blob) {
    // Only the suspect is kept, as it was read.
    if (git_oid_equal(&id, &leak_id)) {
      ASSERT_TRUE(blob.content);
      EXPECT_EQ(*blob.content, token_line());
    } else {
      EXPECT_FALSE(blob.content);
    }
  });

  options.prescanned = &first->blobs;
  auto attributed = scan_changes(history(), policy, m_scanners, options);
  ASSERT_TRUE(attributed) << attributed.error().message;
  EXPECT_EQ(attributed->summary.blocking, 1u);

  // What scan_changes scans is that copy, not the object read again.
  PrescannedBlobs altered = first->blobs;
  altered.set_content(leak_id, std::make_shared<const std::string>("print('not a credential')\n"));
  options.prescanned = &altered;
  auto rescanned = scan_changes(history(), policy, m_scanners, options);
  ASSERT_TRUE(rescanned) << rescanned.error().message;
  EXPECT_EQ(rescanned->summary.blocking, 0u);
}

// A blob over the size limit is neither clean nor kept by the first pass:
// attribution reads its header, on the borrowed handle or a worker's own,
// to report it with its path beside the suspect the pass did keep.
TEST_F(GitRepoTest, AttributionReportsAnOversizedNewBlobWithItsPath) {
  m_settings.max_file_size = 4096;
  std::string big;
  while (big.size() <= 8192) big += "filler = 'x' * 80\n";
  write("big.py", big);
  write("leak.py", token_line());
  git("add .");
  git("commit -qm 'big and leak'");
  git("repack -adq");
  auto repository = open_repository(RepositoryLocation{m_dir.string()});
  ASSERT_TRUE(repository) << repository.error().message;
  ChangeScanOptions options = scan_options();
  options.caller_repository = repository->get();
  auto first = first_pass(options);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->needs_attribution);

  options.prescanned = &first->blobs;
  auto attributed = scan_changes(history(), Policy(m_settings), m_scanners, options);
  ASSERT_TRUE(attributed) << attributed.error().message;
  EXPECT_EQ(attributed->summary.blocking, 1u);
  ASSERT_EQ(attributed->notices.size(), 1u);
  EXPECT_EQ(attributed->notices[0].kind, NoticeKind::skipped_too_large);
  EXPECT_EQ(attributed->notices[0].path, "big.py");
}

// The same with a UTF-16 file: the first pass's copy of the version before
// is searched as the text it scanned.
TEST_F(GitRepoTest, AttributionSearchesTheFirstPassCopyOfAUtf16VersionAsText) {
  write("leak.txt", utf16(token_line()));
  git("add .");
  git("commit -qm leak");
  git("mv leak.txt moved.txt");
  write("moved.txt", utf16(token_line() + "more = 1\n"));
  git("add .");
  git("commit -qm 'move and edit'");
  git("repack -adq");
  ChangeScanOptions options = scan_options();
  auto first = first_pass(options);
  ASSERT_TRUE(first) << first.error().message;
  git_oid before_id;
  ASSERT_EQ(git_oid_fromstr(&before_id, git_output("rev-parse HEAD~1:leak.txt").substr(0, GIT_OID_HEXSZ).c_str()), 0);
  ASSERT_TRUE(first->blobs.find(before_id)->content);
  options.prescanned = &first->blobs;
  auto attributed = scan_changes(history(), Policy(m_settings), m_scanners, options);
  ASSERT_TRUE(attributed) << attributed.error().message;
  ASSERT_EQ(attributed->summary.blocking, 1u);  // the move kept it
  EXPECT_EQ(attributed->findings[0].where.path, "leak.txt");
}

TEST_F(GitRepoTest, AttributionComparesWithTheFirstPassCopyOfTheVersionBefore) {
  write("leak.py", token_line());
  git("add .");
  git("commit -qm leak");
  git("mv leak.py moved.py");
  write("moved.py", token_line() + "more = 1\n");
  git("add .");
  git("commit -qm 'move and edit'");
  git("repack -adq");
  const Policy policy(m_settings);
  ChangeScanOptions options = scan_options();
  auto first = first_pass(options);
  ASSERT_TRUE(first) << first.error().message;
  options.prescanned = &first->blobs;
  auto attributed = scan_changes(history(), policy, m_scanners, options);
  ASSERT_TRUE(attributed) << attributed.error().message;
  ASSERT_EQ(attributed->summary.blocking, 1u);  // the move kept it
  EXPECT_EQ(attributed->findings[0].where.path, "leak.py");

  // The version before the move is the first pass's copy, not the object
  // read again: without the credential there, leak.py adds nothing and the
  // move introduces it.
  git_oid before_id;
  ASSERT_EQ(git_oid_fromstr(&before_id, git_output("rev-parse HEAD~1:leak.py").substr(0, GIT_OID_HEXSZ).c_str()), 0);
  PrescannedBlobs altered = first->blobs;
  ASSERT_TRUE(altered.find(before_id)->content);
  altered.set_content(before_id, std::make_shared<const std::string>("print('not a credential')\n"));
  options.prescanned = &altered;
  auto compared = scan_changes(history(), policy, m_scanners, options);
  ASSERT_TRUE(compared) << compared.error().message;
  ASSERT_EQ(compared->summary.blocking, 1u);
  EXPECT_EQ(compared->findings[0].where.path, "moved.py");
}

TEST(PrescannedBlobsTest, FindsEachBlobAddedInAnyOrderWithItsKeptContent) {
  std::vector<git_oid> ids(300);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string hex = fmt::format("{:040x}", (i * 7919) % 1000);  // out of order
    ASSERT_EQ(git_oid_fromstr(&ids[i], hex.c_str()), 0);
  }
  PrescannedBlobs blobs;
  blobs.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const bool clean = i % 10 != 0;
    auto kept = clean ? nullptr : std::make_shared<const std::string>(fmt::format("#{}", i));
    blobs.add(ids[i], PrescannedBlob{i, clean, std::move(kept)});
  }
  blobs.add(ids[5], PrescannedBlob{5, true, nullptr});  // the same object again (two packs)
  blobs.finish();
  ASSERT_EQ(blobs.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::optional<PrescannedBlob> found = blobs.find(ids[i]);
    ASSERT_TRUE(found) << i;
    EXPECT_EQ(found->size, i);
    EXPECT_EQ(found->clean, i % 10 != 0);
    if (found->clean) EXPECT_FALSE(found->content);
    else EXPECT_EQ(*found->content, fmt::format("#{}", i));
    EXPECT_EQ(blobs.is_suspect(ids[i]), !found->clean) << i;
  }
  git_oid absent;
  ASSERT_EQ(git_oid_fromstr(&absent, "00000000000000000000000000000000000003e9"), 0);
  EXPECT_FALSE(blobs.contains(absent));
  EXPECT_FALSE(blobs.is_suspect(absent));
  // 270 clean blobs of sizes 1..299 but the multiples of 10.
  EXPECT_EQ(blobs.clean_totals().blobs, 270u);
  EXPECT_EQ(blobs.clean_totals().bytes, 299u * 300u / 2u - 10u * (29u * 30u / 2u));

  blobs.set_content(ids[10], std::make_shared<const std::string>("replaced"));
  EXPECT_EQ(*blobs.find(ids[10])->content, "replaced");
  blobs.set_content(ids[10], nullptr);
  EXPECT_FALSE(blobs.find(ids[10])->content);
  EXPECT_TRUE(blobs.erase(ids[20]));
  EXPECT_FALSE(blobs.contains(ids[20]));
  EXPECT_FALSE(blobs.erase(ids[20]));
  EXPECT_EQ(blobs.size(), ids.size() - 1);
  std::size_t visited = 0;
  blobs.for_each([&](const git_oid& id, const PrescannedBlob&) { visited += blobs.contains(id); });
  EXPECT_EQ(visited, ids.size() - 1);
}

TEST_F(GitRepoTest, NewObjectScanOfCleanObjectsNeedsNoAttribution) {
  write("a.py", "x = 1\n");
  git("add .");
  git("commit -qm 'a'");
  auto objects = objects_as_quarantine();  // loose objects this time
  ASSERT_TRUE(objects) << objects.error().message;
  EXPECT_EQ(objects->size(), 3u);  // the commit, its tree and the blob
  const Policy policy(m_settings);
  ChangeScanOptions options;
  options.location = RepositoryLocation{m_dir.string()};
  bool walk_started = false;
  options.on_needs_attribution = [&] { walk_started = true; };
  auto scanned = scan_new_objects(*objects, policy, m_scanners, options);
  ASSERT_TRUE(scanned);
  EXPECT_FALSE(scanned->needs_attribution);
  EXPECT_EQ(scanned->objects_scanned, 2u);
  EXPECT_FALSE(walk_started);  // a clean push is never walked
  EXPECT_EQ(scanned->blobs.size(), 0u);  // nor its blobs' table built
}

TEST_F(GitRepoTest, FirstPassHandsTheWalkToTheCallingThreadOnceItSeesASuspect) {
  for (int file = 0; file < 8; ++file) write(fmt::format("leak{}.py", file), fmt::format("# {}\n", file) + token_line());
  for (int file = 0; file < 8; ++file) write(fmt::format("src/clean{}.py", file), fmt::format("x = {}\n", file));
  git("add .");
  git("commit -qm leaks");
  auto objects = objects_as_quarantine();
  ASSERT_TRUE(objects) << objects.error().message;
  const Policy policy(m_settings);
  for (std::size_t workers : {1u, 2u}) {
    auto scanners = make_scanners(*m_database, m_settings, workers);
    ASSERT_TRUE(scanners);
    ChangeScanOptions options = scan_options();
    int calls = 0;
    std::thread::id called_on;
    options.on_needs_attribution = [&] {
      ++calls;
      called_on = std::this_thread::get_id();
    };
    auto scanned = scan_new_objects(*objects, policy, *scanners, options);
    ASSERT_TRUE(scanned) << scanned.error().message;
    EXPECT_TRUE(scanned->needs_attribution);
    EXPECT_EQ(scanned->objects_scanned, 1u + 16u);  // the commit and the blobs
    // Half of the blobs are suspects: one worker alone meets one before its
    // last object; with two, the other may finish the pass first.
    if (workers == 1) {
      EXPECT_EQ(calls, 1);
    } else {
      EXPECT_LE(calls, 1);
    }
    if (calls > 0) {
      EXPECT_EQ(called_on, std::this_thread::get_id());
    }
  }
}

TEST_F(GitRepoTest, CredentialSeenBeforeTheBudgetRanOutBlocksEvenUnattributed) {
  write("leak.py", token_line());
  write("allowed.py", "TWILIO_AUTH_TOKEN = \"" + m_fakes.token + "\"  # twilio-guard:allow test fixture\n");
  git("add .");
  git("commit -qm leak");
  const Policy policy(m_settings);
  ChangeScanOptions options = scan_options();
  auto first = first_pass(options);
  ASSERT_TRUE(first) << first.error().message;
  // Only the blocking finding is kept; the allowed one is not.
  std::size_t suspects = 0;
  first->blobs.for_each([&](const git_oid&, const PrescannedBlob& blob) { suspects += !blob.clean; });
  EXPECT_EQ(suspects, 2u);
  ASSERT_EQ(first->unattributed_blocking.size(), 1u);
  const std::string leak_blob = git_output("rev-parse HEAD:leak.py").substr(0, GIT_OID_HEXSZ);
  EXPECT_NE(first->unattributed_blocking[0].where.path.find(leak_blob), std::string::npos);
  EXPECT_EQ(first->unattributed_blocking[0].finding.redacted.find(m_fakes.token), std::string::npos);

  // The walk runs out of time before it attributes anything: still blocked.
  options.prescanned = &first->blobs;
  options.deadline = Clock::now();
  auto walked = scan_changes(history(), policy, m_scanners, options);
  ASSERT_TRUE(walked) << walked.error().message;
  ASSERT_TRUE(walked->timed_out);
  ASSERT_EQ(walked->summary.blocking, 0u);
  block_on_unattributed(*walked, *first);
  EXPECT_EQ(walked->summary.blocking, 1u);
  ASSERT_EQ(walked->findings.size(), 1u);

  // A scan that finished is left as it is: attribution decided.
  ChangeScanResult finished;
  block_on_unattributed(finished, *first);
  EXPECT_EQ(finished.summary.blocking, 0u);
}

}  // namespace
}  // namespace tg::git
