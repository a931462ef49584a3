#include "core/confirm.hpp"

#include "core/base64_pair_trigger.hpp"
#include "core/codec.hpp"
#include "core/validators.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <optional>

namespace tg {
namespace {

constexpr std::size_t k_sid_length = 34;
constexpr std::size_t k_secret_length = 32;
// How far after a name its value may start: `TWILIO_AUTH_TOKEN" value="`.
constexpr std::size_t k_max_glue = 48;
// How many lines around an API Key SID its secret may stand.
constexpr int k_secret_line_window = 3;
constexpr std::size_t k_secret_byte_window = 512;
// Longest name or JWT header looked at; bounds the work per hit so that the
// stage stays linear on adversarial input (a megabyte of `auth_token`).
constexpr std::size_t k_max_name = 128;
constexpr std::size_t k_max_jwt_header = 1024;

// Names that may stand between a key and its value and are not the value:
// `<add key="..." value="...">`, `val authToken: String = "..."`.
constexpr std::array<std::string_view, 8> k_glue_words = {
    "value", "String", "string", "str", "const", "final", "default", "readonly"};

// The letters glue words start with, bit (letter - 'A') for 'A' to 'z'.
constexpr std::uint64_t k_glue_word_initials = [] {
  std::uint64_t initials = 0;
  for (std::string_view word : k_glue_words) initials |= std::uint64_t{1} << (word.front() - 'A');
  return initials;
}();

// Whether `word` (not empty) is a glue word.
// NOTE: the word after a name is rarely a glue word: its first letter
// rejects most words before any comparison (std::find over the list called
// memcmp for every word of the same length: 7% of a scan of `auth_token`
// repeated).
bool is_glue_word(std::string_view word) {
  const unsigned initial = static_cast<unsigned char>(word.front()) - unsigned{'A'};
  if (initial >= 64 || (k_glue_word_initials >> initial & 1) == 0) return false;
  return std::find(k_glue_words.begin(), k_glue_words.end(), word) != k_glue_words.end();
}

bool is_base64_char(unsigned char c) { return in_class(c, char_class::base64); }
bool is_base64url_char(unsigned char c) { return in_class(c, char_class::base64url); }
bool is_name_char(unsigned char c) { return in_class(c, char_class::name); }

bool has_word(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool has_word_pair(const std::vector<std::string>& words, std::string_view first,
                   std::string_view second) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == first && words[i + 1] == second) return true;
  }
  return false;
}

// Whether the words of a name that a trigger hit say Twilio credential as
// whole words: `auth token`, `twilio token`, `twilio secret`, `api (key)
// secret`.
bool names_twilio_credential(const std::vector<std::string>& words, bool api_secret_name) {
  if (api_secret_name) {
    return has_word(words, "secret") &&
           (has_word(words, "api") || has_word(words, "apikey") || has_word(words, "apisecret"));
  }
  return has_word(words, "twilio") || has_word(words, "twiliotoken") || has_word(words, "authtoken") ||
         has_word_pair(words, "auth", "token");
}

bool is_value_glue(unsigned char c) { return in_class(c, char_class::value_glue); }

class Confirmer {
 public:
  Confirmer(std::string_view data, std::vector<Candidate>& out) : m_data(data), m_out(out) {}

  void run(std::vector<TriggerHit>& hits) {
    const auto by_end = [](const TriggerHit& a, const TriggerHit& b) {
      return a.end != b.end ? a.end < b.end : a.trigger < b.trigger;
    };
    // NOTE: Hyperscan reports in order of end offset, so the hits are
    // usually sorted already; checking first saves the sort's n log n on
    // inputs with a hit every few bytes (a megabyte of `auth_token`).
    if (!std::is_sorted(hits.begin(), hits.end(), by_end)) std::sort(hits.begin(), hits.end(), by_end);
    const std::size_t first = m_out.size();
    const TriggerHit* previous = nullptr;
    for (const TriggerHit& hit : hits) {
      // Sorted: a duplicate follows its twin.
      if (previous != nullptr && previous->end == hit.end && previous->trigger == hit.trigger) continue;
      previous = &hit;
      switch (hit.trigger) {
        case Trigger::account_sid: on_sid(hit.end, RuleId::account_sid); break;
        case Trigger::api_key_sid: on_sid(hit.end, RuleId::api_key_sid); break;
        case Trigger::auth_token_name: on_name(hit.end, false); break;
        case Trigger::api_secret_name: on_name(hit.end, true); break;
        case Trigger::jwt: on_jwt(hit.end); break;
        case Trigger::base64_pair: on_base64_pair(hit.end); break;
      }
    }
    if (m_has_account_sid) find_hex_tokens_in_sid_context();
    for (std::size_t sk_offset : m_unpaired_api_key_sids) find_secret_near(sk_offset);
    keep_strongest_per_span(first);
  }

