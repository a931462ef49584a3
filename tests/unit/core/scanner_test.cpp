#include "core/scanner.hpp"

#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace tg {
namespace {

class ScannerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_database = new PatternDatabase(PatternDatabase::load().value()); }
  static void TearDownTestSuite() {
    delete s_database;
    s_database = nullptr;
  }
  std::vector<Finding> scan(std::string_view text, ScanOptions options = {}) {
    auto scanner = Scanner::create(*s_database, std::move(options)).value();
    return scanner.scan(text).value();
  }
  static PatternDatabase* s_database;
  testing::FakeCredentials m_fakes = testing::FakeGenerator(42).credentials();
};
PatternDatabase* ScannerTest::s_database = nullptr;

// By value: callers pass temporaries.
std::optional<Finding> find(const std::vector<Finding>& findings, RuleId id) {
  for (const Finding& finding : findings) {
    if (finding.rule == id) return finding;
  }
  return std::nullopt;
}

TEST_F(ScannerTest, CleanTextYieldsNothing) {
  EXPECT_TRUE(scan("int main() { return 0; }\n").empty());
  EXPECT_TRUE(scan("").empty());
}

TEST_F(ScannerTest, LineAndColumnAreOneBasedAtTheCredential) {
  const std::string text = "# settings\n\nTWILIO_AUTH_TOKEN=" + m_fakes.token + "\n";
  const auto findings = scan(text);
  const std::optional<Finding> token = find(findings, RuleId::auth_token);
  ASSERT_NE(token, std::nullopt);
  EXPECT_EQ(token->line, 3u);
  EXPECT_EQ(token->column, 19u);
}

TEST_F(ScannerTest, ColumnsCountCodePointsNotBytes) {
  const std::string text = "tök = \"\" ; auth_token = \"" + m_fakes.token + "\"";
  const std::optional<Finding> token = find(scan(text), RuleId::auth_token);
  ASSERT_NE(token, std::nullopt);
  EXPECT_EQ(token->column, 26u);  // "ö" is two bytes, one column
}

TEST_F(ScannerTest, CrlfLinesCountOnce) {
  const std::string text = "a=1\r\nb=2\r\nauth_token=" + m_fakes.token + "\r\n";
  const std::optional<Finding> token = find(scan(text), RuleId::auth_token);
  ASSERT_NE(token, std::nullopt);
  EXPECT_EQ(token->line, 3u);
  EXPECT_EQ(token->column, 12u);
}

TEST_F(ScannerTest, AllowMarkerOnTheSameLineAllows) {
  const std::string text = "auth_token = \"" + m_fakes.token + "\"  # twilio-guard:allow test fixture\n";
  const std::optional<Finding> token = find(scan(text), RuleId::auth_token);
  ASSERT_NE(token, std::nullopt);
  EXPECT_TRUE(token->allowed);
  EXPECT_TRUE(token->blocking);
  EXPECT_FALSE(blocks(*token));
}

TEST_F(ScannerTest, AllowMarkerInAnyCommentSyntax) {
  for (std::string_view comment : {"// twilio-guard:allow", "/* twilio-guard:allow */",
                                   "<!-- twilio-guard:allow -->", "-- twilio-guard:allow"}) {
    const std::string text = "auth_token = \"" + m_fakes.token + "\" " + std::string(comment);
    const std::optional<Finding> token = find(scan(text), RuleId::auth_token);
    ASSERT_NE(token, std::nullopt) << comment;
    EXPECT_TRUE(token->allowed) << comment;
  }
}

TEST_F(ScannerTest, AllowMarkerOnAnotherLineOrMisspelledDoesNotAllow) {
  const std::string above = "# twilio-guard:allow\nauth_token = \"" + m_fakes.token + "\"\n";
  const std::string misspelled = "auth_token = \"" + m_fakes.token + "\" # twilio-guard:alow\n";
  const std::string other_case = "auth_token = \"" + m_fakes.token + "\" # twilio-guard-allow\n";
  for (const std::string& text : {above, misspelled, other_case}) {
    const std::optional<Finding> token = find(scan(text), RuleId::auth_token);
    ASSERT_NE(token, std::nullopt);
    EXPECT_FALSE(token->allowed) << text;
  }
}

