#include "config/load.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace tg {
namespace {

namespace fs = std::filesystem;

// Points the system and user layers into a fresh temporary directory and
// restores the environment afterwards.
class LoadSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tg-config-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    m_dir = pattern;
    save("TWILIO_GUARD_SYSTEM_CONFIG");
    save("XDG_CONFIG_HOME");
    ::setenv("TWILIO_GUARD_SYSTEM_CONFIG", system_file().c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (m_dir / "xdg").c_str(), 1);
    fs::create_directories(m_dir / "xdg/twilio-guard");
    fs::create_directories(m_dir / "repo");
  }
  void TearDown() override {
    for (const auto& [name, value] : m_saved) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
    fs::remove_all(m_dir);
  }

  std::string system_file() const { return (m_dir / "system.toml").string(); }
  std::string user_file() const { return (m_dir / "xdg/twilio-guard/config.toml").string(); }
  std::string repo_root() const { return (m_dir / "repo").string(); }
  std::string repo_file() const { return (m_dir / "repo/.twilio-guard.toml").string(); }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  Result<Settings> load(bool server = false, std::optional<std::string> repository_text = std::nullopt) {
    ConfigSources sources;
    sources.repository_root = repo_root();
    sources.server = server;
    sources.repository_text = std::move(repository_text);
    return load_settings(sources);
  }

  // The error message of loading, or "" when it succeeded.
  std::string error_of(const Result<Settings>& result) { return result ? "" : result.error().message; }

  fs::path m_dir;

 private:
  void save(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    m_saved.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> m_saved;
};

std::size_t index_of(RuleId id) { return static_cast<std::size_t>(id); }

TEST_F(LoadSettings, DefaultsArePinned) {
  auto settings = load();
  ASSERT_TRUE(settings) << settings.error().message;
  for (const RuleSettings& rule_settings : settings->rules) {
    EXPECT_TRUE(rule_settings.enabled);
    EXPECT_FALSE(rule_settings.severity);
    EXPECT_FALSE(rule_settings.blocking);
  }
  EXPECT_TRUE(settings->allow_paths.empty());
  EXPECT_TRUE(settings->allow_fingerprints.empty());
  EXPECT_TRUE(settings->allow_values.empty());
  EXPECT_EQ(settings->allow_markers, std::vector<std::string>{"twilio-guard:allow"});
  EXPECT_EQ(settings->max_file_size, 10u * 1024 * 1024);
  EXPECT_EQ(settings->binary, BinaryHandling::skip);
  EXPECT_EQ(settings->format, OutputFormat::text);
  EXPECT_EQ(settings->color, ColorMode::automatic);
  EXPECT_EQ(settings->server.time_budget_ms, 4000u);
  EXPECT_EQ(settings->server.on_timeout, FailMode::closed);
  EXPECT_EQ(settings->server.on_error, FailMode::closed);
  EXPECT_FALSE(settings->server.allow_bypass_option);
  EXPECT_EQ(settings->server.audit_log, "");
  EXPECT_FALSE(settings->server.trust_repository_allowlists);
  EXPECT_EQ(settings->extra_remediation, "");
  EXPECT_TRUE(settings->provenance.files_read.empty());
  EXPECT_TRUE(settings->provenance.enforced.empty());
  EXPECT_TRUE(settings->provenance.notes.empty());
  EXPECT_TRUE(settings->provenance.origin.empty());
}

TEST_F(LoadSettings, DefaultPathsFollowTheEnvironment) {
  EXPECT_EQ(system_config_path(), system_file());
  EXPECT_EQ(user_config_path(), user_file());
  ::unsetenv("TWILIO_GUARD_SYSTEM_CONFIG");
  ::unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(system_config_path(), "/etc/twilio-guard/config.toml");
  if (const char* home = std::getenv("HOME")) {
    EXPECT_EQ(user_config_path(), std::string(home) + "/.config/twilio-guard/config.toml");
  }
}