 private:
  unsigned char at(std::size_t i) const { return static_cast<unsigned char>(m_data[i]); }
  // The data from `pos` (no further than its end) on, without substr's range check.
  std::string_view rest(std::size_t pos) const { return {m_data.data() + pos, m_data.size() - pos}; }

  // True when the bytes right before `start` and at `end` do not continue an
  // alphanumeric run.
  bool stands_alone(std::size_t start, std::size_t end) const {
    return (start == 0 || !is_alnum(at(start - 1))) && (end >= m_data.size() || !is_alnum(at(end)));
  }

  std::size_t alnum_run_end(std::size_t pos) const {
    while (pos < m_data.size() && is_alnum(at(pos))) ++pos;
    return pos;
  }

  // alnum_run_end, but looking at no more than `most` + 1 bytes: callers
  // that only compare the length with `most` or less get the same answer
  // without walking a megabyte-long run once per hit.
  std::size_t alnum_run_end_within(std::size_t pos, std::size_t most) const {
    return pos + class_run_length<char_class::alnum>(rest(pos), most + 1);
  }

  void add(RuleId rule, std::size_t offset, std::size_t length, std::string credential,
           int strength, bool decoded = false) {
    m_out.push_back(Candidate{rule, offset, length, std::move(credential), strength, decoded});
  }

  // A value after a name: where it starts, and the lengths of its
  // alphanumeric run (counted up to 49) and base64 run (up to 49).
  struct NamedValue {
    std::size_t start = std::string_view::npos;
    RunLengths runs;
  };

  // Skips value glue (and glue words) after `pos` on the same line; returns the
  // value, or a start of npos when a line end, a template (`${`, `%(`) or the
  // glue limit comes first.
  NamedValue value_after(std::size_t pos) const {
    const std::size_t limit = std::min(m_data.size(), pos + k_max_glue);
    int glue_words = 0;
    while (pos < limit) {
      const unsigned char c = at(pos);
      if (is_value_glue(c)) {
        ++pos;
        continue;
      }
      if (!is_alnum(c)) return {};
      // NOTE: the runs that judge the value are measured here, once, and also
      // give the word's end: measuring the word, then the value's runs from
      // the same byte, was three walks per name hit.
      const RunLengths runs = alnum_and_base64_runs(rest(pos), 49);
      // A glue word is a whole word (its run ends before the data does) of
      // at most 8 characters.
      const std::size_t run_end = pos + runs.alnum;
      if (glue_words < 2 && runs.alnum <= 8 && run_end < m_data.size() &&
          is_glue_word(std::string_view(m_data.data() + pos, runs.alnum))) {
        ++glue_words;
        pos = run_end;
        continue;
      }
      return {pos, runs};
    }
    return {};
  }

  // The identifier that the value starting at `value_start` is bound to: the
  // nearest name before it on the same line, across glue. Empty when the
  // value stands alone (a positional argument, a bare line).
  std::string_view name_before(std::size_t value_start) const {
    std::size_t pos = value_start;
    const std::size_t limit = value_start > k_max_glue ? value_start - k_max_glue : 0;
    while (pos > limit && is_value_glue(at(pos - 1))) --pos;
    const std::size_t name_end = pos;
    while (pos > 0 && name_end - pos < k_max_name && is_name_char(at(pos - 1))) --pos;
    return m_data.substr(pos, name_end - pos);
  }

  // ---- Account SID and API Key SID --------------------------------------
  void on_sid(std::size_t end, RuleId rule) {
    if (end < k_sid_length) return;
    const std::size_t start = end - k_sid_length;
    if (!stands_alone(start, end)) return;
    const std::string_view sid = m_data.substr(start, k_sid_length);
    if (!is_plausible_hex_secret(sid.substr(2))) return;
    add(rule, start, k_sid_length, std::string(sid), 3);
    const bool is_account = rule == RuleId::account_sid;
    if (is_account) m_has_account_sid = true;

    // `SID:SECRET` (curl -u, URL user-info) and `Client("SID", "SECRET")`.
    const std::size_t value = value_start_after_sid(end);
    if (value != std::string_view::npos) {
      const std::size_t value_end = alnum_run_end_within(value, k_secret_length);
      const std::string_view candidate = m_data.substr(value, value_end - value);
      if (is_account && is_plausible_hex_secret(candidate)) {
        add(RuleId::auth_token, value, candidate.size(), std::string(candidate), 3);
        return;
      }
      if (!is_account && is_plausible_alnum_secret(candidate)) {
        add(RuleId::api_key_secret, value, candidate.size(), std::string(candidate), 3);
        m_has_api_key_secret = true;
        return;
      }
    }
    if (!is_account) m_unpaired_api_key_sids.push_back(start);
  }

