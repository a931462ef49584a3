// The audit log never holds part of a record: a line cut by a writer that
// died is removed before the next append, and a write that fails half-way
// (disk full, file size limit) is rolled back and reported.
#include "hook/audit_log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace tg {
namespace {

AuditRecord record(const std::string& reason) {
  AuditRecord r;
  r.time = "2026-11-22T08:00:00Z";
  r.pusher = "alice";
  r.repository = "app";
  r.ref = "refs/heads/main";
  r.commit = std::string(40, 'a');
  r.path = "settings.py";
  r.line = 3;
  r.rule = "twilio-auth-token";
  r.fingerprint = "0123456789abcdef";
  r.kind = "push-option";
  r.reason = reason;
  return r;
}

std::string read(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

class AuditLog : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "twilio-guard-audit-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
    m_log = m_dir / "audit.jsonl";
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir, m_log;
};

TEST_F(AuditLog, ALineCutByADeadWriterIsRemovedBeforeAppending) {
  const std::string first = audit_line(record("first"));
  std::ofstream(m_log, std::ios::binary) << first << first.substr(0, first.size() / 2);
  ASSERT_TRUE(append_audit_records(m_log.string(), {record("second")}).has_value());
  const std::string content = read(m_log);
  EXPECT_EQ(content, first + audit_line(record("second")));
  std::istringstream lines(content);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << line;
  }
}

TEST_F(AuditLog, AWriteThatFailsHalfWayLeavesNothing) {
  const std::string first = audit_line(record("first"));
  std::ofstream(m_log, std::ios::binary) << first;
  // In a child: a file size limit a few bytes past the current end, so the
  // batch is written in part and then fails as on a full disk.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{static_cast<rlim_t>(first.size() + 20), static_cast<rlim_t>(first.size() + 20)};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    const auto appended = append_audit_records(m_log.string(), {record("second"), record("third")});
    const bool clear_error = !appended && appended.error().message.find("cannot write") != std::string::npos;
    std::_Exit(clear_error ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the failed append did not report a write error";
  EXPECT_EQ(read(m_log), first);
}

TEST_F(AuditLog, AnUnwritableLogIsAnError) {
  const auto appended = append_audit_records((m_dir / "missing" / "audit.jsonl").string(), {record("x")});
  ASSERT_FALSE(appended.has_value());
  EXPECT_NE(appended.error().message.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace tg
