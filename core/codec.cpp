#include "core/codec.hpp"

#include "core/char_class.hpp"

// NOTE: SHA-256 through the low-level SHA256_* functions, deprecated in
// OpenSSL 3 but kept, rather than EVP_Digest: EVP_Digest fetches the
// algorithm from a provider, and linking it pulls OpenSSL's whole provider
// machinery into the static binary, 350 KB of pointer tables that every start
// relocates (1.2 ms of a 4.8 ms `twilio-guard --version`).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>

namespace tg {

std::optional<std::string> decode_base64(std::string_view text) {
  // EVP_DecodeBlock accepts some malformed input (a lone character, padding
  // in the middle): check the shape first.
  std::size_t padding = 0;
  while (padding < text.size() && padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  const std::string_view body = text.substr(0, text.size() - padding);
  if (body.size() % 4 == 1) return std::nullopt;
  if (class_run_length<char_class::base64>(body) != body.size()) return std::nullopt;
  // NOTE: copied only when padding must be added: the confirm stage decodes
  // every base64-shaped value after a name, most of them 44 characters
  // already padded, and the copy was a heap allocation each.
  std::string padded_copy;
  std::string_view padded = text;
  if (text.size() % 4 != 0) {
    padded_copy = text;
    while (padded_copy.size() % 4 != 0) padded_copy.push_back('=');
    padded = padded_copy;
  }
  if (padded.empty()) return std::string();
  std::string out(padded.size() / 4 * 3, '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(padded.data()),
                                     static_cast<int>(padded.size()));
  if (length < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  std::size_t size = static_cast<std::size_t>(length);
  for (std::size_t i = padded.size(); i > 0 && padded[i - 1] == '=' && size > 0; --i) --size;
  out.resize(size);
  return out;
}

std::optional<std::string> decode_base64url(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') return std::nullopt;
  }
  return decode_base64(standard);
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, data.data(), data.size());
  SHA256_Final(digest.data(), &context);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (const unsigned char byte : digest) {
    out.push_back(k_hex[byte >> 4]);
    out.push_back(k_hex[byte & 0xf]);
  }
  return out;
}

}  // namespace tg
