#include "hook/printers/text_printer.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>

namespace tg {

std::string_view notice_reason(NoticeKind kind) {
  switch (kind) {
    case NoticeKind::skipped_binary: return "binary, not scanned";
    case NoticeKind::skipped_too_large: return "over the size limit, not scanned";
    case NoticeKind::skipped_unreadable: return "unreadable, not scanned";
    case NoticeKind::skipped_other: return "not scanned";
    case NoticeKind::findings_omitted: return "scanned; further findings not listed";
  }
  return "not scanned";
}

TextPrinter::TextPrinter(PrinterOptions options) : m_options(std::move(options)) {}

std::string TextPrinter::styled(std::string_view text, fmt::text_style style) const {
  if (!m_options.color) return std::string(text);
  return fmt::format(style, "{}", text);
}

void TextPrinter::on_finding(const ReportedFinding& reported) {
  const Finding& finding = reported.finding;
  const Rule& info = rule(finding.rule);
  std::string status;
  if (finding.allowed) status = "allowed by marker";
  else if (finding.blocking) status = "blocking";
  else status = "not blocking";
  const auto style = blocks(finding) ? fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold
                                     : fmt::fg(fmt::terminal_color::yellow);
  fmt::print(m_options.out, "{}:{}:{}: {} {}{} [{}, {}]\n", printable(reported.where.path),
             finding.line, finding.column, styled(info.name, style), finding.redacted,
             finding.decoded ? " (base64-encoded)" : "", severity_name(finding.severity), status);
  if (reported.where.commit) {
    const CommitInfo& commit = *reported.where.commit;
    fmt::print(m_options.out, "    commit {} by {} on {}{}\n", commit.id.substr(0, 12),
               printable(commit.author), commit.date,
               reported.where.ref.empty() ? "" : fmt::format(" ({})", printable(reported.where.ref)));
  }
  if (blocks(finding)) m_blocking_rules.push_back(finding.rule);
  ++m_findings;
}

void TextPrinter::on_notice(const Notice& notice) {
  fmt::print(stderr, "twilio-guard: {}: {}{}\n", printable(notice.path), notice_reason(notice.kind),
             notice.detail.empty() ? "" : fmt::format(" ({})", notice.detail));
}

void TextPrinter::finish(const Summary& summary) {
  if (summary.blocking > 0) {
    std::sort(m_blocking_rules.begin(), m_blocking_rules.end());
    m_blocking_rules.erase(std::unique(m_blocking_rules.begin(), m_blocking_rules.end()),
                           m_blocking_rules.end());
    std::string names;
    for (RuleId id : m_blocking_rules) names += fmt::format("{}{}", names.empty() ? "" : ", ", rule(id).name);
    fmt::print(m_options.out, "\n{} {} blocking Twilio credential{} ({}).\n\n",
               styled(m_options.blocked_headline + ":",
                      fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold),
               summary.blocking, summary.blocking == 1 ? "" : "s", names);
    fmt::print(m_options.out, "{}", remediation_text(m_blocking_rules, m_options.stage));
    if (!m_options.extra_remediation.empty()) {
      fmt::print(m_options.out, "\n{}\n", m_options.extra_remediation);
    }
  } else if (summary.findings > 0 || m_options.summary_when_clean) {
    fmt::print(m_options.out, "twilio-guard: {} finding{}, none blocking ({} scanned, {} allowed, {} skipped).\n",
               summary.findings, summary.findings == 1 ? "" : "s", summary.scanned,
               summary.allowed, summary.skipped);
  }
  std::fflush(m_options.out);
}

}  // namespace tg
