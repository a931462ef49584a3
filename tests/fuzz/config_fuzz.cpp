// The configuration parser on arbitrary text, as the repository file
// (.twilio-guard.toml) that arrives with a push. Must never crash; a
// rejected file is a configuration error with a message. On a server that
// trusts repository allowlists, whatever the pushed file says must not
// weaken the server: server settings, rules, markers, the size limit and
// binary handling stay as the trusted system file set them.
#include "config/load.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace {

const tg::Settings* g_trusted = nullptr;
std::string g_directory;

void remove_directory() {
  std::remove((g_directory + "/system.toml").c_str());
  ::rmdir(g_directory.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // A system file that trusts repository allowlists, so that the pushed
  // text is parsed on the server path too; no user file.
  char directory[] = "/tmp/twilio-guard-config-fuzz-XXXXXX";
  FUZZ_CHECK(::mkdtemp(directory) != nullptr);
  g_directory = directory;
  std::atexit(remove_directory);
  const std::string system = g_directory + "/system.toml";
  std::FILE* file = std::fopen(system.c_str(), "w");
  FUZZ_CHECK(file != nullptr);
  std::fputs("[server]\ntrust_repository_allowlists = true\naudit_log = \"/var/log/tg-audit.jsonl\"\n", file);
  std::fclose(file);
  ::setenv("TWILIO_GUARD_SYSTEM_CONFIG", system.c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", directory, 1);
  ::setenv("HOME", directory, 1);
  tg::ConfigSources none;
  auto trusted = tg::load_settings(none);
  FUZZ_CHECK(trusted.has_value());
  g_trusted = new tg::Settings(std::move(*trusted));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (g_trusted == nullptr) LLVMFuzzerInitialize(nullptr, nullptr);
  const std::string text(reinterpret_cast<const char*>(data), size);

  for (const bool server : {false, true}) {
    tg::ConfigSources sources;
    sources.repository_text = text;
    sources.server = server;
    const auto settings = tg::load_settings(sources);
    if (!settings) {
      FUZZ_CHECK(settings.error().kind == tg::ErrorKind::config);
      FUZZ_CHECK(!settings.error().message.empty());
      continue;
    }
    if (!server) continue;
    const tg::Settings& trusted = *g_trusted;
    FUZZ_CHECK(settings->server.on_error == trusted.server.on_error);
    FUZZ_CHECK(settings->server.on_timeout == trusted.server.on_timeout);
    FUZZ_CHECK(settings->server.allow_bypass_option == trusted.server.allow_bypass_option);
    FUZZ_CHECK(settings->server.audit_log == trusted.server.audit_log);
    FUZZ_CHECK(settings->server.time_budget_ms == trusted.server.time_budget_ms);
    FUZZ_CHECK(settings->max_file_size == trusted.max_file_size);
    FUZZ_CHECK(settings->binary == trusted.binary);
    FUZZ_CHECK(settings->allow_markers == trusted.allow_markers);
    for (std::size_t i = 0; i < settings->rules.size(); ++i) {
      FUZZ_CHECK(settings->rules[i].enabled == trusted.rules[i].enabled);
      FUZZ_CHECK(settings->rules[i].blocking == trusted.rules[i].blocking);
      FUZZ_CHECK(settings->rules[i].severity == trusted.rules[i].severity);
    }
  }
  return 0;
}
