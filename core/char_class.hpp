// The character sets the confirm stage and the validators test bytes
// against, as bits of one 256-entry table, and the lengths of runs of them
// measured 16 bytes at a time.
//
// NOTE: the confirm stage walks values byte by byte (up to 49 per name hit),
// and values are random text; written as range comparisons, each byte's test
// was a few branches that mispredict on such text. A table lookup has none:
// is_alnum alone was 30% of the scan of near-miss names (engine_bench), which
// went from 140-154 to 258-264 MB/s with the table.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tg {

namespace char_class {
inline constexpr std::uint8_t alnum = 1 << 0;      // [0-9A-Za-z]
inline constexpr std::uint8_t lower_hex = 1 << 1;  // [0-9a-f]
inline constexpr std::uint8_t identifier = 1 << 2; // [0-9A-Za-z_]
inline constexpr std::uint8_t name = 1 << 3;       // [0-9A-Za-z_.-]: dotted and kebab names
inline constexpr std::uint8_t base64 = 1 << 4;     // [0-9A-Za-z+/], padding excluded
inline constexpr std::uint8_t base64url = 1 << 5;  // [0-9A-Za-z_-]
// What separates a key from its value: quotes, assignment and key-value
// operators, argument separators, escapes of JSON-in-JSON.
inline constexpr std::uint8_t value_glue = 1 << 6;  // [ \t"'`=:>,(\[\\@]
}  // namespace char_class

inline constexpr std::array<std::uint8_t, 256> k_char_classes = [] {
  std::array<std::uint8_t, 256> table{};
  const auto add = [&table](unsigned char c, std::uint8_t classes) { table[c] |= classes; };
  using namespace char_class;
  constexpr std::uint8_t every_alnum_set = alnum | identifier | name | base64 | base64url;
  for (unsigned char c = '0'; c <= '9'; ++c) add(c, every_alnum_set | lower_hex);
  for (unsigned char c = 'a'; c <= 'z'; ++c) add(c, every_alnum_set | (c <= 'f' ? lower_hex : 0));
  for (unsigned char c = 'A'; c <= 'Z'; ++c) add(c, every_alnum_set);
  add('_', identifier | name | base64url);
  add('.', name);
  add('-', name | base64url);
  add('+', base64);
  add('/', base64);
  for (unsigned char c : std::string_view(" \t\"'`=:>,([\\@")) add(c, value_glue);
  return table;
}();

// True when `c` belongs to any of `classes` (char_class bits).
inline bool in_class(unsigned char c, std::uint8_t classes) { return (k_char_classes[c] & classes) != 0; }

// How many bytes at the start of `text` belong to `Class` (char_class::alnum,
// base64 or name), counting no further than `most`.
//
// NOTE: runs in scanned text end at unpredictable bytes (random values,
// names of any length). Walked a byte at a time, each run cost a
// mispredicted loop exit (3 per name hit on `auth_token` repeated, callgrind)
// and a megabyte-long name run an iteration per byte; here 16 bytes are
// classified at once (SSE2, which every x86-64 CPU has; byte by byte
// elsewhere) and the run's end is counted from the mask.
template <std::uint8_t Class>
std::size_t class_run_length(std::string_view text, std::size_t most = std::string_view::npos);

// How many bytes at the end of `text` belong to `Class`.
template <std::uint8_t Class>
std::size_t class_run_length_back(std::string_view text);

// The lengths of the alphanumeric run and of the base64 run at the start of
// `text` (the first never longer than the second), counting no further than
// `most`: a value's shape, from one pass over its bytes.
struct RunLengths {
  std::size_t alnum = 0;
  std::size_t base64 = 0;
};
RunLengths alnum_and_base64_runs(std::string_view text, std::size_t most);

namespace detail {

// Bit i set when byte i of the 16 at `bytes` belongs to `Class`.
template <std::uint8_t Class>
inline unsigned class_mask16(const char* bytes) {
  static_assert(Class == char_class::alnum || Class == char_class::base64 || Class == char_class::name);
#if defined(__SSE2__)
  // Bytes compare as signed: those of 0x80 and above are negative and fall
  // outside every range here. Setting the case bit folds A-Z onto a-z and
  // moves no other byte into a-z.
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  const __m128i digit =
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
  __m128i in = _mm_or_si128(digit, letter);
  const auto add = [&in, v](char c) { in = _mm_or_si128(in, _mm_cmpeq_epi8(v, _mm_set1_epi8(c))); };
  if constexpr (Class == char_class::base64) {
    add('+');
    add('/');
  } else if constexpr (Class == char_class::name) {
    add('_');
    add('.');
    add('-');
  }
  return static_cast<unsigned>(_mm_movemask_epi8(in));
#else
  unsigned mask = 0;
  for (int i = 0; i < 16; ++i) mask |= unsigned{in_class(static_cast<unsigned char>(bytes[i]), Class)} << i;
  return mask;
#endif
}

}  // namespace detail

template <std::uint8_t Class>
inline std::size_t class_run_length(std::string_view text, std::size_t most) {
  const std::size_t limit = std::min(text.size(), most);
  std::size_t pos = 0;
  while (pos < limit && pos + 16 <= text.size()) {
    const unsigned mask = detail::class_mask16<Class>(text.data() + pos);
    if (mask != 0xFFFF) return std::min<std::size_t>(pos + std::countr_one(mask), limit);
    pos += 16;
  }
  if (pos >= limit) return limit;
  while (pos < limit && in_class(static_cast<unsigned char>(text[pos]), Class)) ++pos;
  return pos;
}

template <std::uint8_t Class>
inline std::size_t class_run_length_back(std::string_view text) {
  std::size_t begin = text.size();
  while (begin >= 16) {
    const auto mask = static_cast<std::uint16_t>(detail::class_mask16<Class>(text.data() + begin - 16));
    if (mask != 0xFFFF) return text.size() - begin + static_cast<std::size_t>(std::countl_one(mask));
    begin -= 16;
  }
  while (begin > 0 && in_class(static_cast<unsigned char>(text[begin - 1]), Class)) --begin;
  return text.size() - begin;
}

inline RunLengths alnum_and_base64_runs(std::string_view text, std::size_t most) {
  const std::size_t limit = std::min(text.size(), most);
  std::size_t alnum = std::string_view::npos;
  std::size_t pos = 0;
  for (; pos < limit && pos + 16 <= text.size(); pos += 16) {
    const unsigned alnum_mask = detail::class_mask16<char_class::alnum>(text.data() + pos);
    if (alnum == std::string_view::npos && alnum_mask != 0xFFFF) alnum = pos + std::countr_one(alnum_mask);
    const unsigned base64_mask = detail::class_mask16<char_class::base64>(text.data() + pos);
    if (base64_mask != 0xFFFF) {
      return {std::min(alnum, limit), std::min<std::size_t>(pos + std::countr_one(base64_mask), limit)};
    }
  }
  std::size_t base64 = std::min(pos, limit);
  while (base64 < limit && in_class(static_cast<unsigned char>(text[base64]), char_class::base64)) ++base64;
  if (alnum == std::string_view::npos) {
    alnum = std::min(pos, limit);
    while (alnum < limit && in_class(static_cast<unsigned char>(text[alnum]), char_class::alnum)) ++alnum;
  }
  return {std::min(alnum, limit), base64};
}

}  // namespace tg