TEST_F(LoadSettings, EveryKeyIsRead) {
  write(user_file(), R"(
[rules.twilio-account-sid]
enabled = true
severity = "high"
blocking = true

[rules.twilio-api-key-sid]
enabled = false

[allow]
markers = ["twilio-guard:allow", "gitleaks:allow"]

[[allow.paths]]
pattern = "docs/examples/**"
reason = "documentation samples"

[[allow.fingerprints]]
fingerprint = "0123456789abcdef"
reason = "rotated in 2025"

[[allow.values]]
value = "not-a-real-credential-value"
reason = "published test value"

[scan]
max_file_size = 2048
binary = "scan"

[output]
format = "json"
color = "never"
remediation = "Ask #security for help."

[server]
time_budget_ms = 2500
on_timeout = "open"
on_error = "open"
allow_bypass_option = true
audit_log = "/var/log/twilio-guard/audit.jsonl"
trust_repository_allowlists = true
)");
  auto settings = load();
  ASSERT_TRUE(settings) << settings.error().message;
  const RuleSettings& sid = settings->rules[index_of(RuleId::account_sid)];
  EXPECT_TRUE(sid.enabled);
  EXPECT_EQ(sid.severity, Severity::high);
  EXPECT_EQ(sid.blocking, true);
  EXPECT_FALSE(settings->rules[index_of(RuleId::api_key_sid)].enabled);
  EXPECT_EQ(settings->allow_markers, (std::vector<std::string>{"twilio-guard:allow", "gitleaks:allow"}));
  ASSERT_EQ(settings->allow_paths.size(), 1u);
  EXPECT_EQ(settings->allow_paths[0].pattern, "docs/examples/**");
  EXPECT_EQ(settings->allow_paths[0].reason, "documentation samples");
  EXPECT_EQ(settings->allow_paths[0].source, user_file() + ":13");
  ASSERT_EQ(settings->allow_fingerprints.size(), 1u);
  EXPECT_EQ(settings->allow_fingerprints[0].pattern, "0123456789abcdef");
  ASSERT_EQ(settings->allow_values.size(), 1u);
  EXPECT_EQ(settings->allow_values[0].pattern, "not-a-real-credential-value");
  EXPECT_EQ(settings->max_file_size, 2048u);
  EXPECT_EQ(settings->binary, BinaryHandling::scan);
  EXPECT_EQ(settings->format, OutputFormat::json);
  EXPECT_EQ(settings->color, ColorMode::never);
  EXPECT_EQ(settings->extra_remediation, "Ask #security for help.");
  EXPECT_EQ(settings->server.time_budget_ms, 2500u);
  EXPECT_EQ(settings->server.on_timeout, FailMode::open);
  EXPECT_EQ(settings->server.on_error, FailMode::open);
  EXPECT_TRUE(settings->server.allow_bypass_option);
  EXPECT_EQ(settings->server.audit_log, "/var/log/twilio-guard/audit.jsonl");
  EXPECT_TRUE(settings->server.trust_repository_allowlists);
  EXPECT_EQ(settings->provenance.files_read, std::vector<std::string>{user_file()});
  EXPECT_EQ(settings->provenance.origin.at("output.format"), user_file() + ":30");
}

TEST_F(LoadSettings, EmptyMarkerListMeansNoMarkerCounts) {
  write(repo_file(), "allow.markers = []\n");
  auto settings = load();
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_TRUE(settings->allow_markers.empty());
}

TEST_F(LoadSettings, LaterLayersRefineEarlierOnes) {
  write(system_file(), "[output]\nformat = \"json\"\ncolor = \"never\"\n[[allow.paths]]\npattern = \"a/\"\nreason = \"system\"\n");
  write(user_file(), "[output]\nformat = \"sarif\"\n[[allow.paths]]\npattern = \"b/\"\nreason = \"user\"\n");
  write(repo_file(), "[output]\nformat = \"text\"\n");
  const std::string explicit_file = (m_dir / "explicit.toml").string();
  write(explicit_file, "output.color = \"always\"\n");

  ConfigSources sources;
  sources.repository_root = repo_root();
  sources.explicit_file = explicit_file;
  auto settings = load_settings(sources);
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->format, OutputFormat::text);
  EXPECT_EQ(settings->color, ColorMode::always);
  EXPECT_EQ(settings->provenance.origin.at("output.format"), repo_file() + ":2");
  EXPECT_EQ(settings->provenance.origin.at("output.color"), explicit_file + ":1");
  // Allowlists accumulate across layers.
  ASSERT_EQ(settings->allow_paths.size(), 2u);
  EXPECT_EQ(settings->allow_paths[0].reason, "system");
  EXPECT_EQ(settings->allow_paths[1].reason, "user");
  EXPECT_EQ(settings->provenance.files_read,
            (std::vector<std::string>{system_file(), user_file(), repo_file(), explicit_file}));
}

