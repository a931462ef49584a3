// base64 and base64url decoding on arbitrary text, and round trips:
//   - decoding never yields more than 3 bytes per 4 characters
//   - any bytes, encoded (padded or not), decode to themselves
//   - the base64url form decodes with decode_base64url, and is rejected by
//     it whenever it holds a character of the standard alphabet
#include "core/codec.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

std::string encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (const auto decoded = tg::decode_base64(input)) {
    FUZZ_CHECK(decoded->size() <= (size + 3) / 4 * 3);
  }
  if (const auto decoded = tg::decode_base64url(input)) {
    FUZZ_CHECK(decoded->size() <= (size + 3) / 4 * 3);
  }

  const std::string padded = encode(input);
  const auto round_trip = tg::decode_base64(padded);
  FUZZ_CHECK(round_trip.has_value() && *round_trip == input);

  std::string unpadded = padded;
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  const auto round_trip_unpadded = tg::decode_base64(unpadded);
  FUZZ_CHECK(round_trip_unpadded.has_value() && *round_trip_unpadded == input);

  std::string url = unpadded;
  for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
  const auto round_trip_url = tg::decode_base64url(url);
  FUZZ_CHECK(round_trip_url.has_value() && *round_trip_url == input);
  if (url != unpadded) FUZZ_CHECK(!tg::decode_base64url(unpadded).has_value());

  FUZZ_CHECK(tg::sha256_hex(input).size() == 64);
  return 0;
}
