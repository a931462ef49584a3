// A tree object as stored (hook/git/trees.cpp): the commit walk parses every
// tree a push brings, and index-pack checks a pack's framing, not the trees
// inside it. Parsing fails with a message or yields entries that lie inside
// the input, with non-empty names free of NUL, each taking at least its name
// and 23 bytes; git's tree order between neighbours is antisymmetric; a
// second parse agrees.
#include "hook/git/trees.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = tg::git::parse_tree(input);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().message.starts_with("malformed tree object"));
    return 0;
  }
  std::size_t least = 0;
  const tg::git::TreeEntry* previous = nullptr;
  for (const tg::git::TreeEntry& entry : *parsed) {
    FUZZ_CHECK(!entry.name.empty());
    FUZZ_CHECK(entry.name.find('\0') == std::string_view::npos);
    FUZZ_CHECK(entry.name.data() >= input.data() && entry.name.data() + entry.name.size() <= input.data() + size);
    least += entry.name.size() + 2 + 1 + GIT_OID_RAWSZ;  // a digit, a blank, the name, NUL, the id
    if (previous != nullptr) {
      const int forward = tg::git::tree_order(previous->name, previous->is_tree(), entry.name, entry.is_tree());
      const int backward = tg::git::tree_order(entry.name, entry.is_tree(), previous->name, previous->is_tree());
      FUZZ_CHECK((forward < 0) == (backward > 0) && (forward == 0) == (backward == 0));
    }
    previous = &entry;
  }
  FUZZ_CHECK(least <= size);
  auto again = tg::git::parse_tree(input);
  FUZZ_CHECK(again && again->size() == parsed->size());
  for (std::size_t i = 0; i < parsed->size(); ++i) {
    FUZZ_CHECK((*again)[i].name == (*parsed)[i].name && (*again)[i].mode == (*parsed)[i].mode &&
               git_oid_equal(&(*again)[i].id, &(*parsed)[i].id));
  }
  return 0;
}