  // Like value_after, but only across separators of an argument list or
  // a user:password pair, and across at most two line breaks (arguments one
  // per line).
  std::size_t value_start_after_sid(std::size_t pos) const {
    const std::size_t limit = std::min(m_data.size(), pos + k_max_glue);
    int line_breaks = 0;
    bool separated = false;
    for (; pos < limit; ++pos) {
      const unsigned char c = at(pos);
      if (c == ',' || c == ':') {
        if (separated) return std::string_view::npos;
        separated = true;
      } else if (c == '\n') {
        if (++line_breaks > 2) return std::string_view::npos;
      } else if (c != '"' && c != '\'' && c != '`' && c != ' ' && c != '\t' && c != '\r') {
        break;
      }
    }
    if (!separated || pos >= limit || !is_alnum(at(pos))) return std::string_view::npos;
    return pos;
  }

  // ---- Names: TWILIO_AUTH_TOKEN = ..., apiSecret: ... ---------------------
  void on_name(std::size_t end, bool api_secret_name) {
    // The name is the run of name characters around the hit, at most
    // k_max_name on either side of it.
    // NOTE: the maximal run is found once and reused by every later hit
    // inside it (hits come sorted by end): a megabyte of `auth_token` is one
    // run with a hit every 10 bytes; walking k_max_name bytes around each
    // hit was most of its cost (5 -> 185 MB/s).
    if (!(m_name_run_begin < end && end <= m_name_run_end)) {
      m_name_run_begin = end - class_run_length_back<char_class::name>(m_data.substr(0, end));
      m_name_run_end = end + class_run_length<char_class::name>(rest(end));
    }
    const std::size_t name_end = std::min(m_name_run_end, end + k_max_name);
    // NOTE: the value's shape is checked before the name's words: most name
    // hits have no 32-character value, and splitting names into words costs
    // allocations (a megabyte of `auth_token=` ran at 9 MB/s before).
    const NamedValue named_value = value_after(name_end);
    const std::size_t value = named_value.start;
    if (value == std::string_view::npos) return;
    const std::size_t value_end = value + std::min(named_value.runs.alnum, k_secret_length + 1);
    std::size_t b64_end = value + named_value.runs.base64;
    while (b64_end < m_data.size() && b64_end - value < 48 && at(b64_end) == '=') ++b64_end;
    const bool plain_shape = value_end - value == k_secret_length;
    const bool base64_shape = b64_end - value >= 40 && b64_end - value <= 48 &&
                              (b64_end == m_data.size() || !is_base64_char(at(b64_end)));
    if (!plain_shape && !base64_shape) return;
    judge_named_value(end, name_end, value, b64_end, plain_shape, api_secret_name);
  }