TEST_F(LoadSettings, MissingExplicitFileIsAnError) {
  ConfigSources sources;
  sources.explicit_file = (m_dir / "absent.toml").string();
  auto settings = load_settings(sources);
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().kind, ErrorKind::config);
  EXPECT_NE(settings.error().message.find("absent.toml: no such file"), std::string::npos);
}

struct BadFile {
  const char* text;
  const char* expected;  // after "<file>:"
};

TEST_F(LoadSettings, ErrorsNameFileLineAndKey) {
  const BadFile cases[] = {
      {"[output]\nformat = \"json\"\nfromat = \"text\"\n", "3:1: output.fromat: unknown key"},
      {"\n\n[scan]\nmax_file_size = \"big\"\n", "4:17: scan.max_file_size: expected an integer, found a string"},
      {"scan.max_file_size = -1\n", "1:22: scan.max_file_size: -1 is out of range"},
      {"[output]\nformat = \"xml\"\n", "2:10: output.format: \"xml\" is not one of \"text\", \"json\", \"sarif\""},
      {"[rules.twilio-auth-token]\nenabled = \"no\"\n", "2:11: rules.twilio-auth-token.enabled: expected a boolean"},
      {"[rules.twilio-auth-token]\nseverity = \"urgent\"\n", "2:12: rules.twilio-auth-token.severity: \"urgent\" is not one of"},
      {"[rules.twilio-auth-tokens]\nenabled = false\n", "1:8: rules.twilio-auth-tokens: unknown key (rules are:"},
      {"[[allow.paths]]\npattern = \"docs/**\"\n", "1:1: allow.paths: entry without reason (required)"},
      {"[[allow.paths]]\npattern = \"docs/**\"\nreason = \" \"\n", "3:10: allow.paths.reason: a reason must say why"},
      {"[[allow.paths]]\npath = \"docs/**\"\nreason = \"x\"\n", "2:1: allow.paths.path: unknown key"},
      {"[[allow.fingerprints]]\nfingerprint = \"xyz\"\nreason = \"x\"\n", "2:15: allow.fingerprints.fingerprint: a fingerprint is 16"},
      {"allow.paths = \"docs\"\n", "1:15: allow.paths: expected an array of tables"},
      {"enforce = [\"output.format\"]\n", "1:1: enforce: may only be set in the system configuration"},
      {"[server]\naudit_log = \"relative.log\"\n", "2:13: server.audit_log: must be an absolute path"},
      {"[output\nformat = 1\n", "1:8:"},
      {"output = 3\n", "1:10: output: expected a table, found an integer"},
      // Where toml++ 3.3 expects whitespace, many non-ASCII characters reach
      // undefined behaviour in it (config/CMakeLists.txt): still an error
      // that names the place, and strings still read.
      {"\xc3\xa9", "1:1: "},                                  // U+00E9
      {"\xef\xba\xbf", "1:1: "},                              // U+FEBF, found by fuzz_config
      {"scan.max_file_size = 1\xc3\xa9\n", "1:23: "},          // after a value
      {"s = \"\"\"\\\n\xc2\xa7\"\"\"\n", "1:1: s: unknown key"},  // U+00A7 in a string
  };
  for (const BadFile& c : cases) {
    write(user_file(), c.text);
    auto settings = load();
    ASSERT_FALSE(settings) << c.text;
    EXPECT_EQ(settings.error().kind, ErrorKind::config);
    const std::string expected = user_file() + ":" + c.expected;
    EXPECT_EQ(settings.error().message.substr(0, expected.size()), expected) << settings.error().message;
  }
}

