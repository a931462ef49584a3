#include "core/base64_pair_trigger.hpp"

#include "core/char_class.hpp"

#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tg {
namespace {

constexpr std::size_t k_prefix_length = 4;

// Whether base64 of `AC`/`SK` + lowercase hex begins at `start`:
// the fourth character holds the low six bits of the hex digit, and
// `M`/`s` come before a digit's ([w-z0-5]), `N`/`t` before a-f's ([h-m]).
bool prefix_at(std::string_view data, std::size_t start) {
  const char first = data[start];
  const char second = data[start + 1];
  const char third = data[start + 2];
  const char fourth = data[start + 3];
  const bool account = first == 'Q' && second == 'U' && (third == 'M' || third == 'N');
  const bool api_key = first == 'U' && second == '0' && (third == 's' || third == 't');
  if (!account && !api_key) return false;
  if (third == 'M' || third == 's') return (fourth >= 'w' && fourth <= 'z') || (fourth >= '0' && fourth <= '5');
  return fourth >= 'h' && fourth <= 'm';
}

bool trigger_starts_at(std::string_view data, std::size_t start) {
  if (start + k_base64_pair_trigger_length > data.size() || !prefix_at(data, start)) return false;
  if (start > 0) {
    const auto before = static_cast<unsigned char>(data[start - 1]);
    if (before == '=' || in_class(before, char_class::base64)) return false;
  }
  constexpr std::size_t k_tail = k_base64_pair_trigger_length - k_prefix_length;
  return class_run_length<char_class::base64>(data.substr(start + k_prefix_length), k_tail) == k_tail;
}

// Every prefix holds a `U` followed by `M`, `N` or `0`: `QU[MN]` at
// `u` - 1, `U0` at `u`.
void try_at_u(std::string_view data, std::size_t u, std::vector<TriggerHit>& hits) {
  std::size_t start = u;
  if (data[u + 1] != '0') {
    if (u == 0 || data[u - 1] != 'Q') return;
    start = u - 1;
  }
  if (trigger_starts_at(data, start)) {
    hits.push_back(
        TriggerHit{Trigger::base64_pair, static_cast<std::uint32_t>(start + k_base64_pair_trigger_length)});
  }
}

bool follows_u(char c) { return c == 'M' || c == 'N' || c == '0'; }

}  // namespace

void find_base64_pair_triggers(std::string_view data, std::vector<TriggerHit>& hits) {
  if (data.size() < k_base64_pair_trigger_length) return;
  const char* bytes = data.data();
  std::size_t u = 0;
#if defined(__SSE2__)
  const __m128i letter_u = _mm_set1_epi8('U');
  const __m128i letter_m = _mm_set1_epi8('M');
  const __m128i letter_n = _mm_set1_epi8('N');
  const __m128i digit_0 = _mm_set1_epi8('0');
  const auto load = [bytes](std::size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + at)); };
  // The 16 bytes at `at` that are a `U` followed by `M`, `N` or `0`, given
  // which of them are a `U`.
  const auto scan16 = [&](std::size_t at, __m128i is_u) {
    const __m128i next = load(at + 1);
    const __m128i next_fits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(next, letter_m), _mm_cmpeq_epi8(next, letter_n)), _mm_cmpeq_epi8(next, digit_0));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(is_u, next_fits)));
    for (; mask != 0; mask &= mask - 1) try_at_u(data, at + static_cast<std::size_t>(std::countr_zero(mask)), hits);
  };
  // NOTE: most text has no `U` in 64 bytes; testing 64 at once before
  // looking at the byte after each `U` made this pass over ordinary text
  // faster (see BENCHMARKS.md, "The base64 pair trigger found without
  // Hyperscan").
  for (; u + 65 <= data.size(); u += 64) {
    const __m128i u0 = _mm_cmpeq_epi8(load(u), letter_u);
    const __m128i u1 = _mm_cmpeq_epi8(load(u + 16), letter_u);
    const __m128i u2 = _mm_cmpeq_epi8(load(u + 32), letter_u);
    const __m128i u3 = _mm_cmpeq_epi8(load(u + 48), letter_u);
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(u0, u1), _mm_or_si128(u2, u3))) == 0) continue;
    scan16(u, u0);
    scan16(u + 16, u1);
    scan16(u + 32, u2);
    scan16(u + 48, u3);
  }
  for (; u + 17 <= data.size(); u += 16) scan16(u, _mm_cmpeq_epi8(load(u), letter_u));
#endif
  for (; u + 1 < data.size(); ++u) {
    if (bytes[u] == 'U' && follows_u(bytes[u + 1])) try_at_u(data, u, hits);
  }
}

}  // namespace tg
