// Decoding and hashing the confirm stage needs, on top of OpenSSL's libcrypto
// (which libgit2 links for its own hashes; the well-kept base64 and SHA-256).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tg {

// Standard base64 (RFC 4648 section 4), padding optional. nullopt when
// `text` is not valid base64.
std::optional<std::string> decode_base64(std::string_view text);

// URL-safe base64 without padding, as JWT segments use (RFC 7515).
std::optional<std::string> decode_base64url(std::string_view text);

// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace tg
