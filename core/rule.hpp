// Rules are data: each carries its public id, its default severity and
// blocking, and the examples that prove it. Examples are templates; tests
// expand the placeholders with generated fake credentials (see
// core/fake_credentials.hpp), so the source tree never holds anything that
// looks like a real credential:
//   {SID}     an Account SID          {TOKEN}   an Auth Token
//   {SKSID}   an API Key SID          {SECRET}  an API Key Secret
//   {JWT}     a Twilio Access Token   {BASIC}   base64 of SID:TOKEN
//   {SKBASIC} base64 of SKSID:SECRET  {B64TOKEN} base64 of TOKEN
// A positive example must yield a finding of the rule whose span is the
// placeholder named by `credential`; a negative example must yield none.
#pragma once

#include <span>
#include <string_view>

namespace tg {

enum class RuleId : unsigned char {
  account_sid,
  auth_token,
  api_key_sid,
  api_key_secret,
  access_token,
};
inline constexpr int k_rule_count = 5;

enum class Severity : unsigned char { info, low, medium, high, critical };

std::string_view severity_name(Severity severity);

struct RuleExample {
  std::string_view text;        // template, see above
  std::string_view credential;  // placeholder whose expansion is the reported span, e.g. "{TOKEN}"
};

struct Rule {
  RuleId id;
  std::string_view name;   // public contract, e.g. "twilio-auth-token"
  std::string_view title;  // human wording, e.g. "Twilio Auth Token"
  Severity severity;
  bool blocking;  // default; api-key-sid becomes blocking when its secret is present
  std::string_view description;
  std::span<const RuleExample> examples;
  std::span<const std::string_view> negative_examples;
};

std::span<const Rule> all_rules();
const Rule& rule(RuleId id);
// Returns nullptr when `name` is not a rule id.
const Rule* find_rule(std::string_view name);

}  // namespace tg
