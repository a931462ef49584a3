#include "hook/report.hpp"

#include <gtest/gtest.h>

namespace tg {
namespace {

TEST(Printable, EscapesControlCharactersQuotesAndInvalidUtf8) {
  EXPECT_EQ(printable("plain/path.py"), "plain/path.py");
  EXPECT_EQ(printable("a\nb"), "a\\nb");
  EXPECT_EQ(printable("tab\there"), "tab\\there");
  EXPECT_EQ(printable("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(printable(std::string_view("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(printable("bell\x07"), "bell\\x07");
  EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 kept
  EXPECT_EQ(printable("bad\xff"), "bad\\xff");
  EXPECT_EQ(printable("overlong\xc0\xaf"), "overlong\\xc0\\xaf");
}

TEST(Utf8OrEscaped, KeepsValidUtf8AndEscapesTheRest) {
  EXPECT_EQ(utf8_or_escaped("a\nb\"c"), "a\nb\"c");
  EXPECT_EQ(utf8_or_escaped("x\xfe"), "x\\xfe");
  EXPECT_EQ(utf8_or_escaped("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate
}

}  // namespace
}  // namespace tg
