#include "core/pattern_db.hpp"

#include "core/embedded_database.hpp"
#include "core/patterns.hpp"

#include <fmt/format.h>

#include <cstring>
#include <vector>

namespace tg {
namespace {

constexpr std::size_t k_digest_size = sizeof(unsigned long long);

}  // namespace

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

Result<PatternDatabase> PatternDatabase::deserialize(std::span<const unsigned char> bytes) {
  if (bytes.size() <= k_digest_size) {
    return fail(ErrorKind::runtime, "serialized pattern database is empty");
  }
  unsigned long long digest = 0;
  std::memcpy(&digest, bytes.data(), k_digest_size);
  if (digest != trigger_patterns_digest()) {
    return fail(ErrorKind::runtime, "serialized pattern database was built from other patterns");
  }
  hs_database_t* raw_database = nullptr;
  const auto* payload = reinterpret_cast<const char*>(bytes.data() + k_digest_size);
  if (hs_deserialize_database(payload, bytes.size() - k_digest_size, &raw_database) != HS_SUCCESS) {
    return fail(ErrorKind::runtime, "serialized pattern database is corrupt");
  }
  PatternDatabase database(HsDatabasePtr(raw_database), DatabaseOrigin::embedded);
  // A database built for another CPU family deserializes fine but cannot scan.
  if (auto scratch = database.make_scratch(); !scratch) return std::unexpected(scratch.error());
  return database;
}

Result<PatternDatabase> PatternDatabase::load() {
  if (auto embedded = deserialize(embedded_database()); embedded) return embedded;
  return compile();
}

Result<std::string> PatternDatabase::serialize() const {
  char* raw_bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(m_database.get(), &raw_bytes, &length) != HS_SUCCESS) {
    return fail(ErrorKind::runtime, "cannot serialize the pattern database");
  }
  std::unique_ptr<char, decltype(&std::free)> bytes(raw_bytes, &std::free);
  std::string out(k_digest_size, '\0');
  const unsigned long long digest = trigger_patterns_digest();
  std::memcpy(out.data(), &digest, k_digest_size);
  out.append(bytes.get(), length);
  return out;
}

Result<HsScratchPtr> PatternDatabase::make_scratch() const {
  hs_scratch_t* raw_scratch = nullptr;
  const hs_error_t status = hs_alloc_scratch(m_database.get(), &raw_scratch);
  if (status != HS_SUCCESS) {
    return fail(ErrorKind::runtime,
                fmt::format("cannot allocate pattern scratch space (Hyperscan error {})", status));
  }
  return HsScratchPtr(raw_scratch);
}

}  // namespace tg
