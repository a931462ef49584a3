// The character sets the confirm stage and the validators test bytes
// against, as bits of one 256-entry table.
//
// NOTE: the confirm stage walks values byte by byte (up to 49 per name hit),
// and values are random text; written as range comparisons, each byte's test
// was a few branches that mispredict on such text. A table lookup has none:
// is_alnum alone was 30% of the scan of near-miss names (engine_bench), which
// went from 140-154 to 258-264 MB/s with the table.
#pragma once

#include <array>
#include <cstdint>

namespace tg {

namespace char_class {
inline constexpr std::uint8_t alnum = 1 << 0;      // [0-9A-Za-z]
inline constexpr std::uint8_t lower_hex = 1 << 1;  // [0-9a-f]
inline constexpr std::uint8_t identifier = 1 << 2; // [0-9A-Za-z_]
inline constexpr std::uint8_t name = 1 << 3;       // [0-9A-Za-z_.-]: dotted and kebab names
inline constexpr std::uint8_t base64 = 1 << 4;     // [0-9A-Za-z+/], padding excluded
inline constexpr std::uint8_t base64url = 1 << 5;  // [0-9A-Za-z_-]
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
  return table;
}();

// True when `c` belongs to any of `classes` (char_class bits).
inline bool in_class(unsigned char c, std::uint8_t classes) { return (k_char_classes[c] & classes) != 0; }

}  // namespace tg
