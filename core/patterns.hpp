// The Hyperscan side of the two-stage matcher. Each trigger is a cheap,
// literal-anchored pattern whose match *end* tells the confirm stage
// (core/confirm.cpp) where to look; the confirm stage finds the exact span,
// the context and applies validators. Triggers are not rules: one trigger can
// confirm several rules (a SID hit may reveal its token right after it).
//
// NOTE: every trigger ends at a fixed distance from a literal so that a hit is
// reported once, not at every byte of an unbounded repeat; a bare 32-hex
// pattern would fire on every lock file and run no faster than a DFA over all
// bytes, so hex tokens are found from their context instead.
#pragma once

#include <span>
#include <string_view>

namespace tg {

enum class Trigger : unsigned {
  account_sid,      // AC + 32 lowercase hex
  api_key_sid,      // SK + 32 lowercase hex
  auth_token_name,  // a name that says auth token / Twilio token / Twilio secret
  api_secret_name,  // a name that says API (key) secret
  jwt,              // eyJ<header>.eyJ: a JWT's first two segments
  base64_pair,      // base64 text whose decoded form starts with "AC" or "SK";
                    // found by find_base64_pair_triggers, not Hyperscan
};
inline constexpr unsigned k_hyperscan_trigger_count = 5;

struct TriggerPattern {
  Trigger trigger;
  std::string_view expression;
  unsigned flags;  // Hyperscan HS_FLAG_* bits
};

// The triggers that the Hyperscan database holds: all but base64_pair.
std::span<const TriggerPattern> trigger_patterns();

// A digest of every expression and flag: a serialized database built from
// other patterns is rejected at load time.
unsigned long long trigger_patterns_digest();

}  // namespace tg
