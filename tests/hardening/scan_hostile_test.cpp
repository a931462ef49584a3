// `twilio-guard scan` against hostile input: huge and oversized files, NUL
// bytes and invalid UTF-8, UTF-16 text, path names that are not plain text,
// symbolic link loops, FIFOs and unreadable files. Each test pins the
// behaviour the README documents: the message, the exit code, and that no
// input is dropped without a word.
#include "hook/report.hpp"
#include "tests/hardening/process.hpp"
#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace tg {
namespace {

using testing::ProcessOptions;
using testing::ProcessResult;
using testing::TempDir;

constexpr int k_exit_clean = 0;
constexpr int k_exit_blocking = 1;
constexpr int k_exit_usage = 2;
constexpr int k_exit_runtime = 3;

ProcessResult scan(const std::vector<std::string>& arguments, const std::string& cwd) {
  std::vector<std::string> argv = {testing::twilio_guard_binary(), "scan", "--color", "never"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  ProcessOptions options;
  options.cwd = cwd;
  options.timeout = std::chrono::seconds(120);
  ProcessResult result = testing::run_process(argv, options);
  EXPECT_FALSE(result.timed_out) << "twilio-guard scan did not finish";
  EXPECT_EQ(result.signal, 0) << "twilio-guard scan was killed by a signal";
  return result;
}

nlohmann::json parse_json(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "output is not valid JSON";
  return parsed;
}

// A Python settings file whose Auth Token blocks.
std::string settings_file(const testing::FakeCredentials& fakes) {
  return "TWILIO_ACCOUNT_SID = \"" + fakes.sid + "\"\nTWILIO_AUTH_TOKEN = \"" + fakes.token + "\"\n";
}

class ScanHostile : public ::testing::Test {
 protected:
  TempDir dir;
  testing::FakeGenerator generator{4242};
  testing::FakeCredentials fakes = generator.credentials();
};

// ---- size ---------------------------------------------------------------

TEST_F(ScanHostile, TwoHundredMegabyteSingleLineIsSkippedByDefaultAndScannedWhenAllowed) {
  // 200 MB without a newline, the credential at the very end.
  const std::string path = dir.path() + "/one-line.txt";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string chunk = [] {
      std::string text;
      while (text.size() < (1 << 20)) text += "lorem ipsum dolor sit amet, ";
      text.resize(1 << 20);
      return text;
    }();
    for (int i = 0; i < 200; ++i) out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const std::string tail = " sid=" + fakes.sid + " TWILIO_AUTH_TOKEN=" + fakes.token;
    out << tail;
    ASSERT_TRUE(out.good());
  }
  const ProcessResult skipped = scan({"one-line.txt"}, dir.path());
  EXPECT_EQ(skipped.exit_code, k_exit_clean);
  EXPECT_NE(skipped.err.find("one-line.txt: over the size limit, not scanned"), std::string::npos)
      << skipped.err;

  const ProcessResult scanned = scan({"--max-file-size", "300000000", "--format", "json", "one-line.txt"}, dir.path());
  EXPECT_EQ(scanned.exit_code, k_exit_blocking) << scanned.err;
  const nlohmann::json report = parse_json(scanned.out);
  bool found = false;
  for (const auto& finding : report["findings"]) {
    if (finding["rule"] == "twilio-auth-token") {
      found = true;
      EXPECT_EQ(finding["line"], 1);
      EXPECT_GT(finding["column"].get<std::uint64_t>(), 200u << 20);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ScanHostile, FileOverTheSizeLimitIsReportedInEveryFormat) {
  dir.write("big.py", settings_file(fakes) + std::string(4096, '#'));
  const ProcessResult text = scan({"--max-file-size", "1024", "big.py"}, dir.path());
  EXPECT_EQ(text.exit_code, k_exit_clean);
  EXPECT_NE(text.err.find("big.py: over the size limit, not scanned (more than 1024 bytes)"),
            std::string::npos) << text.err;
  EXPECT_NE(text.out.find("1 skipped"), std::string::npos) << text.out;

  const ProcessResult json = scan({"--max-file-size", "1024", "--format", "json", "big.py"}, dir.path());
  const nlohmann::json report = parse_json(json.out);
  ASSERT_EQ(report["skipped"].size(), 1u);
  EXPECT_EQ(report["skipped"][0]["path"], "big.py");
  EXPECT_EQ(report["skipped"][0]["reason"], "over the size limit, not scanned");
  EXPECT_EQ(report["summary"]["skipped"], 1);

  const ProcessResult sarif = scan({"--max-file-size", "1024", "--format", "sarif", "big.py"}, dir.path());
  const nlohmann::json log = parse_json(sarif.out);
  const auto& notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0]["message"]["text"].get<std::string>().find("big.py"), std::string::npos);

  // Exactly at the limit is scanned.
  const std::string exact = settings_file(fakes);
  dir.write("exact.py", exact);
  const ProcessResult at_limit = scan({"--max-file-size", std::to_string(exact.size()), "exact.py"}, dir.path());
  EXPECT_EQ(at_limit.exit_code, k_exit_blocking);
}

// ---- bytes ----------------------------------------------------------------

TEST_F(ScanHostile, NulBytesEarlyMakeAFileBinaryAndAreReported) {
  dir.write("early.bin", std::string("\x7f" "ELF\0\0\0", 7) + settings_file(fakes));
  const ProcessResult result = scan({"early.bin"}, dir.path());
  EXPECT_EQ(result.exit_code, k_exit_clean);
  EXPECT_NE(result.err.find("early.bin: binary, not scanned"), std::string::npos) << result.err;
}

TEST_F(ScanHostile, NulBytesAfterTheBinaryWindowDoNotHideACredential) {
  // git looks at the first 8000 bytes only; so does the scan.
  dir.write("late.txt", std::string(9000, 'x') + "\n" + std::string(16, '\0') + "\n" + settings_file(fakes));
  const ProcessResult result = scan({"--format", "json", "late.txt"}, dir.path());
  EXPECT_EQ(result.exit_code, k_exit_blocking) << result.err;
  const nlohmann::json report = parse_json(result.out);
  bool found = false;
  for (const auto& finding : report["findings"]) {
    if (finding["rule"] == "twilio-auth-token") found = finding["line"] == 4;
  }
  EXPECT_TRUE(found) << result.out;
}

TEST_F(ScanHostile, InvalidUtf8AroundACredentialStillFindsIt) {
  // Overlong encodings, lone continuation bytes, truncated sequences and a
  // surrogate before the credential on its line.
  const std::string garbage = "\xc0\xaf \x80\x80 \xe2\x82 \xed\xa0\x80 \xf8\x88\x80\x80\x80 ";
  dir.write("garbage.py", "# \xff\xff\n" + garbage + "sid = \"" + fakes.sid + "\"; TWILIO_AUTH_TOKEN = \"" +
                              fakes.token + "\"\n\xc3");
  const ProcessResult result = scan({"--format", "json", "garbage.py"}, dir.path());
  EXPECT_EQ(result.exit_code, k_exit_blocking) << result.err;
  const nlohmann::json report = parse_json(result.out);
  bool found = false;
  for (const auto& finding : report["findings"]) {
    if (finding["rule"] == "twilio-auth-token") found = finding["line"] == 2;
  }
  EXPECT_TRUE(found) << result.out;
}

TEST_F(ScanHostile, Utf16TextWithAByteOrderMarkIsTranscodedAndScanned) {
  const std::string text = "# configuration\r\n" + settings_file(fakes);
  std::string little = "\xff\xfe", big = "\xfe\xff";
  for (char c : text) {
    little += c;
    little += '\0';
    big += '\0';
    big += c;
  }
  dir.write("le.txt", little);
  dir.write("be.txt", big);
  for (const char* name : {"le.txt", "be.txt"}) {
    const ProcessResult result = scan({"--format", "json", name}, dir.path());
    EXPECT_EQ(result.exit_code, k_exit_blocking) << name << ": " << result.err;
    const nlohmann::json report = parse_json(result.out);
    bool found = false;
    for (const auto& finding : report["findings"]) {
      if (finding["rule"] == "twilio-auth-token") {
        found = true;
        EXPECT_EQ(finding["line"], 3) << name;
        EXPECT_EQ(finding["column"], 22) << name;
      }
    }
    EXPECT_TRUE(found) << name;
  }
}

TEST_F(ScanHostile, Utf16TextWithoutAByteOrderMarkIsTranscodedAndScanned) {
  const std::string text = "# configuration\r\n" + settings_file(fakes);
  std::string little, big;
  for (char c : text) {
    little += c;
    little += '\0';
    big += '\0';
    big += c;
  }
  dir.write("le.txt", little);
  dir.write("be.txt", big);
  for (const char* name : {"le.txt", "be.txt"}) {
    const ProcessResult result = scan({"--format", "json", name}, dir.path());
    EXPECT_EQ(result.exit_code, k_exit_blocking) << name << ": " << result.err;
    const nlohmann::json report = parse_json(result.out);
    bool found = false;
    for (const auto& finding : report["findings"]) {
      if (finding["rule"] == "twilio-auth-token") found = finding["line"] == 3 && finding["column"] == 22;
    }
    EXPECT_TRUE(found) << name;
  }
  // Binary data with NULs in no such pattern is still binary.
  dir.write("data.bin", std::string("\0\0\0\x01", 4) + text + std::string(32, '\0'));
  const ProcessResult binary = scan({"data.bin"}, dir.path());
  EXPECT_EQ(binary.exit_code, k_exit_clean);
  EXPECT_NE(binary.err.find("data.bin: binary, not scanned"), std::string::npos) << binary.err;
}

// ---- path names -----------------------------------------------------------

TEST_F(ScanHostile, PathNamesAreEscapedInTextJsonAndSarif) {
  const std::vector<std::string> names = {
      "new\nline.py", "quote\"d'.py", "tab\there.py", "esc\x1b[31mred.py", "bell\x07.py",
      "back\\slash.py", "latin1-\xe9\xff.py", "utf8-\xc3\xa9\xe2\x9c\x93.py", "del\x7f.py",
      "carriage\rreturn.py",
  };
  for (const std::string& name : names) dir.write("tree/" + name, settings_file(fakes));

  // Text: one line per finding, control bytes never reach the terminal raw.
  const ProcessResult text = scan({"tree"}, dir.path());
  EXPECT_EQ(text.exit_code, k_exit_blocking) << text.err;
  for (const std::string& name : names) {
    const std::string shown = "tree/" + printable(name) + ":2:";
    EXPECT_NE(text.out.find(shown), std::string::npos) << "missing " << shown;
  }
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.out.find('\x07'), std::string::npos);
  EXPECT_EQ(text.out.find('\r'), std::string::npos);
  EXPECT_EQ(text.out.find('\x7f'), std::string::npos);
  std::size_t finding_lines = 0;
  std::size_t start = 0;
  while (start < text.out.size()) {
    std::size_t end = text.out.find('\n', start);
    if (end == std::string::npos) end = text.out.size();
    const std::string line = text.out.substr(start, end - start);
    if (line.starts_with("tree/")) {
      ++finding_lines;
      EXPECT_NE(line.find(" twilio-"), std::string::npos) << "a path name broke a line: " << printable(line);
    }
    start = end + 1;
  }
  EXPECT_EQ(finding_lines, names.size() * 2);  // the SID (info) and the token

