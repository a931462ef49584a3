// Printers render one report stream; none of them may print a credential in
// full, whatever the format.
#include "hook/printers/printer.hpp"

#include "core/scanner.hpp"
#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

namespace tg {
namespace {

struct CapturedOutput {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* stream = open_memstream(&buffer, &size);
  ~CapturedOutput() { std::free(buffer); }
  std::string text() {
    std::fflush(stream);
    std::fclose(stream);
    stream = nullptr;
    return std::string(buffer, size);
  }
};

class PrintersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_database = std::make_unique<PatternDatabase>(PatternDatabase::load().value());
    auto scanner = Scanner::create(*m_database).value();
    m_text = "client = Client(\"" + m_fakes.sid + "\", \"" + m_fakes.token + "\")\n" +
             "API = \"" + m_fakes.sk_sid + "\"\napi_secret = \"" + m_fakes.secret + "\"\n" +
             "jwt = \"" + m_fakes.jwt + "\"\nbasic = \"" + m_fakes.basic + "\"\n" +
             "fixture = \"" + m_fakes.hex32 + "\" # twilio-guard:allow\n";
    m_findings = scanner.scan(m_text).value();
    ASSERT_GE(m_findings.size(), 6u);
  }

  std::string render(OutputFormat format) {
    CapturedOutput output;
    PrinterOptions options;
    options.out = output.stream;
    auto printer = make_printer(format, options);
    Summary summary;
    for (const Finding& finding : m_findings) {
      CommitInfo commit{"0123456789abcdef0123456789abcdef01234567", "Dev <dev@example.com>",
                        "2026-11-20T10:00:00+00:00"};
      printer->on_finding(ReportedFinding{finding, Provenance{"dir/app \"1\".py", commit, {}}});
      ++summary.findings;
      summary.blocking += blocks(finding);
    }
    printer->on_notice(Notice{NoticeKind::skipped_too_large, "big.bin", "more than 10 bytes"});
    printer->finish(summary);
    return output.text();
  }

  std::vector<std::string> credentials() const {
    return {m_fakes.sid, m_fakes.token, m_fakes.sk_sid, m_fakes.secret, m_fakes.jwt, m_fakes.basic, m_fakes.hex32};
  }

  testing::FakeCredentials m_fakes = testing::FakeGenerator(99).credentials();
  std::unique_ptr<PatternDatabase> m_database;
  std::string m_text;
  std::vector<Finding> m_findings;
};

TEST_F(PrintersTest, NoFormatPrintsACredentialInFull) {
  for (OutputFormat format : {OutputFormat::text, OutputFormat::json, OutputFormat::sarif}) {
    const std::string output = render(format);
    ASSERT_FALSE(output.empty());
    for (const std::string& credential : credentials()) {
      EXPECT_EQ(output.find(credential), std::string::npos) << static_cast<int>(format);
      // Nor any 12-character piece of it beyond what redaction shows.
      EXPECT_EQ(output.find(credential.substr(8, 12)), std::string::npos) << static_cast<int>(format);
    }
  }
}

TEST_F(PrintersTest, JsonFollowsTheContract) {
  const nlohmann::json report = nlohmann::json::parse(render(OutputFormat::json));
  ASSERT_TRUE(report.contains("version"));
  ASSERT_TRUE(report["findings"].is_array());
  ASSERT_EQ(report["findings"].size(), m_findings.size());
  for (const auto& finding : report["findings"]) {
    for (const char* key : {"rule", "severity", "blocking", "allowed", "path", "line", "column",
                            "commit", "secret", "fingerprint", "message"}) {
      EXPECT_TRUE(finding.contains(key)) << key;
    }
    EXPECT_EQ(finding["path"], "dir/app \"1\".py");
    EXPECT_GE(finding["line"].get<int>(), 1);
    EXPECT_GE(finding["column"].get<int>(), 1);
  }
  bool saw_allowed = false;
  for (const auto& finding : report["findings"]) saw_allowed |= finding["allowed"].get<bool>();
  EXPECT_TRUE(saw_allowed);
  EXPECT_EQ(report["skipped"].size(), 1u);
  EXPECT_TRUE(report["summary"].contains("blocking"));
}

TEST_F(PrintersTest, SarifIsVersion210WithRulesAndLocations) {
  const nlohmann::json log = nlohmann::json::parse(render(OutputFormat::sarif));
  EXPECT_EQ(log["version"], "2.1.0");
  const auto& run = log["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "twilio-guard");
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), static_cast<std::size_t>(k_rule_count));
  for (const auto& result : run["results"]) {
    const std::string id = result["ruleId"];
    const int index = result["ruleIndex"];
    EXPECT_EQ(run["tool"]["driver"]["rules"][index]["id"], id);
    const auto& location = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(location["artifactLocation"]["uri"], "dir/app%20%221%22.py");
    EXPECT_GE(location["region"]["startLine"].get<int>(), 1);
    EXPECT_TRUE(result["partialFingerprints"].is_object());
  }
}

TEST_F(PrintersTest, TextShowsLocationsRuleCommitAndRemediation) {
  const std::string text = render(OutputFormat::text);
  EXPECT_NE(text.find("dir/app \\\"1\\\".py:1:"), std::string::npos);
  EXPECT_NE(text.find("twilio-auth-token"), std::string::npos);
  EXPECT_NE(text.find("commit 0123456789ab"), std::string::npos);
  EXPECT_NE(text.find("request a secondary"), std::string::npos);
  EXPECT_NE(text.find("delete the key"), std::string::npos);
  EXPECT_EQ(text.find("\x1b["), std::string::npos);  // no colour unless asked
}

}  // namespace
}  // namespace tg
