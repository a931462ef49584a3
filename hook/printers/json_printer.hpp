#pragma once

#include "hook/printers/printer.hpp"

#include <nlohmann/json.hpp>

namespace tg {

// One sentence about a finding, for JSON `message` and SARIF results; holds
// only the redacted credential.
std::string finding_message(const ReportedFinding& finding);
nlohmann::json finding_to_json(const ReportedFinding& finding);

class JsonPrinter final : public ReportSink {
 public:
  explicit JsonPrinter(PrinterOptions options);
  void on_finding(const ReportedFinding& finding) override;
  void on_notice(const Notice& notice) override;
  void finish(const Summary& summary) override;

 private:
  PrinterOptions m_options;
  nlohmann::json m_findings = nlohmann::json::array();
  nlohmann::json m_skipped = nlohmann::json::array();
};

}  // namespace tg