  // JSON: valid, and each path is the name as UTF-8 or with \xNN escapes.
  const ProcessResult json = scan({"--format", "json", "tree"}, dir.path());
  const nlohmann::json report = parse_json(json.out);
  std::vector<std::string> json_paths;
  for (const auto& finding : report["findings"]) json_paths.push_back(finding["path"]);
  for (const std::string& name : names) {
    EXPECT_EQ(std::count(json_paths.begin(), json_paths.end(), "tree/" + utf8_or_escaped(name)), 2)
        << printable(name);
  }

  // SARIF: valid, and each URI percent-decodes to the exact bytes of the name.
  const ProcessResult sarif = scan({"--format", "sarif", "tree"}, dir.path());
  const nlohmann::json log = parse_json(sarif.out);
  std::vector<std::string> decoded_uris;
  for (const auto& result : log["runs"][0]["results"]) {
    const std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    std::string decoded;
    for (std::size_t i = 0; i < uri.size(); ++i) {
      ASSERT_GE(static_cast<unsigned char>(uri[i]), 0x21) << "raw control byte in a URI";
      ASSERT_LT(static_cast<unsigned char>(uri[i]), 0x7f) << "raw non-ASCII byte in a URI";
      if (uri[i] == '%' && i + 2 < uri.size()) {
        decoded.push_back(static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        decoded.push_back(uri[i]);
      }
    }
    decoded_uris.push_back(decoded);
  }
  for (const std::string& name : names) {
    EXPECT_EQ(std::count(decoded_uris.begin(), decoded_uris.end(), "tree/" + name), 2) << printable(name);
  }
}

TEST_F(ScanHostile, HostilePathNamesInNoticesAreEscaped) {
  dir.write("n/evil\n\x1b[2Jname\xff.bin", std::string("\0\0\0", 3) + settings_file(fakes));
  const ProcessResult text = scan({"n"}, dir.path());
  EXPECT_EQ(text.exit_code, k_exit_clean);
  EXPECT_NE(text.err.find("n/evil\\n\\x1b[2Jname\\xff.bin: binary, not scanned"), std::string::npos)
      << printable(text.err);
  EXPECT_EQ(text.err.find('\x1b'), std::string::npos);
  const ProcessResult json = scan({"--format", "json", "n"}, dir.path());
  const nlohmann::json report = parse_json(json.out);
  ASSERT_EQ(report["skipped"].size(), 1u);
  EXPECT_EQ(report["skipped"][0]["path"], "n/evil\n\x1b[2Jname\\xff.bin");
}

// ---- links, special and unreadable files ------------------------------------

TEST_F(ScanHostile, SymlinkLoopsAreNotFollowed) {
  dir.write("links/app.py", settings_file(fakes));
  const std::string links = dir.path() + "/links";
  fs::create_directory_symlink(".", links + "/self");
  fs::create_directory_symlink("..", links + "/parent");
  fs::create_symlink("b", links + "/a");
  fs::create_symlink("a", links + "/b");
  fs::create_symlink("app.py", links + "/alias.py");
  const ProcessResult result = scan({"--format", "json", "links"}, dir.path());
  EXPECT_EQ(result.exit_code, k_exit_blocking) << result.err;
  const nlohmann::json report = parse_json(result.out);
  EXPECT_EQ(report["summary"]["scanned"], 1);  // app.py once, not through any link
  for (const auto& finding : report["findings"]) EXPECT_EQ(finding["path"], "links/app.py");

  // A loop named on the command line is reported, not followed or crashed on.
  const ProcessResult named = scan({"links/a"}, dir.path());
  EXPECT_EQ(named.exit_code, k_exit_clean);
  EXPECT_NE(named.err.find("links/a: not scanned (not a regular file)"), std::string::npos) << named.err;
}

TEST_F(ScanHostile, FifosAreReportedAndNeverOpened) {
  // Opening a FIFO for reading blocks until a writer comes: a scan that
  // opened one would hang the hook.
  dir.write("special/app.py", settings_file(fakes));
  ASSERT_EQ(::mkfifo((dir.path() + "/special/pipe").c_str(), 0600), 0);
  const ProcessResult result = scan({"special"}, dir.path());
  EXPECT_EQ(result.exit_code, k_exit_blocking);
  EXPECT_NE(result.err.find("special/pipe: not scanned (not a regular file)"), std::string::npos) << result.err;
  const ProcessResult named = scan({"special/pipe"}, dir.path());
  EXPECT_EQ(named.exit_code, k_exit_clean);
  EXPECT_NE(named.err.find("special/pipe: not scanned (not a regular file)"), std::string::npos) << named.err;
}

TEST_F(ScanHostile, UnreadableFilesAndDirectoriesFailWithExitThree) {
  dir.write("locked/open.py", "x = 1\n");
  dir.write("locked/secret.py", settings_file(fakes));
  dir.write("locked/closed/inner.py", settings_file(fakes));
  ::chmod((dir.path() + "/locked/secret.py").c_str(), 0);
  ::chmod((dir.path() + "/locked/closed").c_str(), 0);
  ::chmod(dir.path().c_str(), 0755);

  std::vector<std::string> argv;
  if (::geteuid() == 0) {
    // root reads everything; drop to an unprivileged user for this run.
    if (::access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "running as root without setpriv";
    // The unprivileged user cannot look into root's home: give it its own,
    // as a login would.
    argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
            "/usr/bin/env", "HOME=" + dir.path(), "XDG_CONFIG_HOME=" + dir.path() + "/.config"};
  }
  argv.insert(argv.end(), {testing::twilio_guard_binary(), "scan", "locked"});
  ProcessOptions options;
  options.cwd = dir.path();
  const ProcessResult result = testing::run_process(argv, options);
  if (result.exit_code == 126 || result.exit_code == 127) GTEST_SKIP() << "cannot run as another user here";
  EXPECT_EQ(result.exit_code, k_exit_runtime) << result.err;
  EXPECT_NE(result.err.find("locked/secret.py: unreadable, not scanned"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("locked/closed: unreadable, not scanned"), std::string::npos) << result.err;
}

TEST_F(ScanHostile, MissingArgumentIsAUsageError) {
  const ProcessResult result = scan({"does-not-exist"}, dir.path());
  EXPECT_EQ(result.exit_code, k_exit_usage);
  EXPECT_NE(result.err.find("twilio-guard: error: does-not-exist: no such file or directory"),
            std::string::npos) << result.err;
}

}  // namespace
}  // namespace tg
