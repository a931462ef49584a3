#include "hook/git/pack_format.hpp"

#include <algorithm>

namespace tg::git::pack_format {

git_object_t object_type(int pack_type) {
  switch (pack_type) {
    case commit: return GIT_OBJECT_COMMIT;
    case tree: return GIT_OBJECT_TREE;
    case blob: return GIT_OBJECT_BLOB;
    case tag: return GIT_OBJECT_TAG;
    default: return GIT_OBJECT_INVALID;
  }
}

std::optional<std::uint64_t> delta_size(std::string_view delta, std::size_t& at) {
  std::uint64_t value = 0;
  for (unsigned shift = 0; at < delta.size(); shift += 7) {
    if (shift > 63) return std::nullopt;
    const auto byte = static_cast<unsigned char>(delta[at++]);
    value |= std::uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) return value;
  }
  return std::nullopt;
}

bool apply_delta(std::string_view base, std::string_view delta, std::string& out) {
  std::size_t at = 0;
  const auto base_size = delta_size(delta, at);
  const auto result_size = delta_size(delta, at);
  if (!base_size || !result_size || *base_size != base.size()) return false;
  const std::size_t start = out.size();
  // The header's size is only believed as far as base and instructions could
  // make it; a larger claim is checked against what the instructions build.
  out.reserve(start + std::min<std::uint64_t>(*result_size, 2 * base.size() + delta.size()));
  auto built = [&] { return out.size() - start; };
  while (at < delta.size()) {
    const auto op = static_cast<unsigned char>(delta[at++]);
    if (op & 0x80) {
      std::uint64_t offset = 0, size = 0;
      for (unsigned bit = 0; bit < 4; ++bit) {
        if (!(op & (1u << bit))) continue;
        if (at >= delta.size()) return false;
        offset |= std::uint64_t{static_cast<unsigned char>(delta[at++])} << (8 * bit);
      }
      for (unsigned bit = 0; bit < 3; ++bit) {
        if (!(op & (0x10u << bit))) continue;
        if (at >= delta.size()) return false;
        size |= std::uint64_t{static_cast<unsigned char>(delta[at++])} << (8 * bit);
      }
      if (size == 0) size = 0x10000;
      if (offset > base.size() || size > base.size() - offset || size > *result_size - built()) return false;
      out.append(base.substr(offset, size));
    } else if (op != 0) {
      if (op > delta.size() - at || op > *result_size - built()) return false;
      out.append(delta.substr(at, op));
      at += op;
    } else {
      return false;  // reserved
    }
  }
  return built() == *result_size;
}

}  // namespace tg::git::pack_format
