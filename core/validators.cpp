#include "core/validators.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace tg {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

// Words a generator does not produce but people writing fakes do. Each is at
// least four characters, so a random 32-character secret contains one with a
// probability below 1e-4.
constexpr std::array<std::string_view, 14> k_placeholder_words = {
    "deadbeef", "cafebabe", "feedface", "c0ffee", "badc0de", "your",  "here",
    "example",  "xxxx",     "test",     "fake",   "dummy",   "sample", "changeme",
};

// Words that say a value is not a Twilio credential.
constexpr std::array<std::string_view, 22> k_other_meaning_words = {
    "md5",       "sha",      "sha1",     "sha256", "sha512",   "hash",  "checksum", "shasum",
    "crc",       "crc32",    "etag",     "digest", "uuid",     "guid",  "integrity", "nonce",
    "salt",      "commit",   "revision", "fingerprint", "id", "hmac",
};

// Other vendors whose keys and tokens are 32 hex or alphanumerics too.
constexpr std::array<std::string_view, 32> k_other_vendors = {
    "github",   "gitlab",   "bitbucket", "slack",     "stripe",  "sendgrid", "mailgun", "mailchimp",
    "aws",      "google",   "gcp",       "azure",     "heroku",  "npm",      "pypi",    "docker",
    "facebook", "okta",     "auth0",     "openai",    "datadog", "sentry",   "discord", "telegram",
    "shopify",  "zendesk",  "hubspot",   "paypal",    "plaid",   "vonage",   "nexmo",   "plivo",
};

bool contains_word(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace

bool all_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return is_lower_hex(static_cast<unsigned char>(c)); });
}

double shannon_entropy(std::string_view text) {
  if (text.empty()) return 0.0;
  std::array<unsigned, 256> counts{};
  for (unsigned char c : text) ++counts[c];
  double entropy = 0.0;
  const double size = static_cast<double>(text.size());
  for (unsigned count : counts) {
    if (count == 0) continue;
    const double p = count / size;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

bool looks_like_placeholder(std::string_view text) {
  const std::string lowered = to_lower(text);
  for (std::string_view word : k_placeholder_words) {
    if (lowered.find(word) != std::string::npos) return true;
  }
  // Runs of one character, and ascending or descending sequences, of 6 or
  // more: below 1e-4 for random hex of this length.
  int same_run = 1, up_run = 1, down_run = 1;
  for (std::size_t i = 1; i < lowered.size(); ++i) {
    const int step = lowered[i] - lowered[i - 1];
    const bool letter_digit_seam = (lowered[i - 1] == '9' && lowered[i] == 'a');
    same_run = step == 0 ? same_run + 1 : 1;
    up_run = (step == 1 || letter_digit_seam) ? up_run + 1 : 1;
    down_run = (step == -1 || (lowered[i - 1] == 'a' && lowered[i] == '9')) ? down_run + 1 : 1;
    if (same_run >= 6 || up_run >= 6 || down_run >= 6) return true;
  }
  // A short period repeated over the whole value: "abcd1234abcd1234...".
  for (std::size_t period = 1; period <= 8 && period < lowered.size(); ++period) {
    bool periodic = true;
    for (std::size_t i = period; i < lowered.size() && periodic; ++i) {
      periodic = lowered[i] == lowered[i - period];
    }
    if (periodic) return true;
  }
  return false;
}

bool is_plausible_hex_secret(std::string_view hex32) {
  if (hex32.size() != 32 || !all_lower_hex(hex32)) return false;
  if (looks_like_placeholder(hex32)) return false;
  // Random 32-hex values average 3.7 bits per character; below 3.0 they
  // are made by hand.
  return shannon_entropy(hex32) >= 3.0;
}

bool is_plausible_alnum_secret(std::string_view alnum32) {
  if (alnum32.size() != 32) return false;
  bool upper = false, lowercase = false;
  for (unsigned char c : alnum32) {
    if (!is_alnum(c)) return false;
    upper |= (c >= 'A' && c <= 'Z');
    lowercase |= (c >= 'a' && c <= 'z');
  }
  if (!upper || !lowercase) return false;
  if (looks_like_placeholder(alnum32)) return false;
  // Random 62-symbol values average 4.6 bits per character.
  return shannon_entropy(alnum32) >= 3.8;
}

std::vector<std::string> identifier_words(std::string_view identifier) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < identifier.size(); ++i) {
    const char c = identifier[i];
    if (!is_alnum(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    const bool upper = c >= 'A' && c <= 'Z';
    if (upper && i > 0) {
      const char previous = identifier[i - 1];
      const bool previous_lower = (previous >= 'a' && previous <= 'z') || (previous >= '0' && previous <= '9');
      const bool next_lower = i + 1 < identifier.size() && identifier[i + 1] >= 'a' && identifier[i + 1] <= 'z';
      const bool previous_upper = previous >= 'A' && previous <= 'Z';
      if (previous_lower || (previous_upper && next_lower)) flush();
    }
    current.push_back(lower(c));
  }
  flush();
  return words;
}

bool name_means_something_else(std::string_view identifier) {
  const std::vector<std::string> words = identifier_words(identifier);
  for (std::string_view word : k_other_meaning_words) {
    if (contains_word(words, word)) return true;
  }
  if (contains_word(words, "twilio")) return false;
  for (std::string_view vendor : k_other_vendors) {
    if (contains_word(words, vendor)) return true;
  }
  return false;
}

}  // namespace tg
