// Printers are ReportSinks that render the finding stream as text, JSON or
// SARIF. They never see a credential, only Findings (redacted, fingerprinted).
#pragma once

#include "config/settings.hpp"
#include "core/remediation.hpp"
#include "hook/report.hpp"

#include <cstdio>
#include <memory>
#include <string>

namespace tg {

struct PrinterOptions {
  std::FILE* out = stdout;
  bool color = false;
  RemediationStage stage = RemediationStage::staged;
  std::string extra_remediation;
  // Text only: a closing line even when nothing was found (scan), or silence
  // on success (hooks).
  bool summary_when_clean = false;
  // Text only: start of the closing line on a block, e.g.
  // "twilio-guard: commit blocked", "twilio-guard: push rejected".
  std::string blocked_headline = "twilio-guard";
};

std::unique_ptr<ReportSink> make_printer(OutputFormat format, PrinterOptions options);

// Forwards the stream to several sinks (a printer and an audit log, say).
class TeeSink final : public ReportSink {
 public:
  void add(ReportSink& sink) { m_sinks.push_back(&sink); }
  void on_finding(const ReportedFinding& finding) override {
    for (ReportSink* sink : m_sinks) sink->on_finding(finding);
  }
  void on_notice(const Notice& notice) override {
    for (ReportSink* sink : m_sinks) sink->on_notice(notice);
  }
  void finish(const Summary& summary) override {
    for (ReportSink* sink : m_sinks) sink->finish(summary);
  }

 private:
  std::vector<ReportSink*> m_sinks;
};

}  // namespace tg