TEST_F(LoadSettings, SystemEnforcedSettingsCannotBeRelaxed) {
  write(system_file(), R"(enforce = ["rules.twilio-account-sid", "allow.paths", "scan.max_file_size"]
[rules.twilio-account-sid]
blocking = true
severity = "medium"
)");
  // Tightening is fine.
  write(repo_file(), "[rules.twilio-account-sid]\nseverity = \"high\"\n[scan]\nmax_file_size = 20971520\n");
  auto tightened = load();
  ASSERT_TRUE(tightened) << tightened.error().message;
  EXPECT_EQ(tightened->rules[index_of(RuleId::account_sid)].severity, Severity::high);

  const BadFile relaxing[] = {
      {"[rules.twilio-account-sid]\nblocking = false\n", "2:1: rules.twilio-account-sid.blocking: enforced"},
      {"[rules.twilio-account-sid]\nenabled = false\n", "2:1: rules.twilio-account-sid.enabled: enforced"},
      {"[rules.twilio-account-sid]\nseverity = \"low\"\n", "2:1: rules.twilio-account-sid.severity: enforced"},
      {"[[allow.paths]]\npattern = \"x/\"\nreason = \"r\"\n", "1:9: allow.paths: enforced"},
      {"scan.max_file_size = 1024\n", "1:6: scan.max_file_size: enforced"},
  };
  for (const BadFile& c : relaxing) {
    for (const std::string& file : {user_file(), repo_file()}) {
      fs::remove(user_file());
      fs::remove(repo_file());
      write(file, c.text);
      auto settings = load();
      ASSERT_FALSE(settings) << file << ": " << c.text;
      const std::string expected = file + ":" + c.expected;
      EXPECT_EQ(settings.error().message.substr(0, expected.size()), expected) << settings.error().message;
      EXPECT_NE(settings.error().message.find(system_file() + ":1"), std::string::npos);
    }
  }
  // Keys that are not enforced stay free.
  fs::remove(user_file());
  write(repo_file(), "[rules.twilio-auth-token]\nenabled = false\n");
  auto other = load();
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_FALSE(other->rules[index_of(RuleId::auth_token)].enabled);
}

TEST_F(LoadSettings, EnforceNamesKnownKeys) {
  write(system_file(), "enforce = [\"rules.nope\"]\n");
  auto settings = load();
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().message.find(":1:11: enforce: \"rules.nope\" is not a key or section"),
            std::string::npos);
}

constexpr const char* k_hostile_pushed_file = R"(
[rules.twilio-auth-token]
enabled = false
[rules.twilio-api-key-secret]
blocking = false
severity = "info"
[[allow.paths]]
pattern = "**"
reason = "let me push"
[[allow.paths]]
pattern = "fixtures/"
reason = "test fixtures"
[server]
allow_bypass_option = true
on_error = "open"
[allow]
markers = ["anything"]
)";

TEST_F(LoadSettings, ServerIgnoresThePushedFileByDefault) {
  write(repo_file(), k_hostile_pushed_file);
  for (const bool from_text : {false, true}) {
    auto settings = from_text ? load(true, k_hostile_pushed_file) : load(true);
    ASSERT_TRUE(settings) << settings.error().message;
    for (const RuleSettings& rule_settings : settings->rules) {
      EXPECT_TRUE(rule_settings.enabled);
      EXPECT_FALSE(rule_settings.blocking);
      EXPECT_FALSE(rule_settings.severity);
    }
    EXPECT_TRUE(settings->allow_paths.empty());
    EXPECT_FALSE(settings->server.allow_bypass_option);
    EXPECT_EQ(settings->server.on_error, FailMode::closed);
    EXPECT_EQ(settings->allow_markers, std::vector<std::string>{"twilio-guard:allow"});
    EXPECT_TRUE(settings->provenance.files_read.empty());
  }
}

