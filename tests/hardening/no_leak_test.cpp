// Nothing leaked: generated credentials of every kind are planted, every
// command that exists is run over them in every format and on its error
// paths, and each byte it writes (standard output and error) is searched for
// the credentials: in full, and for every 8-character piece of each (the
// redacted form shows 4 characters at each end, so any 8 consecutive
// characters mean more was shown than that).
#include "hook/report.hpp"
#include "tests/hardening/process.hpp"
#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace tg {
namespace {

using testing::ProcessOptions;
using testing::ProcessResult;
using testing::TempDir;

constexpr std::size_t k_piece = 8;

struct Secret {
  std::string label;
  std::string value;
};

class NoLeak : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::FakeGenerator generator(90210);
    m_fakes = generator.credentials();
    const testing::FakeCredentials& f = m_fakes;
    // What must never be shown. Account and API Key SIDs identify, they do not
    // authenticate, but they are redacted too and checked in full.
    m_secrets = {
        {"auth token", f.token},     {"api key secret", f.secret}, {"access token", f.jwt},
        {"basic auth", f.basic},     {"basic sk auth", f.sk_basic}, {"base64 token", f.b64_token},
    };
    m_identifiers = {{"account sid", f.sid}, {"api key sid", f.sk_sid}};

    m_dir.write("repo/settings.py", "TWILIO_ACCOUNT_SID = \"" + f.sid + "\"\nTWILIO_AUTH_TOKEN = \"" +
                                        f.token + "\"\n");
    m_dir.write("repo/keys.env", "TWILIO_API_KEY=" + f.sk_sid + "\nTWILIO_API_SECRET=" + f.secret + "\n");
    m_dir.write("repo/client.js", "const token = '" + f.jwt + "';\n");
    m_dir.write("repo/curl.sh", "curl -H 'Authorization: Basic " + f.basic + "' https://api.twilio.com\n" +
                                    "curl -H 'Authorization: Basic " + f.sk_basic + "' https://api.twilio.com\n");
    m_dir.write("repo/secret.yaml", "data:\n  auth_token: " + f.b64_token + "\n");
    m_dir.write("repo/allowed.py", "TWILIO_AUTH_TOKEN = \"" + f.token + "\"  # twilio-guard:allow\n");
    // The same credentials where they are not scanned: must be reported as
    // skipped without any of their content.
    m_dir.write("repo/big.txt", std::string(2 << 20, ' ') + "TWILIO_AUTH_TOKEN=" + f.token + "\n");
    m_dir.write("repo/blob.bin", std::string("\0\0", 2) + "TWILIO_AUTH_TOKEN=" + f.token + "\n");
    std::string utf16 = "\xff\xfe";
    for (char c : "TWILIO_AUTH_TOKEN=" + f.token + "\n") utf16 += std::string{c, '\0'};
    m_dir.write("repo/utf16.txt", utf16);
    m_dir.write("repo/unreadable.py", "TWILIO_AUTH_TOKEN=" + f.token + "\n");
    // A configuration file that holds credentials (in allowlists, or by
    // mistake): errors about it must not quote them.
    m_dir.write("config.toml", "[allowlist]\nvalues = [\"" + f.token + "\"\nbroken = " + f.secret + "\n");
  }

  ProcessResult run(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), testing::twilio_guard_binary());
    ProcessOptions options;
    options.cwd = m_dir.path();
    ProcessResult result = testing::run_process(arguments, options);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.signal, 0);
    ++m_runs;
    return result;
  }

  void expect_nothing_leaked(const std::string& what, const std::string& output) {
    for (const Secret& secret : m_secrets) expect_absent(what, output, secret);
    for (const Secret& identifier : m_identifiers) {
      EXPECT_EQ(output.find(identifier.value), std::string::npos) << what << " shows the " << identifier.label;
    }
  }

  static void expect_absent(const std::string& what, const std::string& output, const Secret& secret) {
    EXPECT_EQ(output.find(secret.value), std::string::npos) << what << " shows the " << secret.label << " in full";
    for (std::size_t i = 0; i + k_piece <= secret.value.size(); ++i) {
      const std::string piece = secret.value.substr(i, k_piece);
      if (output.find(piece) != std::string::npos) {
        ADD_FAILURE() << what << " shows characters " << i << ".." << i + k_piece << " of the "
                      << secret.label;
        return;
      }
    }
  }

  TempDir m_dir;
  testing::FakeCredentials m_fakes;
  std::vector<Secret> m_secrets;
  std::vector<Secret> m_identifiers;
  int m_runs = 0;
};

TEST_F(NoLeak, ScanReportsInEveryFormatShowNoCredential) {
  for (const char* format : {"text", "json", "sarif"}) {
    for (const char* color : {"never", "always"}) {
      const ProcessResult result = run({"scan", "--format", format, "--color", color, "--max-file-size", "1048576", "repo"});
      EXPECT_EQ(result.exit_code, 1) << format;
      // The reports must be about the planted credentials, or the search proves nothing.
      EXPECT_NE(result.out.find(m_fakes.token.substr(0, 4)), std::string::npos) << format;
      EXPECT_NE((result.out + result.err).find("big.txt"), std::string::npos) << format;
      expect_nothing_leaked(std::string("scan --format ") + format + " stdout", result.out);
      expect_nothing_leaked(std::string("scan --format ") + format + " stderr", result.err);
    }
  }
}

TEST_F(NoLeak, ScanOfSingleFilesAndWithBinaryScanningShowsNoCredential) {
  for (const char* file : {"repo/settings.py", "repo/keys.env", "repo/client.js", "repo/curl.sh",
                           "repo/secret.yaml", "repo/allowed.py", "repo/utf16.txt", "repo/big.txt",
                           "repo/blob.bin"}) {
    const ProcessResult result = run({"scan", "--format", "json", file});
    EXPECT_NE(result.exit_code, 3) << file << ": " << result.err;
    expect_nothing_leaked(std::string("scan ") + file + " stdout", result.out);
    expect_nothing_leaked(std::string("scan ") + file + " stderr", result.err);
  }
}

TEST_F(NoLeak, ErrorMessagesShowNoCredential) {
  std::vector<ProcessResult> results;
  results.push_back(run({"scan", "--config", "config.toml", "repo"}));
  results.push_back(run({"scan", "--format", "yaml", "repo"}));
  results.push_back(run({"scan", "--max-file-size", "lots", "repo"}));
  results.push_back(run({"scan", "repo/missing.py"}));
  results.push_back(run({"no-such-command", m_fakes.token.substr(0, 4)}));
  results.push_back(run({"--help"}));
  results.push_back(run({"scan", "--help"}));
  for (const ProcessResult& result : results) {
    expect_nothing_leaked("error stdout", result.out);
    expect_nothing_leaked("error stderr", result.err);
  }
  EXPECT_NE(results[0].exit_code, 0);
  EXPECT_EQ(results[1].exit_code, 2);
  EXPECT_EQ(results[3].exit_code, 2);
}

TEST_F(NoLeak, UnreadableInputShowsNoCredential) {
  ::chmod((m_dir.path() + "/repo/unreadable.py").c_str(), 0);
  const ProcessResult result = run({"scan", "--format", "sarif", "repo"});
  expect_nothing_leaked("scan with an unreadable file, stdout", result.out);
  expect_nothing_leaked("scan with an unreadable file, stderr", result.err);
}

}  // namespace
}  // namespace tg
