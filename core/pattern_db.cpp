#include "core/pattern_db.hpp"

#include "core/embedded_database.hpp"
#include "core/patterns.hpp"

#include <fmt/format.h>

#include <cstring>

namespace tg {
namespace {

constexpr std::size_t k_digest_size = sizeof(unsigned long long);

}  // namespace

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
  auto embedded = deserialize(embedded_database());
  if (!embedded) {
    return fail(ErrorKind::runtime,
                fmt::format("the pattern database built into this binary cannot be used ({}); rebuild twilio-guard",
                            embedded.error().message));
  }
  return embedded;
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