  // The rest of on_name, for the few hits whose value has a credential's
  // shape (`value`, up to `b64_end` when base64).
  // NOTE: kept out of line: its strings and vectors made on_name's
  // prologue and frame cost every hit, most of which end at the shape check
  // (`auth_token` repeated: a hit every 10 bytes, none with a value).
  [[gnu::noinline]] void judge_named_value(std::size_t end, std::size_t name_end, std::size_t value,
                                           std::size_t b64_end, bool plain_shape, bool api_secret_name) {
    // NOTE: the value itself is judged before the name too: placeholders
    // (`"xxxx...x"`) and random base64 next to a name would otherwise split
    // the name into words for nothing (near-miss names: 90 -> 140 MB/s).
    // A value that passes no check is never added, whatever the name says.
    std::optional<std::string> decoded;
    std::string_view plain;
    if (plain_shape) {
      const std::string_view candidate = m_data.substr(value, k_secret_length);
      if (!(!api_secret_name && is_plausible_hex_secret(candidate)) &&
          !is_plausible_alnum_secret(candidate))
        return;
    } else {
      // A Kubernetes Secret's data field holds the value base64-encoded.
      decoded = decode_base64(m_data.substr(value, b64_end - value));
      if (!decoded) return;
      plain = trim_trailing_space(*decoded);
      if (!(!api_secret_name && is_plausible_hex_secret(plain)) && !is_plausible_alnum_secret(plain))
        return;
    }

    const std::size_t name_start =
        std::max(m_name_run_begin, end > k_max_name ? end - k_max_name : 0);
    const std::string_view name = m_data.substr(name_start, name_end - name_start);
    if (name_means_something_else(name)) return;
    // The name as a phrase: a trigger may match across a space (`Auth Token:`).
    std::size_t phrase_start = name_start;
    while (phrase_start > 0 && end - phrase_start < 32 &&
           (is_name_char(at(phrase_start - 1)) || at(phrase_start - 1) == ' '))
      --phrase_start;
    const std::vector<std::string> words =
        identifier_words(m_data.substr(phrase_start, name_end - phrase_start));
    // The trigger matched inside a longer word: `oauth_token`, `rapi_secret`.
    if (!names_twilio_credential(words, api_secret_name)) return;
    const bool may_be_secret = api_secret_name || has_word(words, "secret");

    if (plain_shape) {
      const std::string_view candidate = m_data.substr(value, k_secret_length);
      if (!api_secret_name && is_plausible_hex_secret(candidate)) {
        add(RuleId::auth_token, value, candidate.size(), std::string(candidate), 3);
      } else if (may_be_secret && is_plausible_alnum_secret(candidate)) {
        add(RuleId::api_key_secret, value, candidate.size(), std::string(candidate), 3);
        m_has_api_key_secret = true;
      }
      return;
    }
    if (!api_secret_name && is_plausible_hex_secret(plain)) {
      add(RuleId::auth_token, value, b64_end - value, std::string(plain), 3, true);
    } else if (may_be_secret && is_plausible_alnum_secret(plain)) {
      add(RuleId::api_key_secret, value, b64_end - value, std::string(plain), 3, true);
      m_has_api_key_secret = true;
    }
  }

  static std::string_view trim_trailing_space(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
      text.remove_suffix(1);
    return text;
  }

  // ---- Access Token JWTs -------------------------------------------------
  void on_jwt(std::size_t end) {
    // `end` is just past "eyJ" of the payload; the header ends at the dot.
    const std::size_t dot = end - 4;
    std::size_t start = dot;
    while (start > 0 && dot - start < k_max_jwt_header && is_base64url_char(at(start - 1))) --start;
    if (start > 0 && (at(start - 1) == '.' || is_base64url_char(at(start - 1)))) return;
    if (m_data.substr(start, 3) != "eyJ") return;
    const std::optional<std::string> header = decode_base64url(m_data.substr(start, dot - start));
    if (!header || header->find("twilio-fpa") == std::string::npos) return;
    const nlohmann::json parsed = nlohmann::json::parse(*header, nullptr, false);
    if (!parsed.is_object()) return;
    const auto cty = parsed.find("cty");
    if (cty == parsed.end() || !cty->is_string() || cty->get<std::string>() != "twilio-fpa;v=1")
      return;
    std::size_t pos = dot + 1;
    while (pos < m_data.size() && is_base64url_char(at(pos))) ++pos;
    if (pos >= m_data.size() || at(pos) != '.') return;
    const std::size_t signature = ++pos;
    while (pos < m_data.size() && is_base64url_char(at(pos))) ++pos;
    if (pos - signature < 16) return;
    add(RuleId::access_token, start, pos - start, std::string(m_data.substr(start, pos - start)), 3);
  }

  // ---- base64 of SID:SECRET ----------------------------------------------
  void on_base64_pair(std::size_t end) {
    if (end < k_base64_pair_trigger_length) return;
    const std::size_t start = end - k_base64_pair_trigger_length;
    if (start > 0 && (is_base64_char(at(start - 1)) || at(start - 1) == '=')) return;
    std::size_t text_end = end;
    while (text_end < m_data.size() && is_base64_char(at(text_end))) ++text_end;
    while (text_end < m_data.size() && at(text_end) == '=' && text_end - start < 200) ++text_end;
    // SID (34) + ':' + secret (32) is 67 bytes: at least 90 base64 characters.
    if (text_end - start > 200 || text_end - start < 88) return;
    const std::optional<std::string> decoded =
        decode_base64(m_data.substr(start, text_end - start));
    if (!decoded) return;
    const std::string_view plain = trim_trailing_space(*decoded);
    if (plain.size() < k_sid_length + 1 + k_secret_length || plain[k_sid_length] != ':') return;
    const std::string_view sid = plain.substr(0, k_sid_length);
    const std::string_view secret = plain.substr(k_sid_length + 1);
    if (!is_plausible_hex_secret(sid.substr(2))) return;
    if (sid.starts_with("AC") && is_plausible_hex_secret(secret)) {
      add(RuleId::auth_token, start, text_end - start, std::string(secret), 3, true);
    } else if (sid.starts_with("SK") && is_plausible_alnum_secret(secret)) {
      add(RuleId::api_key_secret, start, text_end - start, std::string(secret), 3, true);
      m_has_api_key_secret = true;
    }
  }

