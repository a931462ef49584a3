// Content as the hook sees it (hook/blob_scan.cpp): UTF-16 detection and
// transcoding, the binary check and the engine, under default settings and
// with binary scanning on. Must not crash; transcoded UTF-16 keeps one byte
// per code unit; every finding lies inside the content that was scanned.
#include "config/settings.hpp"
#include "core/pattern_db.hpp"
#include "core/scanner.hpp"
#include "hook/blob_scan.hpp"
#include "hook/policy.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace {

tg::Scanner& scanner() {
  static const std::unique_ptr<tg::PatternDatabase> database = [] {
    auto loaded = tg::PatternDatabase::load();
    FUZZ_CHECK(loaded.has_value());
    return std::make_unique<tg::PatternDatabase>(std::move(*loaded));
  }();
  static tg::Scanner instance = [] {
    auto created = tg::Scanner::create(*database);
    FUZZ_CHECK(created.has_value());
    return std::move(*created);
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);

  if (const auto transcoded = tg::utf16_to_utf8(content)) {
    const bool bom = content.starts_with("\xff\xfe") || content.starts_with("\xfe\xff");
    FUZZ_CHECK(transcoded->size() == (bom ? (size - 2) / 2 : size / 2));
  }

  static const tg::Settings skip_binary;
  static const tg::Settings scan_binary = [] {
    tg::Settings settings;
    settings.binary = tg::BinaryHandling::scan;
    settings.max_file_size = 1 << 16;
    return settings;
  }();
  for (const tg::Settings* settings : {&skip_binary, &scan_binary}) {
    const tg::Policy policy(*settings);
    auto verdict = tg::scan_blob(scanner(), policy, "fuzz", content);
    FUZZ_CHECK(verdict.has_value());
    FUZZ_CHECK(!(verdict->notice && !verdict->findings.empty()));
    for (const tg::Finding& finding : verdict->findings) {
      FUZZ_CHECK(finding.offset + finding.length <= size);
    }
  }
  return 0;
}
