// The stream every input produces and every printer consumes: findings with
// their provenance (where in the tree or history they are), notices about
// input that was not scanned, and a closing summary. Printers are sinks of
// this stream; adding an input or a format never touches the engine.
#pragma once

#include "core/finding.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tg {

struct CommitInfo {
  std::string id;      // full hex object id
  std::string author;  // "Name <email>"
  std::string date;    // ISO 8601 with offset
};

struct Provenance {
  std::string path;                  // as the user would type it; raw bytes, maybe not UTF-8
  std::optional<CommitInfo> commit;  // nullopt outside git history
  std::string ref;                   // pushed ref, when scanning a push
};

struct ReportedFinding {
  Finding finding;
  Provenance where;
};

enum class NoticeKind {
  skipped_binary,
  skipped_too_large,
  skipped_unreadable,
  skipped_other,
  findings_omitted,  // scanned, but more findings than the per-file limit
};

// Input that was not scanned, or not fully: always shown, never silent.
struct Notice {
  NoticeKind kind;
  std::string path;
  std::string detail;
};

struct Summary {
  std::uint64_t scanned = 0;  // files or blobs scanned
  std::uint64_t bytes = 0;
  std::uint64_t findings = 0;
  std::uint64_t blocking = 0;
  std::uint64_t allowed = 0;
  std::uint64_t skipped = 0;
  std::uint64_t errors = 0;
};

class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void on_finding(const ReportedFinding& finding) = 0;
  virtual void on_notice(const Notice& notice) = 0;
  // Called once, after the last finding.
  virtual void finish(const Summary& summary) = 0;
};

// Escapes bytes a terminal or a reader would misread: control characters,
// newlines, quotes are shown as C escapes and invalid UTF-8 as \xNN.
std::string printable(std::string_view raw);

// Valid UTF-8 unchanged; each byte of an invalid sequence as the text \xNN.
// For JSON and SARIF, whose writers escape control characters themselves.
std::string utf8_or_escaped(std::string_view raw);

}  // namespace tg