TEST_F(LoadSettings, TrustedServerTakesOnlyAllowlistEntriesFromThePushedFile) {
  write(system_file(), "[server]\ntrust_repository_allowlists = true\n");
  auto settings = load(true, k_hostile_pushed_file);
  ASSERT_TRUE(settings) << settings.error().message;
  for (const RuleSettings& rule_settings : settings->rules) {
    EXPECT_TRUE(rule_settings.enabled);
    EXPECT_FALSE(rule_settings.blocking);
    EXPECT_FALSE(rule_settings.severity);
  }
  ASSERT_EQ(settings->allow_paths.size(), 1u);
  EXPECT_EQ(settings->allow_paths[0].pattern, "fixtures/");
  EXPECT_EQ(settings->allow_paths[0].source, ".twilio-guard.toml:10");
  EXPECT_FALSE(settings->server.allow_bypass_option);
  EXPECT_EQ(settings->server.on_error, FailMode::closed);
  EXPECT_EQ(settings->allow_markers, std::vector<std::string>{"twilio-guard:allow"});
  // Every ignored setting is said, not dropped silently.
  const auto& notes = settings->provenance.notes;
  const auto noted = [&](std::string_view text) {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(noted(".twilio-guard.toml:3: rules.twilio-auth-token.enabled ignored"));
  EXPECT_TRUE(noted(".twilio-guard.toml:5: rules.twilio-api-key-secret.blocking ignored"));
  EXPECT_TRUE(noted(".twilio-guard.toml:6: rules.twilio-api-key-secret.severity ignored"));
  EXPECT_TRUE(noted(".twilio-guard.toml:7: allow.paths: \"**\" ignored"));
  EXPECT_TRUE(noted(".twilio-guard.toml:14: server.allow_bypass_option ignored"));
  EXPECT_TRUE(noted(".twilio-guard.toml:17: allow.markers ignored"));
}

TEST_F(LoadSettings, TrustedServerRejectsCatchAllPathPatterns) {
  write(system_file(), "server.trust_repository_allowlists = true\n");
  for (const char* pattern : {"**", "*", "/**", "**/*", "**/", "?*", "*/", "/*/"}) {
    const std::string text = std::string("[[allow.paths]]\npattern = \"") + pattern + "\"\nreason = \"r\"\n";
    auto settings = load(true, text);
    ASSERT_TRUE(settings) << settings.error().message;
    EXPECT_TRUE(settings->allow_paths.empty()) << pattern;
  }
}

TEST_F(LoadSettings, ServerSettingsNeverComeFromARepositoryOnAClient) {
  write(repo_file(), "[server]\nallow_bypass_option = true\n");
  auto settings = load();
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_FALSE(settings->server.allow_bypass_option);
  ASSERT_EQ(settings->provenance.notes.size(), 1u);
  EXPECT_NE(settings->provenance.notes[0].find("server.allow_bypass_option ignored"), std::string::npos);
}

TEST_F(LoadSettings, ServerReadsTheSystemAndExplicitFiles) {
  write(system_file(), "[server]\ntime_budget_ms = 3000\n");
  const std::string explicit_file = (m_dir / "server.toml").string();
  write(explicit_file, "[server]\naudit_log = \"/var/log/tg.log\"\n");
  ConfigSources sources;
  sources.server = true;
  sources.explicit_file = explicit_file;
  auto settings = load_settings(sources);
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->server.time_budget_ms, 3000u);
  EXPECT_EQ(settings->server.audit_log, "/var/log/tg.log");
}

TEST_F(LoadSettings, CheckValidatesOneFile) {
  const std::string file = (m_dir / "check.toml").string();
  write(file, "enforce = [\"rules\"]\n[output]\nformat = \"json\"\n");
  EXPECT_TRUE(check_config_file(file));
  write(file, "[output]\nformat = \"yaml\"\n");
  auto checked = check_config_file(file);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message.rfind(file + ":2:10: output.format:", 0), 0u) << checked.error().message;
}

TEST_F(LoadSettings, RenderSaysWhereEachValueCameFrom) {
  write(user_file(), "[rules.twilio-account-sid]\nblocking = true\n[[allow.values]]\nvalue = \"abcdefghijklmnopqrstuvwxyz0123456789\"\nreason = \"sample\"\n");
  auto settings = load();
  ASSERT_TRUE(settings) << settings.error().message;
  const std::string text = render_settings(*settings);
  EXPECT_NE(text.find("rules.twilio-account-sid.blocking = true  # " + user_file() + ":2"), std::string::npos) << text;
  EXPECT_NE(text.find("rules.twilio-auth-token.blocking = true  # default"), std::string::npos);
  EXPECT_NE(text.find("output.format = \"text\"  # default"), std::string::npos);
  // A literal value is shown redacted.
  EXPECT_EQ(text.find("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos);
}

}  // namespace
}  // namespace tg