  // ---- Context from the whole buffer --------------------------------------
  // With an Account SID in the buffer, any stand-alone 32-hex value is taken
  // for its Auth Token unless its own name says it is something else.
  void find_hex_tokens_in_sid_context() {
    for_each_unnamed_value(0, m_data.size(), is_plausible_hex_secret,
                           [this](std::size_t pos, std::string_view value) {
                             add(RuleId::auth_token, pos, k_secret_length, std::string(value), 1);
                           });
  }

  // Calls `on_value(offset, value)` for every stand-alone run of exactly 32
  // alphanumerics starting in [`pos`, `finish`) that is `plausible` and whose
  // own name does not say it is something else (md5, etag, another vendor's
  // key...). The name is looked at last: it costs allocations.
  template <typename OnValue>
  void for_each_unnamed_value(std::size_t pos, std::size_t finish, bool (*plausible)(std::string_view),
                              OnValue&& on_value) {
    while (pos < finish) {
      if (!is_alnum(at(pos))) {
        ++pos;
        continue;
      }
      const std::size_t run_end = alnum_run_end(pos);
      if (run_end - pos == k_secret_length) {
        const std::string_view value = m_data.substr(pos, k_secret_length);
        if (plausible(value) && !name_means_something_else(name_before(pos))) on_value(pos, value);
      }
      pos = run_end;
    }
  }

  // An API Key Secret within a few lines of its SID, when no pair form or
  // name gave it: TWILIO_API_KEY=SK... / TWILIO_API_KEY_PASSWORD=...
  void find_secret_near(std::size_t sk_offset) {
    const std::size_t lowest = sk_offset > k_secret_byte_window ? sk_offset - k_secret_byte_window : 0;
    const std::size_t highest = std::min(m_data.size(), sk_offset + k_secret_byte_window);
    std::size_t begin = sk_offset;
    for (int lines = 0; begin > lowest; --begin) {
      if (at(begin - 1) == '\n' && ++lines > k_secret_line_window) break;
    }
    std::size_t finish = sk_offset;
    for (int lines = 0; finish < highest; ++finish) {
      if (at(finish) == '\n' && ++lines > k_secret_line_window) break;
    }
    // Windows of neighbouring SIDs overlap: scan each byte once.
    std::size_t pos = std::max(begin, m_secret_scanned_to);
    while (pos > begin && pos < finish && is_alnum(at(pos - 1))) ++pos;
    m_secret_scanned_to = std::max(m_secret_scanned_to, finish);
    for_each_unnamed_value(pos, finish, is_plausible_alnum_secret,
                           [this](std::size_t offset, std::string_view value) {
                             add(RuleId::api_key_secret, offset, k_secret_length, std::string(value), 2);
                             m_has_api_key_secret = true;
                           });
  }

  void keep_strongest_per_span(std::size_t first) {
    auto begin = m_out.begin() + static_cast<std::ptrdiff_t>(first);
    std::stable_sort(begin, m_out.end(), [](const Candidate& a, const Candidate& b) {
      if (a.offset != b.offset) return a.offset < b.offset;
      if (a.length != b.length) return a.length < b.length;
      return a.strength > b.strength;
    });
    m_out.erase(std::unique(begin, m_out.end(),
                            [](const Candidate& a, const Candidate& b) {
                              return a.offset == b.offset && a.length == b.length;
                            }),
                m_out.end());
  }

 public:
  bool has_api_key_secret() const { return m_has_api_key_secret; }

 private:
  std::string_view m_data;
  std::vector<Candidate>& m_out;
  bool m_has_account_sid = false;
  bool m_has_api_key_secret = false;
  std::vector<std::size_t> m_unpaired_api_key_sids;
  std::size_t m_secret_scanned_to = 0;
  // The maximal run of name characters around the last name hit.
  std::size_t m_name_run_begin = 0;
  std::size_t m_name_run_end = 0;
};

}  // namespace

void confirm_hits(std::string_view data, std::vector<TriggerHit>& hits,
                  std::vector<Candidate>& out) {
  Confirmer confirmer(data, out);
  confirmer.run(hits);
}

}  // namespace tg
