#include "core/scanner.hpp"

#include "core/base64_pair_trigger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace tg {
namespace {

struct MatchContext {
  std::vector<TriggerHit>* hits;
  bool out_of_memory = false;
};

// Exceptions never cross into Hyperscan: a failed append stops the scan and
// is reported after hs_scan returns.
int on_match(unsigned int id, unsigned long long, unsigned long long to, unsigned int,
             void* context) noexcept {
  auto* match = static_cast<MatchContext*>(context);
  try {
    match->hits->push_back(TriggerHit{static_cast<Trigger>(id), static_cast<std::uint32_t>(to)});
  } catch (...) {
    match->out_of_memory = true;
    return 1;
  }
  return 0;
}

std::uint32_t code_points(std::string_view text) {
  std::uint32_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

Result<Scanner> Scanner::create(const PatternDatabase& database, ScanOptions options) {
  auto scratch = database.make_scratch();
  if (!scratch) return std::unexpected(scratch.error());
  return Scanner(database, std::move(*scratch), std::move(options));
}

bool Scanner::line_has_allow_marker(std::string_view line) const {
  return std::any_of(m_options.allow_markers.begin(), m_options.allow_markers.end(),
                     [line](const std::string& marker) {
                       return !marker.empty() && line.find(marker) != std::string_view::npos;
                     });
}

Result<void> Scanner::scan(std::string_view data, FindingSink& sink) {
  if (data.size() > UINT_MAX) {
    return fail(ErrorKind::runtime, "input larger than 4 GiB cannot be scanned in one piece");
  }
  m_hits.clear();
  m_omitted = 0;
  MatchContext context{&m_hits};
  const hs_error_t status = hs_scan(m_database->get(), data.data(),
                                    static_cast<unsigned int>(data.size()), 0, m_scratch.get(),
                                    on_match, &context);
  if (context.out_of_memory) return fail(ErrorKind::runtime, "out of memory while scanning");
  if (status != HS_SUCCESS) {
    return fail(ErrorKind::runtime, fmt::format("pattern scan failed (Hyperscan error {})", status));
  }
  find_base64_pair_triggers(data, m_hits);
  if (m_hits.empty()) return {};

  m_candidates.clear();
  confirm_hits(data, m_hits, m_candidates);
  if (m_candidates.size() > m_options.max_findings) {
    m_omitted = m_candidates.size() - m_options.max_findings;
    std::stable_partition(m_candidates.begin(), m_candidates.end(),
                          [](const Candidate& c) { return rule(c.rule).blocking; });
    m_candidates.resize(m_options.max_findings);
    std::stable_sort(m_candidates.begin(), m_candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.offset < b.offset; });
  }
  const bool has_api_key_secret =
      std::any_of(m_candidates.begin(), m_candidates.end(),
                  [](const Candidate& c) { return c.rule == RuleId::api_key_secret; });

  // Candidates are sorted by offset: walk lines forward once.
  std::size_t line_start = 0;
  std::size_t searched_to = 0;
  std::uint32_t line_number = 1;
  std::size_t marker_line_start = std::string_view::npos;
  bool line_allowed = false;
  std::size_t column_offset = 0;  // code points are counted from here ...
  std::uint32_t column_base = 1;  // ... where this column stands
  for (const Candidate& candidate : m_candidates) {
    // Each byte is searched for newlines once, however many hits a line has.
    while (searched_to < candidate.offset) {
      const void* newline = std::memchr(data.data() + searched_to, '\n', candidate.offset - searched_to);
      if (newline == nullptr) {
        searched_to = candidate.offset;
        break;
      }
      line_start = static_cast<std::size_t>(static_cast<const char*>(newline) - data.data()) + 1;
      searched_to = line_start;
      ++line_number;
    }
    // NOTE: the line's end and marker are looked up once per line, not per
    // candidate: a minified bundle is one line holding thousands of hits.
    if (line_start != marker_line_start) {
      marker_line_start = line_start;
      std::size_t line_end = data.find('\n', candidate.offset);
      if (line_end == std::string_view::npos) line_end = data.size();
      line_allowed = line_has_allow_marker(data.substr(line_start, line_end - line_start));
    }

    const Rule& rule_info = rule(candidate.rule);
    Finding finding;
    finding.rule = candidate.rule;
    finding.severity = rule_info.severity;
    finding.blocking = rule_info.blocking ||
                       (candidate.rule == RuleId::api_key_sid && has_api_key_secret);
    finding.allowed = line_allowed;
    finding.decoded = candidate.decoded;
    finding.offset = candidate.offset;
    finding.length = candidate.length;
    finding.line = line_number;
    if (column_offset < line_start || column_offset > candidate.offset) {
      column_offset = line_start;
      column_base = 1;
    }
    column_base += code_points(data.substr(column_offset, candidate.offset - column_offset));
    column_offset = candidate.offset;
    finding.column = column_base;
    finding.redacted = redact(candidate.credential);
    finding.fingerprint = fingerprint(candidate.rule, candidate.credential);
    sink.on_finding(finding);
  }
  return {};
}

Result<std::vector<Finding>> Scanner::scan(std::string_view data) {
  VectorSink sink;
  if (auto scanned = scan(data, sink); !scanned) return std::unexpected(scanned.error());
  return std::move(sink.findings);
}

}  // namespace tg
