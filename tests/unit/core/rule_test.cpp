// Proves every example of every rule: positives must yield a finding of the
// rule on exactly the placeholder's expansion, negatives must yield none.
// Each example runs with many generated credential sets.
#include "core/rule.hpp"
#include "core/scanner.hpp"
#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace tg {
namespace {

constexpr int k_seeds = 25;

class RuleExamples : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_database = new PatternDatabase(PatternDatabase::load().value());
  }
  static void TearDownTestSuite() {
    delete s_database;
    s_database = nullptr;
  }
  static PatternDatabase* s_database;
};
PatternDatabase* RuleExamples::s_database = nullptr;

TEST_F(RuleExamples, EveryRuleHasPositiveAndNegativeExamples) {
  for (const Rule& info : all_rules()) {
    EXPECT_GE(info.examples.size(), 3u) << info.name;
    EXPECT_GE(info.negative_examples.size(), 2u) << info.name;
  }
}

TEST_F(RuleExamples, PositiveExamplesAreFoundAtTheCredential) {
  auto scanner = Scanner::create(*s_database).value();
  for (int seed = 0; seed < k_seeds; ++seed) {
    testing::FakeGenerator generator(static_cast<std::uint64_t>(seed) * 7919 + 1);
    const testing::FakeCredentials fakes = generator.credentials();
    for (const Rule& info : all_rules()) {
      for (const RuleExample& example : info.examples) {
        const std::string text = testing::expand(example.text, fakes);
        const std::string credential = testing::placeholder_value(example.credential, fakes);
        const auto findings = scanner.scan(text).value();
        const bool found = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
          return f.rule == info.id && text.substr(f.offset, f.length) == credential;
        });
        EXPECT_TRUE(found) << info.name << " missed in example: " << example.text;
      }
    }
  }
}

TEST_F(RuleExamples, NegativeExamplesYieldNothingOfTheRule) {
  auto scanner = Scanner::create(*s_database).value();
  for (int seed = 0; seed < k_seeds; ++seed) {
    testing::FakeGenerator generator(static_cast<std::uint64_t>(seed) * 104729 + 3);
    const testing::FakeCredentials fakes = generator.credentials();
    for (const Rule& info : all_rules()) {
      for (std::string_view example : info.negative_examples) {
        const std::string text = testing::expand(example, fakes);
        const auto findings = scanner.scan(text).value();
        for (const Finding& finding : findings) {
          EXPECT_NE(finding.rule, info.id) << info.name << " false positive in: " << example;
        }
      }
    }
  }
}

TEST_F(RuleExamples, RuleIdsAreThePublicContract) {
  EXPECT_EQ(rule(RuleId::account_sid).name, "twilio-account-sid");
  EXPECT_EQ(rule(RuleId::auth_token).name, "twilio-auth-token");
  EXPECT_EQ(rule(RuleId::api_key_sid).name, "twilio-api-key-sid");
  EXPECT_EQ(rule(RuleId::api_key_secret).name, "twilio-api-key-secret");
  EXPECT_EQ(rule(RuleId::access_token).name, "twilio-access-token");
  EXPECT_EQ(find_rule("twilio-auth-token"), &rule(RuleId::auth_token));
  EXPECT_EQ(find_rule("nope"), nullptr);
  EXPECT_FALSE(rule(RuleId::account_sid).blocking);
  EXPECT_EQ(rule(RuleId::account_sid).severity, Severity::info);
}

}  // namespace
}  // namespace tg
