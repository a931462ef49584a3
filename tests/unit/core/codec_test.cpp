#include "core/codec.hpp"

#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>

namespace tg {
namespace {

TEST(Codec, Base64RoundTripsWithAndWithoutPadding) {
  for (std::string_view text : {"", "a", "ab", "abc", "abcd", "AC0:1", "hello world"}) {
    const std::string encoded = testing::base64(text);
    EXPECT_EQ(decode_base64(encoded).value(), text);
    EXPECT_EQ(decode_base64url(testing::base64url(text)).value(), text);
  }
}

TEST(Codec, InvalidBase64IsRejected) {
  EXPECT_FALSE(decode_base64("a").has_value());
  EXPECT_FALSE(decode_base64("ab$d").has_value());
  EXPECT_FALSE(decode_base64url("ab+d").has_value());
}

TEST(Codec, Sha256OfKnownInput) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace tg
