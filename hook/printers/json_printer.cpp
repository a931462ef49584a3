// JSON report, the machine contract:
// {"version", "rules_version", "findings": [{rule, severity, blocking, allowed,
//  path, line, column, commit, author, date, ref, secret, fingerprint,
//  decoded, message}], "skipped": [{path, reason}], "summary": {...}}
#include "hook/printers/json_printer.hpp"

#include "hook/printers/text_printer.hpp"

#include <fmt/format.h>

namespace tg {
namespace {

nlohmann::json or_null(const std::optional<CommitInfo>& commit, std::string CommitInfo::*field) {
  if (!commit) return nullptr;
  return utf8_or_escaped((*commit).*field);
}

}  // namespace

std::string finding_message(const ReportedFinding& reported) {
  const Finding& finding = reported.finding;
  return fmt::format("{} {}{}{}", rule(finding.rule).title,
                     finding.decoded ? "(base64-encoded) " : "", finding.redacted,
                     finding.allowed ? " allowed by an inline marker"
                     : blocks(finding) ? " must not be committed"
                                       : " found (not blocking)");
}

nlohmann::json finding_to_json(const ReportedFinding& reported) {
  const Finding& finding = reported.finding;
  return nlohmann::json{
      {"rule", rule(finding.rule).name},
      {"severity", severity_name(finding.severity)},
      {"blocking", finding.blocking},
      {"allowed", finding.allowed},
      {"path", utf8_or_escaped(reported.where.path)},
      {"line", finding.line},
      {"column", finding.column},
      {"commit", or_null(reported.where.commit, &CommitInfo::id)},
      {"author", or_null(reported.where.commit, &CommitInfo::author)},
      {"date", or_null(reported.where.commit, &CommitInfo::date)},
      {"ref", reported.where.ref.empty() ? nlohmann::json(nullptr)
                                         : nlohmann::json(utf8_or_escaped(reported.where.ref))},
      {"secret", finding.redacted},
      {"fingerprint", finding.fingerprint},
      {"decoded", finding.decoded},
      {"message", finding_message(reported)},
  };
}

JsonPrinter::JsonPrinter(PrinterOptions options) : m_options(std::move(options)) {}

void JsonPrinter::on_finding(const ReportedFinding& finding) {
  m_findings.push_back(finding_to_json(finding));
}

void JsonPrinter::on_notice(const Notice& notice) {
  m_skipped.push_back({{"path", utf8_or_escaped(notice.path)},
                       {"reason", notice_reason(notice.kind)},
                       {"detail", utf8_or_escaped(notice.detail)}});
}

void JsonPrinter::finish(const Summary& summary) {
  const nlohmann::json report = {
      {"version", TWILIO_GUARD_VERSION},
      {"rules_version", TWILIO_GUARD_RULES_VERSION},
      {"findings", m_findings},
      {"skipped", m_skipped},
      {"summary",
       {{"scanned", summary.scanned},
        {"bytes", summary.bytes},
        {"findings", summary.findings},
        {"blocking", summary.blocking},
        {"allowed", summary.allowed},
        {"skipped", summary.skipped},
        {"errors", summary.errors}}},
  };
  fmt::print(m_options.out, "{}\n", report.dump(2));
  std::fflush(m_options.out);
}

}  // namespace tg
