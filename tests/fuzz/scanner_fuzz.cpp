// The engine on arbitrary bytes: Scanner::scan must not crash, and every
// finding must be consistent with the buffer it came from.
//   - the span lies inside the buffer; findings come in order of offset
//   - line is 1 + the newlines before the span; column counts code points
//     from the line start (1-based)
//   - the redacted form is shorter than the credential and, for a credential
//     found as is, keeps only its first and last characters
//   - an allowed finding has an allow marker on its line
//   - scanning again with the same Scanner gives the same findings
#include "core/pattern_db.hpp"
#include "core/scanner.hpp"
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

std::uint32_t code_points(std::string_view text) {
  std::uint32_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto findings = scanner().scan(input);
  FUZZ_CHECK(findings.has_value());

  std::size_t previous_offset = 0;
  for (const tg::Finding& finding : *findings) {
    FUZZ_CHECK(finding.length > 0);
    FUZZ_CHECK(finding.offset <= size && finding.length <= size - finding.offset);
    FUZZ_CHECK(finding.offset >= previous_offset);
    previous_offset = finding.offset;

    const std::string_view before = input.substr(0, finding.offset);
    std::uint32_t newlines = 0;
    for (char c : before) newlines += c == '\n';
    FUZZ_CHECK(finding.line == newlines + 1);
    const std::size_t last_newline = before.rfind('\n');
    const std::size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
    FUZZ_CHECK(finding.column == code_points(input.substr(line_start, finding.offset - line_start)) + 1);

    FUZZ_CHECK(finding.redacted.size() < finding.length || finding.decoded);
    FUZZ_CHECK(finding.redacted.size() <= 11);  // 4 + "..." + 4
    const std::size_t dots = finding.redacted.find("...");
    FUZZ_CHECK(dots != std::string::npos);
    if (!finding.decoded) {
      const std::string_view span = input.substr(finding.offset, finding.length);
      const std::string_view head = std::string_view(finding.redacted).substr(0, dots);
      const std::string_view tail = std::string_view(finding.redacted).substr(dots + 3);
      FUZZ_CHECK(span.starts_with(head) && span.ends_with(tail));
      FUZZ_CHECK(head.size() + tail.size() < span.size() / 2);
    }
    FUZZ_CHECK(finding.fingerprint.size() == 16);

    if (finding.allowed) {
      std::size_t line_end = input.find('\n', finding.offset);
      if (line_end == std::string_view::npos) line_end = size;
      FUZZ_CHECK(input.substr(line_start, line_end - line_start).find("twilio-guard:allow") !=
                 std::string_view::npos);
    }
  }

  auto again = scanner().scan(input);
  FUZZ_CHECK(again.has_value() && again->size() == findings->size());
  for (std::size_t i = 0; i < findings->size(); ++i) {
    FUZZ_CHECK((*again)[i].offset == (*findings)[i].offset);
    FUZZ_CHECK((*again)[i].fingerprint == (*findings)[i].fingerprint);
  }
  return 0;
}
