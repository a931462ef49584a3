#include "hook/policy.hpp"

#include <gtest/gtest.h>

namespace tg {
namespace {

ReportedFinding finding_at(RuleId id, std::string path, std::string fingerprint_text = "0000000000000000") {
  ReportedFinding reported;
  reported.finding.rule = id;
  reported.finding.severity = rule(id).severity;
  reported.finding.blocking = rule(id).blocking;
  reported.finding.fingerprint = std::move(fingerprint_text);
  reported.where.path = std::move(path);
  return reported;
}

TEST(Policy, PathAllowlistMarksFindingsAllowed) {
  Settings settings;
  settings.allow_paths.push_back({"docs/**/*.md", "samples", "test:1"});
  settings.allow_paths.push_back({"fixtures/", "fixtures", "test:2"});
  const Policy policy(settings);
  const std::pair<const char*, bool> cases[] = {
      {"docs/a/b/guide.md", true}, {"docs/guide.md", true},     {"docs/guide.py", false},
      {"src/fixtures/x.env", true}, {"fixtures.env", false}, {"app/settings.py", false}};
  for (const auto& [path, allowed] : cases) {
    ReportedFinding reported = finding_at(RuleId::auth_token, path);
    ASSERT_TRUE(policy.apply(reported));
    EXPECT_EQ(reported.finding.allowed, allowed) << path;
    EXPECT_EQ(blocks(reported.finding), !allowed) << path;
  }
}

TEST(Policy, RuleSettingsAndFingerprints) {
  Settings settings;
  settings.rules[static_cast<std::size_t>(RuleId::account_sid)].blocking = true;
  settings.rules[static_cast<std::size_t>(RuleId::account_sid)].severity = Severity::high;
  settings.rules[static_cast<std::size_t>(RuleId::access_token)].enabled = false;
  settings.allow_fingerprints.push_back({"0123456789abcdef", "rotated", "test:1"});
  const Policy policy(settings);

  ReportedFinding sid = finding_at(RuleId::account_sid, "a.py");
  ASSERT_TRUE(policy.apply(sid));
  EXPECT_TRUE(blocks(sid.finding));
  EXPECT_EQ(sid.finding.severity, Severity::high);

  ReportedFinding jwt = finding_at(RuleId::access_token, "a.py");
  EXPECT_FALSE(policy.apply(jwt));

  ReportedFinding known = finding_at(RuleId::auth_token, "a.py", "0123456789abcdef");
  ASSERT_TRUE(policy.apply(known));
  EXPECT_TRUE(known.finding.allowed);
  ReportedFinding unknown = finding_at(RuleId::auth_token, "a.py", "fedcba9876543210");
  ASSERT_TRUE(policy.apply(unknown));
  EXPECT_FALSE(unknown.finding.allowed);
}

TEST(Policy, LiteralValuesAreAllowedUnderEveryRule) {
  Settings settings;
  settings.allow_values.push_back({"published-test-value", "test credentials", "test:1"});
  const Policy policy(settings);
  for (const Rule& info : all_rules()) {
    ReportedFinding reported = finding_at(info.id, "a.py", fingerprint(info.id, "published-test-value"));
    ASSERT_TRUE(policy.apply(reported));
    EXPECT_TRUE(reported.finding.allowed) << info.name;
  }
}

}  // namespace
}  // namespace tg
