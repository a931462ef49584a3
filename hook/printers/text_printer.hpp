// Human output: one line per finding (`path:line:column: rule redacted`),
// then, on a block, the remediation for the credential types found.
// Colour only when the caller says the stream is a terminal.
#pragma once

#include "hook/printers/printer.hpp"

#include <fmt/color.h>

#include <string_view>
#include <vector>

namespace tg {

std::string_view notice_reason(NoticeKind kind);

class TextPrinter final : public ReportSink {
 public:
  explicit TextPrinter(PrinterOptions options);
  void on_finding(const ReportedFinding& finding) override;
  void on_notice(const Notice& notice) override;
  void finish(const Summary& summary) override;

 private:
  std::string styled(std::string_view text, fmt::text_style style) const;

  PrinterOptions m_options;
  std::vector<RuleId> m_blocking_rules;
  std::uint64_t m_findings = 0;
};

}  // namespace tg
