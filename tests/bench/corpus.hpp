// Generated benchmark input: text that looks like what a repository holds
// (code in several languages, configuration, lock files full of hashes,
// prose) and adversarial text aimed at the trigger patterns and the confirm
// stage. Deterministic for a seed, so runs compare like with like. Fake
// credentials only, from tests/support/fake_credentials.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace tg::bench {

// The kinds of file a synthetic repository holds; each has its own extension
// and generator.
enum class FileKind { cpp, python, javascript, go, java, yaml, json, package_lock, go_sum, markdown };
inline constexpr int k_file_kind_count = 10;

std::string_view file_extension(FileKind kind);

class CorpusGenerator {
 public:
  explicit CorpusGenerator(std::uint64_t seed = 20261122) : m_random(seed) {}

  // About `bytes` bytes of one kind of file, whole lines.
  std::string file(FileKind kind, std::size_t bytes);
  // About `bytes` bytes mixing every kind, in file-sized pieces.
  std::string ordinary(std::size_t bytes);
  // A few lines of `kind`, for edits of an existing file.
  std::string lines(FileKind kind, int count);
  // A line assigning a generated fake Account SID and Auth Token.
  std::string planted_credential();

  // Adversarial inputs, each `bytes` long.
  std::string repeated(std::string_view unit, std::size_t bytes);
  std::string hex_digits(std::size_t bytes);
  // `AC` + 31 hex, then a separator: one character short of a trigger.
  std::string near_miss_sids(std::size_t bytes);
  // base64-looking runs starting `QUM`/`U0s` that decode to no SID:SECRET.
  std::string near_miss_base64(std::size_t bytes);
  // `eyJ` fragments and JWTs that are not Twilio Access Tokens.
  std::string near_miss_jwts(std::size_t bytes);
  // Credential names followed by values that fail the checks.
  std::string near_miss_names(std::size_t bytes);
  // Fragments of every shape the rules look at (names, glue, SIDs, tokens,
  // secrets, base64, JWTs, runs of every length) strung together at random:
  // dense findings and near misses, for comparing two builds of the engine.
  std::string credential_soup(std::size_t bytes);

  std::mt19937_64& random() { return m_random; }

 private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(m_random() % n); }
  std::string_view word();
  std::string identifier();
  std::string camel();
  std::string hex(std::size_t length);
  std::string base64ish(std::size_t length);
  std::string sentence();
  void append_line(FileKind kind, std::string& out, int& depth);

  std::mt19937_64 m_random;
};

}  // namespace tg::bench
