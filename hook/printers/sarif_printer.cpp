// SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rule set in
// tool.driver.rules with security-severity, results with a physical location,
// partialFingerprints, and allowed findings as in-source suppressions.
#include "hook/printers/sarif_printer.hpp"

#include "hook/printers/json_printer.hpp"

#include <fmt/format.h>

namespace tg {
namespace {

std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium:
    case Severity::low: return "warning";
    case Severity::info: return "note";
  }
  return "warning";
}

std::string_view security_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "9.5";
    case Severity::high: return "8.0";
    case Severity::medium: return "5.5";
    case Severity::low: return "3.0";
    case Severity::info: return "1.0";
  }
  return "5.0";
}

// A relative URI reference: unreserved characters and '/' stay, the rest is
// percent-encoded byte by byte.
std::string uri_reference(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

SarifPrinter::SarifPrinter(PrinterOptions options) : m_options(std::move(options)) {}

void SarifPrinter::on_finding(const ReportedFinding& reported) {
  const Finding& finding = reported.finding;
  nlohmann::json result = {
      {"ruleId", rule(finding.rule).name},
      {"ruleIndex", static_cast<int>(finding.rule)},
      {"level", sarif_level(finding.severity)},
      {"message", {{"text", finding_message(reported)}}},
      {"locations",
       {{{"physicalLocation",
          {{"artifactLocation", {{"uri", uri_reference(reported.where.path)}}},
           {"region", {{"startLine", finding.line}, {"startColumn", finding.column}}}}}}}},
      {"partialFingerprints", {{"twilioGuardFingerprint/v1", finding.fingerprint}}},
      {"properties",
       {{"blocking", finding.blocking},
        {"secret", finding.redacted},
        {"commit", reported.where.commit ? nlohmann::json(reported.where.commit->id) : nullptr},
        {"author", reported.where.commit ? nlohmann::json(utf8_or_escaped(reported.where.commit->author)) : nullptr},
        {"date", reported.where.commit ? nlohmann::json(reported.where.commit->date) : nullptr}}},
  };
  if (finding.allowed) {
    result["suppressions"] = {{{"kind", "inSource"}, {"justification", "twilio-guard:allow marker"}}};
  }
  m_results.push_back(std::move(result));
}

void SarifPrinter::on_notice(const Notice& notice) {
  m_notifications.push_back(
      {{"level", "warning"},
       {"message", {{"text", fmt::format("{}: not scanned ({})", utf8_or_escaped(notice.path), utf8_or_escaped(notice.detail))}}}});
}

void SarifPrinter::finish(const Summary&) {
  nlohmann::json rules = nlohmann::json::array();
  for (const Rule& info : all_rules()) {
    const RuleId ids[] = {info.id};
    rules.push_back({
        {"id", info.name},
        {"name", info.title},
        {"shortDescription", {{"text", info.title}}},
        {"fullDescription", {{"text", info.description}}},
        {"help", {{"text", remediation_text(ids, m_options.stage)}}},
        {"defaultConfiguration", {{"level", sarif_level(info.severity)}}},
        {"properties",
         {{"security-severity", security_severity(info.severity)},
          {"tags", {"security", "secret", "twilio"}}}},
    });
  }
  const nlohmann::json log = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "twilio-guard"},
             {"semanticVersion", TWILIO_GUARD_VERSION},
             {"version", fmt::format("{} (rules {})", TWILIO_GUARD_VERSION, TWILIO_GUARD_RULES_VERSION)},
             {"rules", rules}}}}},
         {"columnKind", "unicodeCodePoints"},
         {"invocations",
          {{{"executionSuccessful", true}, {"toolExecutionNotifications", m_notifications}}}},
         {"results", m_results}}}},
  };
  fmt::print(m_options.out, "{}\n", log.dump(2));
  std::fflush(m_options.out);
}

}  // namespace tg
