#include "hook/printers/printer.hpp"

#include "hook/printers/json_printer.hpp"
#include "hook/printers/sarif_printer.hpp"
#include "hook/printers/text_printer.hpp"

namespace tg {

std::unique_ptr<ReportSink> make_printer(OutputFormat format, PrinterOptions options) {
  switch (format) {
    case OutputFormat::json: return std::make_unique<JsonPrinter>(std::move(options));
    case OutputFormat::sarif: return std::make_unique<SarifPrinter>(std::move(options));
    case OutputFormat::text: break;
  }
  return std::make_unique<TextPrinter>(std::move(options));
}

}  // namespace tg
