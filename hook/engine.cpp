#include "hook/engine.hpp"

#include <cstdlib>

namespace tg {

Result<std::unique_ptr<PatternDatabase>> load_pattern_database() {
  auto database = PatternDatabase::load();
  if (!database) return std::unexpected(database.error());
  return std::make_unique<PatternDatabase>(std::move(*database));
}

Result<std::vector<Scanner>> make_scanners(const PatternDatabase& database,
                                           const Settings& settings, unsigned count) {
  std::vector<Scanner> scanners;
  scanners.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    auto scanner = Scanner::create(database, ScanOptions{settings.allow_markers});
    if (!scanner) return std::unexpected(scanner.error());
    scanners.push_back(std::move(*scanner));
  }
  return scanners;
}

bool want_color(ColorMode mode, bool is_terminal) {
  switch (mode) {
    case ColorMode::always: return true;
    case ColorMode::never: return false;
    case ColorMode::automatic: break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  return is_terminal && (no_color == nullptr || *no_color == '\0');
}

}  // namespace tg
