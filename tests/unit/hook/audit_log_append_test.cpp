#include "hook/audit_log.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace tg {
namespace {

class AuditLogTest : public testing::TempDirFixture {
 protected:
  AuditLogTest() : TempDirFixture("audit") {}
};

AuditRecord sample(int n) {
  AuditRecord record;
  record.time = "2026-11-22T08:00:00Z";
  record.pusher = "alice";
  record.repository = "team/app";
  record.ref = "refs/heads/main";
  record.commit = std::string(40, 'a');
  record.path = "config/\"quoted\".py";
  record.line = static_cast<std::uint32_t>(n);
  record.rule = "twilio-auth-token";
  record.fingerprint = "0123456789abcdef";
  record.kind = "push-option";
  record.reason = "line\nbreak " + std::string(200, 'x');
  return record;
}

TEST_F(AuditLogTest, LineIsOneJsonObjectWithEveryField) {
  const std::string line = audit_line(sample(7));
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto json = nlohmann::json::parse(line);
  for (const char* key : {"time", "pusher", "repository", "ref", "commit", "path", "line", "rule",
                          "fingerprint", "kind", "reason"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json["line"], 7);
  EXPECT_EQ(json["path"], "config/\"quoted\".py");
}

TEST_F(AuditLogTest, ConcurrentAppendsNeverInterleave) {
  const std::string path = (m_dir / "audit.jsonl").string();
  constexpr int k_threads = 8;
  constexpr int k_batches = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&path, t] {
      for (int b = 0; b < k_batches; ++b) {
        ASSERT_TRUE(append_audit_records(path, {sample(t), sample(t), sample(t)}));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::ifstream in(path);
  std::string line;
  int count = 0;
  int batch_value = -1;
  while (std::getline(in, line)) {
    const auto json = nlohmann::json::parse(line);  // throws on a torn line
    const int n = json["line"];
    // Every batch is three lines from one writer: aligned triples agree.
    if (count % 3 == 0) batch_value = n;
    EXPECT_EQ(n, batch_value) << "batch split at line " << count;
    ++count;
  }
  EXPECT_EQ(count, k_threads * k_batches * 3);
}

TEST_F(AuditLogTest, UnwritableLogIsAnError) {
  auto appended = append_audit_records((m_dir / "missing" / "audit.jsonl").string(), {sample(1)});
  ASSERT_FALSE(appended);
  EXPECT_NE(appended.error().message.find("audit log"), std::string::npos);
}

TEST_F(AuditLogTest, PusherComesFromTheServerEnvironment) {
  ::setenv("GL_USERNAME", "gitlab-user", 1);
  EXPECT_EQ(pusher_identity(), "gitlab-user");
  ::unsetenv("GL_USERNAME");
  ::setenv("REMOTE_USER", "http-user", 1);
  EXPECT_EQ(pusher_identity(), "http-user");
  ::unsetenv("REMOTE_USER");
  EXPECT_FALSE(pusher_identity().empty());
}

}  // namespace
}  // namespace tg
