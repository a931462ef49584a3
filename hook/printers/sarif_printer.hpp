#pragma once

#include "hook/printers/printer.hpp"

#include <nlohmann/json.hpp>

namespace tg {

class SarifPrinter final : public ReportSink {
 public:
  explicit SarifPrinter(PrinterOptions options);
  void on_finding(const ReportedFinding& finding) override;
  void on_notice(const Notice& notice) override;
  void finish(const Summary& summary) override;

 private:
  PrinterOptions m_options;
  nlohmann::json m_results = nlohmann::json::array();
  nlohmann::json m_notifications = nlohmann::json::array();
};

}  // namespace tg
