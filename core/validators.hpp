// Checks that keep false positives near zero. Each is a pure function of the
// candidate text (and, for names, of the identifier the value is bound to).
#pragma once

#include "core/char_class.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tg {

inline bool is_alnum(unsigned char c) { return in_class(c, char_class::alnum); }
inline bool is_lower_hex(unsigned char c) { return in_class(c, char_class::lower_hex); }
inline bool is_identifier_char(unsigned char c) { return in_class(c, char_class::identifier); }

bool all_lower_hex(std::string_view text);

// Shannon entropy in bits per character.
double shannon_entropy(std::string_view text);

// True for values a human typed rather than a generator produced: long runs
// of one character, ascending or descending sequences (`0123456789abcdef`),
// short repeating periods (`deadbeefdeadbeef...`), well-known hex words.
bool looks_like_placeholder(std::string_view text);

// The 32 hex characters after a SID prefix, or an Auth Token.
bool is_plausible_hex_secret(std::string_view hex32);

// An API Key Secret: 32 alphanumerics from a generator (mixed case,
// no placeholder words).
bool is_plausible_alnum_secret(std::string_view alnum32);

// Lowercased words of an identifier: snake_case, kebab-case, dotted and
// camelCase all split (`twilioAuthToken` -> twilio, auth, token).
std::vector<std::string> identifier_words(std::string_view identifier);

// True when the name a value is bound to says it is something other than a
// Twilio credential: a hash, checksum, ETag, digest, UUID, an id, or a key of
// another vendor.
bool name_means_something_else(std::string_view identifier);

}  // namespace tg
