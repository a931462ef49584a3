#include "core/validators.hpp"

#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>

namespace tg {
namespace {

TEST(Validators, PlaceholdersAreRecognised) {
  EXPECT_TRUE(looks_like_placeholder("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  EXPECT_TRUE(looks_like_placeholder("0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(looks_like_placeholder("fedcba9876543210fedcba9876543210"));
  EXPECT_TRUE(looks_like_placeholder("deadbeef00112233445566778899aabb"));
  EXPECT_TRUE(looks_like_placeholder("1a2b1a2b1a2b1a2b1a2b1a2b1a2b1a2b"));
  EXPECT_TRUE(looks_like_placeholder("YourTwilioApiSecretGoesHere12345"));
}

TEST(Validators, GeneratedValuesAreAlmostNeverPlaceholders) {
  testing::FakeGenerator generator(7);
  int rejected_hex = 0, rejected_alnum = 0;
  for (int i = 0; i < 10000; ++i) {
    rejected_hex += !is_plausible_hex_secret(generator.hex(32));
    rejected_alnum += !is_plausible_alnum_secret(generator.alnum(32));
  }
  // Random 32-hex values fail the checks with a probability well below 1%.
  EXPECT_LT(rejected_hex, 50);
  EXPECT_LT(rejected_alnum, 100);
}

TEST(Validators, HexSecretsMustBeLowercaseHexOfLength32) {
  testing::FakeGenerator generator(8);
  const std::string value = generator.plausible_hex32();
  EXPECT_TRUE(is_plausible_hex_secret(value));
  EXPECT_FALSE(is_plausible_hex_secret(value.substr(1)));
  std::string upper = value;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_FALSE(is_plausible_hex_secret(upper));
}

TEST(Validators, AlnumSecretsNeedMixedCase) {
  EXPECT_FALSE(is_plausible_alnum_secret("abcdefghijklmnopqrstuvwxyz012345"));
  EXPECT_FALSE(is_plausible_alnum_secret("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));
}

TEST(Validators, IdentifierWordsSplitEveryConvention) {
  EXPECT_EQ(identifier_words("twilioAuthToken"), (std::vector<std::string>{"twilio", "auth", "token"}));
  EXPECT_EQ(identifier_words("TWILIO_AUTH_TOKEN"), (std::vector<std::string>{"twilio", "auth", "token"}));
  EXPECT_EQ(identifier_words("twilio.auth-token"), (std::vector<std::string>{"twilio", "auth", "token"}));
  EXPECT_EQ(identifier_words("HTTPServerSha256"), (std::vector<std::string>{"http", "server", "sha256"}));
}

TEST(Validators, NamesThatMeanSomethingElse) {
  for (const char* name : {"md5", "fileHash", "etag", "request_id", "commitSha", "STRIPE_AUTH_TOKEN",
                           "github_token", "content-digest", "uuid"}) {
    EXPECT_TRUE(name_means_something_else(name)) << name;
  }
  for (const char* name : {"TWILIO_AUTH_TOKEN", "password", "authToken", "twilio_github_token", ""}) {
    EXPECT_FALSE(name_means_something_else(name)) << name;
  }
}

TEST(Validators, EntropyOfUniformAndConstantText) {
  EXPECT_DOUBLE_EQ(shannon_entropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abcd"), 2.0);
}

}  // namespace
}  // namespace tg
