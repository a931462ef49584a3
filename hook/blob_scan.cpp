#include "hook/blob_scan.hpp"

#include <fmt/format.h>

#include <cstring>

namespace tg {

bool looks_binary(std::string_view content) {
  if (content.starts_with("\xFF\xFE") || content.starts_with("\xFE\xFF")) return false;
  const std::size_t window = std::min<std::size_t>(content.size(), 8000);
  return std::memchr(content.data(), '\0', window) != nullptr;
}

namespace {

// UTF-16 without a byte order mark, as some Windows tools write it: text that
// is mostly ASCII has a NUL in every other byte and none in between. Judged
// on the first 8000 bytes, like the binary check. nullopt: not UTF-16;
// otherwise whether it is little-endian.
std::optional<bool> bomless_utf16_is_little_endian(std::string_view content) {
  const std::size_t window = std::min<std::size_t>(content.size(), 8000) & ~std::size_t{1};
  if (content.size() % 2 != 0 || window < 16) return std::nullopt;
  // Most blobs have no NUL at all: one vectorised search settles them.
  if (std::memchr(content.data(), '\0', window) == nullptr) return std::nullopt;
  std::size_t even_nuls = 0, odd_nuls = 0;
  for (std::size_t i = 0; i < window; i += 2) {
    even_nuls += content[i] == '\0';
    odd_nuls += content[i + 1] == '\0';
  }
  const std::size_t pairs = window / 2;
  if (even_nuls == 0 && odd_nuls * 10 >= pairs * 9) return true;
  if (odd_nuls == 0 && even_nuls * 10 >= pairs * 9) return false;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> utf16_to_utf8(std::string_view content) {
  bool little_endian;
  std::size_t start = 2;
  if (content.starts_with("\xFF\xFE")) little_endian = true;
  else if (content.starts_with("\xFE\xFF")) little_endian = false;
  else if (const auto bomless = bomless_utf16_is_little_endian(content)) {
    little_endian = *bomless;
    start = 0;
  } else {
    return std::nullopt;
  }
  std::string out;
  out.reserve(content.size() / 2);
  for (std::size_t i = start; i + 1 < content.size(); i += 2) {
    const auto low = static_cast<unsigned char>(content[little_endian ? i : i + 1]);
    const auto high = static_cast<unsigned char>(content[little_endian ? i + 1 : i]);
    unsigned code = (high << 8) | low;
    // Credentials are ASCII: keep ASCII exact, keep other characters as one
    // placeholder byte so columns still count one per character.
    out.push_back(code < 0x80 ? static_cast<char>(code) : '?');
  }
  return out;
}

std::string scanned_text(std::string content) {
  if (std::optional<std::string> transcoded = utf16_to_utf8(content)) return std::move(*transcoded);
  return content;
}

Notice too_large_notice(std::string_view path, std::uint64_t max_file_size) {
  return Notice{NoticeKind::skipped_too_large, std::string(path), fmt::format("more than {} bytes", max_file_size)};
}

Result<BlobVerdict> scan_blob(Scanner& scanner, const Policy& policy, std::string_view path,
                              std::string_view content) {
  BlobVerdict verdict;
  const Settings& settings = policy.settings();
  if (content.size() > settings.max_file_size) {
    verdict.notice = too_large_notice(path, settings.max_file_size);
    return verdict;
  }
  verdict.transcoded = utf16_to_utf8(content);
  const std::optional<std::string>& transcoded = verdict.transcoded;
  if (transcoded) content = *transcoded;
  if (!transcoded && settings.binary == BinaryHandling::skip && looks_binary(content)) {
    verdict.notice = Notice{NoticeKind::skipped_binary, std::string(path), "NUL bytes"};
    return verdict;
  }
  VectorSink sink;
  if (auto scanned = scanner.scan(content, sink); !scanned) return std::unexpected(scanned.error());
  if (scanner.last_scan_omitted() > 0) {
    verdict.notice = Notice{NoticeKind::findings_omitted, std::string(path),
                            fmt::format("{} more", scanner.last_scan_omitted())};
  }
  for (Finding& finding : sink.findings) {
    ReportedFinding reported{std::move(finding), Provenance{std::string(path), std::nullopt, {}}};
    if (policy.apply(reported)) verdict.findings.push_back(std::move(reported.finding));
  }
  return verdict;
}

}  // namespace tg
