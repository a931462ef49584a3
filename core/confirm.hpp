// The confirm stage: turns trigger hits (pattern id + end offset, all that
// Hyperscan reports without start-of-match tracking) into credentials with an
// exact span, validated and classified.
//
// Every step looks at a bounded window around a hit (a line, a few lines
// around an API Key SID) or makes one linear pass over the buffer (hex values
// when the buffer holds an Account SID), so the stage runs in linear time on
// any input: no backtracking regular expressions touch scanned content.
#pragma once

#include "core/patterns.hpp"
#include "core/rule.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tg {

// NOTE: 8 bytes, not 16: a flood of name hits (one every 10 bytes) fills
// this vector faster than the cache holds it, and the confirm stage reads it
// twice. Buffers are at most 4 GiB (Scanner::scan refuses larger ones).
struct TriggerHit {
  Trigger trigger;
  std::uint32_t end;  // offset one past the last byte of the trigger match
};
static_assert(sizeof(TriggerHit) == 8);

struct Candidate {
  RuleId rule;
  std::size_t offset;
  std::size_t length;
  std::string credential;  // the credential itself (decoded when found in base64)
  int strength;            // how directly the context proves it; duplicates keep the strongest
  bool decoded = false;
};

// Appends confirmed candidates for `hits` in `data` (at most 4 GiB) to `out`,
// deduplicated by span and sorted by offset. `hits` may be in any order and
// hold duplicates; they are sorted in place.
void confirm_hits(std::string_view data, std::vector<TriggerHit>& hits, std::vector<Candidate>& out);

}  // namespace tg
