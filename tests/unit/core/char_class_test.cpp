#include "core/char_class.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

namespace tg {
namespace {

// The character sets as written out in their definitions, byte by byte.
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool reference_alnum(unsigned char c) { return is_digit(c) || is_letter(c); }
bool reference_base64(unsigned char c) { return reference_alnum(c) || c == '+' || c == '/'; }
bool reference_name(unsigned char c) {
  return reference_alnum(c) || c == '_' || c == '.' || c == '-';
}

TEST(CharClass, TableMatchesTheDefinitionOfEverySet) {
  for (unsigned value = 0; value < 256; ++value) {
    const auto c = static_cast<unsigned char>(value);
    SCOPED_TRACE(value);
    EXPECT_EQ(in_class(c, char_class::alnum), reference_alnum(c));
    EXPECT_EQ(in_class(c, char_class::lower_hex), is_digit(c) || (c >= 'a' && c <= 'f'));
    EXPECT_EQ(in_class(c, char_class::identifier), reference_alnum(c) || c == '_');
    EXPECT_EQ(in_class(c, char_class::name), reference_name(c));
    EXPECT_EQ(in_class(c, char_class::base64), reference_base64(c));
    EXPECT_EQ(in_class(c, char_class::base64url), reference_alnum(c) || c == '_' || c == '-');
    EXPECT_EQ(in_class(c, char_class::value_glue),
              std::string_view(" \t\"'`=:>,([\\@").find(static_cast<char>(c)) != std::string_view::npos &&
                  c != 0);
  }
}

template <typename Member>
std::size_t reference_run(std::string_view text, std::size_t most, Member member) {
  std::size_t length = 0;
  while (length < text.size() && length < most && member(static_cast<unsigned char>(text[length])))
    ++length;
  return length;
}

template <typename Member>
std::size_t reference_run_back(std::string_view text, Member member) {
  std::size_t length = 0;
  while (length < text.size() && member(static_cast<unsigned char>(text[text.size() - 1 - length])))
    ++length;
  return length;
}

// Texts that are mostly members of the sets, with bytes next to the ranges'
// bounds (`/` `:` `@` `[` `` ` `` `{`), every punctuation the sets hold, and
// bytes of 0x80 and above, at every position of the 16-byte blocks.
std::string mostly_member_text(std::mt19937_64& random, std::size_t size) {
  static constexpr std::string_view k_members =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/_.-";
  static constexpr std::string_view k_others{"/:@[`{= \n\"\x80\xc3\xff\x7f\0", 15};
  std::string text(size, 'a');
  for (char& c : text) {
    c = random() % 24 == 0 ? k_others[random() % k_others.size()] : k_members[random() % k_members.size()];
    if (random() % 97 == 0) c = static_cast<char>(random() % 256);
  }
  return text;
}

TEST(CharClass, RunLengthsMatchAByteByByteWalk) {
  std::mt19937_64 random(5);
  for (int round = 0; round < 20000; ++round) {
    const std::string text = mostly_member_text(random, random() % 150);
    const std::size_t most = round % 3 == 0 ? std::string_view::npos : random() % 70;
    SCOPED_TRACE(testing::Message() << "round " << round << " most " << most);
    EXPECT_EQ(class_run_length<char_class::alnum>(text, most), reference_run(text, most, reference_alnum));
    EXPECT_EQ(class_run_length<char_class::base64>(text, most), reference_run(text, most, reference_base64));
    EXPECT_EQ(class_run_length<char_class::name>(text, most), reference_run(text, most, reference_name));
    EXPECT_EQ(class_run_length_back<char_class::name>(text), reference_run_back(text, reference_name));
    EXPECT_EQ(class_run_length_back<char_class::alnum>(text), reference_run_back(text, reference_alnum));
    const RunLengths runs = alnum_and_base64_runs(text, most);
    EXPECT_EQ(runs.alnum, reference_run(text, most, reference_alnum));
    EXPECT_EQ(runs.base64, reference_run(text, most, reference_base64));
  }
}

TEST(CharClass, RunsLongerThanManyBlocks) {
  const std::string name = std::string(1000, 'a') + "_token." + std::string(1000, 'Z');
  EXPECT_EQ(class_run_length<char_class::name>(name), name.size());
  EXPECT_EQ(class_run_length_back<char_class::name>(name), name.size());
  EXPECT_EQ(class_run_length<char_class::alnum>(name), 1000u);
  EXPECT_EQ(class_run_length_back<char_class::alnum>(name), 1000u);
  EXPECT_EQ(class_run_length<char_class::alnum>(name, 33), 33u);
  const std::string value = std::string(40, 'Q') + "+/" + std::string(100, 'x') + "=";
  const RunLengths runs = alnum_and_base64_runs(value, 49);
  EXPECT_EQ(runs.alnum, 40u);
  EXPECT_EQ(runs.base64, 49u);
  EXPECT_EQ(alnum_and_base64_runs(value, std::string_view::npos).base64, value.size() - 1);
}

}  // namespace
}  // namespace tg