TEST_F(ScannerTest, ConfiguredMarkersReplaceTheDefault) {
  const std::string text = "auth_token = \"" + m_fakes.token + "\" # gitleaks:allow\n";
  const std::optional<Finding> with_default = find(scan(text), RuleId::auth_token);
  ASSERT_NE(with_default, std::nullopt);
  EXPECT_FALSE(with_default->allowed);
  const std::optional<Finding> with_gitleaks =
      find(scan(text, ScanOptions{{"twilio-guard:allow", "gitleaks:allow"}}), RuleId::auth_token);
  ASSERT_NE(with_gitleaks, std::nullopt);
  EXPECT_TRUE(with_gitleaks->allowed);
  const std::string twilio_marker = "auth_token = \"" + m_fakes.token + "\" # twilio-guard:allow\n";
  const std::optional<Finding> no_markers = find(scan(twilio_marker, ScanOptions{{}}), RuleId::auth_token);
  ASSERT_NE(no_markers, std::nullopt);
  EXPECT_FALSE(no_markers->allowed);
}

TEST_F(ScannerTest, AccountSidNeverBlocksOnItsOwn) {
  const std::optional<Finding> sid = find(scan("sid = \"" + m_fakes.sid + "\""), RuleId::account_sid);
  ASSERT_NE(sid, std::nullopt);
  EXPECT_FALSE(sid->blocking);
  EXPECT_EQ(sid->severity, Severity::info);
}

TEST_F(ScannerTest, ApiKeySidBlocksOnlyBesideItsSecret) {
  const std::optional<Finding> alone = find(scan("TWILIO_API_KEY=" + m_fakes.sk_sid + "\n"), RuleId::api_key_sid);
  ASSERT_NE(alone, std::nullopt);
  EXPECT_FALSE(alone->blocking);
  const auto paired = scan("TWILIO_API_KEY=" + m_fakes.sk_sid + "\nTWILIO_API_SECRET=" + m_fakes.secret + "\n");
  const std::optional<Finding> sid = find(paired, RuleId::api_key_sid);
  ASSERT_NE(sid, std::nullopt);
  EXPECT_TRUE(sid->blocking);
  ASSERT_NE(find(paired, RuleId::api_key_secret), std::nullopt);
}

TEST_F(ScannerTest, RedactionKeepsAtMostFourCharactersAtEachEnd) {
  const auto findings = scan("auth_token = \"" + m_fakes.token + "\"");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].redacted, m_fakes.token.substr(0, 4) + "..." + m_fakes.token.substr(28));
}

TEST_F(ScannerTest, FingerprintIsStableAcrossPlacesAndEncodings) {
  const auto plain = scan("auth_token = \"" + m_fakes.token + "\"");
  const auto moved = scan("\n\n   TWILIO_AUTH_TOKEN: " + m_fakes.token);
  const auto encoded = scan("Authorization: Basic " + m_fakes.basic);
  ASSERT_EQ(plain.size(), 1u);
  ASSERT_EQ(moved.size(), 1u);
  const std::optional<Finding> decoded = find(encoded, RuleId::auth_token);
  ASSERT_NE(decoded, std::nullopt);
  EXPECT_TRUE(decoded->decoded);
  EXPECT_EQ(plain[0].fingerprint, moved[0].fingerprint);
  EXPECT_EQ(plain[0].fingerprint, decoded->fingerprint);
  EXPECT_EQ(plain[0].fingerprint.size(), 16u);
}

TEST_F(ScannerTest, EachOccurrenceIsReported) {
  const std::string line = "auth_token = \"" + m_fakes.token + "\"\n";
  const auto findings = scan(line + line + line);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[2].line, 3u);
}

TEST_F(ScannerTest, FindingsComeInOrderOfOffset) {
  const std::string text = "client = Client(\"" + m_fakes.sid + "\", \"" + m_fakes.token + "\")\n" +
                           "key = \"" + m_fakes.sk_sid + "\"\n";
  const auto findings = scan(text);
  ASSERT_GE(findings.size(), 3u);
  for (std::size_t i = 1; i < findings.size(); ++i) EXPECT_LT(findings[i - 1].offset, findings[i].offset);
}

TEST_F(ScannerTest, LargeCleanBufferAcrossManyLines) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "const value_" + std::to_string(i) + " = compute(" + std::to_string(i) + ");\n";
  text += "TWILIO_AUTH_TOKEN=" + m_fakes.token + "\n";
  const auto findings = scan(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].line, 20001u);
}

}  // namespace
}  // namespace tg
