// Generated fake Twilio credentials for tests. Deterministic for a seed,
// always passing the engine's plausibility checks, never real.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace tg::testing {

struct FakeCredentials {
  std::string sid;         // AC + 32 hex
  std::string token;       // 32 hex
  std::string sk_sid;      // SK + 32 hex
  std::string secret;      // 32 alphanumerics
  std::string jwt;         // Twilio Access Token
  std::string other_jwt;   // a JWT that is not a Twilio one
  std::string basic;       // base64(sid:token)
  std::string sk_basic;    // base64(sk_sid:secret)
  std::string b64_token;   // base64(token)
  std::string hex32;       // 32 hex, no meaning
  std::string hex40;       // a git object id
  std::string hex_upper;   // 32 uppercase hex
};

class FakeGenerator {
 public:
  explicit FakeGenerator(std::uint64_t seed = 20261122) : m_random(seed) {}
  std::string hex(std::size_t length);
  std::string alnum(std::size_t length);
  std::string plausible_hex32();
  std::string plausible_secret();
  FakeCredentials credentials();

 private:
  std::mt19937_64 m_random;
};

std::string base64(std::string_view data);
std::string base64url(std::string_view data);

// Replaces {SID}, {TOKEN}, ... (see core/rule.hpp) in `text` with `fakes`.
std::string expand(std::string_view text, const FakeCredentials& fakes);
// The value a placeholder such as "{TOKEN}" expands to.
std::string placeholder_value(std::string_view placeholder, const FakeCredentials& fakes);

}  // namespace tg::testing
