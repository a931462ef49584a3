// The one trigger that Hyperscan does not find: the start of base64 text
// that may decode to `AC`/`SK` + 32 lowercase hex, a colon and a secret.
//
// NOTE: as a Hyperscan pattern, `(?:^|[^A-Za-z0-9+/=])(?:QUM[w-z0-5]|QUN[h-m]|
// U0s[w-z0-5]|U0t[h-m])[A-Za-z0-9+/]{39}`, its literal part (`QUM`, or the
// four-byte set) occurs every few bytes of some texts, and Hyperscan spends
// some 30 ns on each occurrence checking the byte before it: a megabyte of
// `QUMw` scanned at 108 MB/s and one of `QUM` at 195 (engine_bench, whole
// scan). Found here, 16 bytes at a time, each occurrence costs a few
// instructions; see BENCHMARKS.md for the numbers.
#pragma once

#include "core/confirm.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace tg {

// From the trigger's start to the end it reports: a four-byte prefix and 39
// more base64 characters, so that short base64 words are not confirmed.
inline constexpr std::size_t k_base64_pair_trigger_length = 43;

// Appends, in increasing order, a Trigger::base64_pair hit ending
// k_base64_pair_trigger_length bytes after every offset of `data` where
// - `QUM`/`U0s` and one of [w-z0-5], or `QUN`/`U0t` and one of [h-m], begin
//   (the base64 of `AC`/`SK` and a lowercase hex digit), and
// - the byte before is not base64 nor `=` (or there is none), and
// - the 39 bytes after the prefix are base64 ([A-Za-z0-9+/]).
// Occurrences cannot overlap, so this is linear in `data` whatever it holds.
void find_base64_pair_triggers(std::string_view data, std::vector<TriggerHit>& hits);

}  // namespace tg
