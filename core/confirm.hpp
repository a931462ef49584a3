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
#include <string>
#include <string_view>
#include <vector>

namespace tg {

struct TriggerHit {
  Trigger trigger;
  std::size_t end;  // offset one past the last byte of the trigger match
};

struct Candidate {
  RuleId rule;
  std::size_t offset;
  std::size_t length;
  std::string credential;  // the credential itself (decoded when found in base64)
  int strength;            // how directly the context proves it; duplicates keep the strongest
  bool decoded = false;
};

// Appends confirmed candidates for `hits` in `data` to `out`, deduplicated by
// span and sorted by offset. `hits` may be in any order and hold duplicates.
void confirm_hits(std::string_view data, std::vector<TriggerHit>& hits, std::vector<Candidate>& out);

}  // namespace tg
