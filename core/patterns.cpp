#include "core/patterns.hpp"

#include <hs/hs_compile.h>

#include <array>

namespace tg {
namespace {

constexpr unsigned k_caseless = HS_FLAG_CASELESS;
// Expressions are spelled out (not concatenated at run time) so that they are
// constants the database generator and the fallback compiler share.
constexpr std::array<TriggerPattern, k_hyperscan_trigger_count> k_patterns = {{
    {Trigger::account_sid, "AC[0-9a-f]{32}", 0},
    {Trigger::api_key_sid, "SK[0-9a-f]{32}", 0},
    {Trigger::auth_token_name, "auth[_.\\- ]?token|twilio[_.\\- ]?(?:token|secret)", k_caseless},
    {Trigger::api_secret_name, "api[_.\\- ]?(?:key[_.\\- ]?)?secret", k_caseless},
    // NOTE: the JWT trigger is the 11 base64url characters before `.eyJ`,
    // not `eyJ` itself: on_jwt already finds the header's start and requires
    // it to begin `eyJ` and to be at least 11 long, so the same tokens are
    // confirmed, but Hyperscan no longer keeps a repeat alive at every `eyJ`
    // (this pattern alone on a megabyte of `eyJ`: 83 -> 40,000 MB/s, on
    // near-miss JWTs 400 -> 2,300 MB/s; the whole scan of `eyJ`: 77 -> 940).
    {Trigger::jwt, "[A-Za-z0-9_\\-]{11}\\.eyJ", 0},
}};

}  // namespace

std::span<const TriggerPattern> trigger_patterns() { return k_patterns; }

unsigned long long trigger_patterns_digest() {
  // FNV-1a: only needs to notice a change, not resist an adversary.
  unsigned long long hash = 1469598103934665603ull;
  auto mix = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ull;
  };
  for (const TriggerPattern& pattern : k_patterns) {
    for (char c : pattern.expression) mix(static_cast<unsigned char>(c));
    mix(static_cast<unsigned char>(pattern.flags));
    mix(static_cast<unsigned char>(pattern.trigger));
  }
  return hash;
}

}  // namespace tg
