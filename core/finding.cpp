#include "core/finding.hpp"

#include "core/codec.hpp"

#include <fmt/format.h>

namespace tg {

std::string redact(std::string_view credential) {
  // Four characters at each end leave 96 of an Auth Token's 128 bits unknown
  // and let a person recognise which of their credentials it is.
  const std::size_t keep = credential.size() >= 24 ? 4 : credential.size() / 6;
  return fmt::format("{}...{}", credential.substr(0, keep),
                     credential.substr(credential.size() - keep));
}

std::string fingerprint(RuleId id, std::string_view credential) {
  return sha256_hex(fmt::format("{}:{}", rule(id).name, credential)).substr(0, 16);
}

}  // namespace tg
