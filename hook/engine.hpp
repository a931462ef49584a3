// Shared set-up of the engine for every command: the pattern database, one
// Scanner per worker thread, and whether to colour output.
#pragma once

#include "config/settings.hpp"
#include "core/pattern_db.hpp"
#include "core/scanner.hpp"

#include <memory>
#include <vector>

namespace tg {

// Loads the embedded database (compiling only as a fallback). The database
// must outlive every Scanner made from it, hence the unique_ptr.
Result<std::unique_ptr<PatternDatabase>> load_pattern_database();

Result<std::vector<Scanner>> make_scanners(const PatternDatabase& database,
                                           const Settings& settings, unsigned count);

// Colour for a stream: `mode`, NO_COLOR, and whether the stream is a terminal.
bool want_color(ColorMode mode, bool is_terminal);

}  // namespace tg
