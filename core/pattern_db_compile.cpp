// Compiling the trigger patterns: the build-time generator (core/dbgen) and
// tests use it. Kept out of pattern_db.cpp so that a binary that only loads
// the embedded database links Hyperscan's runtime and not its compiler.
#include "core/pattern_db.hpp"
#include "core/patterns.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace tg {

Result<PatternDatabase> PatternDatabase::compile(const hs_platform_info_t* platform) {
  std::vector<std::string> expressions;
  std::vector<const char*> expression_ptrs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (const TriggerPattern& pattern : trigger_patterns()) {
    expressions.emplace_back(pattern.expression);
    flags.push_back(pattern.flags);
    ids.push_back(static_cast<unsigned>(pattern.trigger));
  }
  for (const std::string& expression : expressions) expression_ptrs.push_back(expression.c_str());

  hs_database_t* raw_database = nullptr;
  hs_compile_error_t* raw_error = nullptr;
  const hs_error_t status = hs_compile_multi(expression_ptrs.data(), flags.data(), ids.data(),
                                             static_cast<unsigned>(expressions.size()),
                                             HS_MODE_BLOCK, platform, &raw_database, &raw_error);
  HsDatabasePtr database(raw_database);
  HsCompileErrorPtr error(raw_error);
  if (status != HS_SUCCESS) {
    return fail(ErrorKind::runtime,
                fmt::format("cannot compile the pattern database (pattern {}): {}",
                            error ? error->expression : -1,
                            error && error->message ? error->message : "unknown error"));
  }
  return PatternDatabase(std::move(database), DatabaseOrigin::compiled);
}

}  // namespace tg
