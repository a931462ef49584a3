// Scanning one blob of content as the hook sees it: binary and size checks,
// the engine, then the policy. Shared by every input (files, the index,
// pushed commits, history) so that they all treat content the same way.
#pragma once

#include "core/scanner.hpp"
#include "hook/policy.hpp"
#include "hook/report.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tg {

// True when `content` looks binary: a NUL byte in its first 8000 bytes, as
// git decides, unless it starts with a UTF-16 byte order mark.
bool looks_binary(std::string_view content);

// UTF-16 text transcoded to UTF-8 so that its credentials are found: with a
// byte order mark, or without one when the first 8000 bytes have a NUL in
// every other byte (at least 90% of them) and none in between. nullopt for
// anything else.
std::optional<std::string> utf16_to_utf8(std::string_view content);

struct BlobVerdict {
  std::vector<Finding> findings;   // after policy; disabled rules dropped
  std::optional<Notice> notice;    // set when the blob was not scanned
  // The text scanned when the content was UTF-16 (utf16_to_utf8): the
  // findings' offsets are into it, not into the content.
  std::optional<std::string> transcoded;
};

// The text scan_blob scans for `content`: UTF-16 transcoded, anything else
// as it is. For looking a finding's text up in other versions of a file.
std::string scanned_text(std::string content);

// Scans `content` with `scanner` under `policy`. `path` only labels notices.
// The notice for content over `scan.max_file_size`.
Notice too_large_notice(std::string_view path, std::uint64_t max_file_size);

Result<BlobVerdict> scan_blob(Scanner& scanner, const Policy& policy, std::string_view path,
                              std::string_view content);

}  // namespace tg
