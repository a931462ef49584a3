#include "hook/git/pack_format.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <string>
#include <vector>

namespace tg::git::pack_format {
namespace {

std::vector<unsigned char> zlib_stream(const std::string& text, int level) {
  uLongf size = compressBound(static_cast<uLong>(text.size()));
  std::vector<unsigned char> out(size);
  EXPECT_EQ(compress2(out.data(), &size, reinterpret_cast<const Bytef*>(text.data()),
                      static_cast<uLong>(text.size()), level),
            Z_OK);
  out.resize(size);
  return out;
}

TEST(PlainZlibHeader, AcceptsWhatZlibWritesAtEveryLevel) {
  for (int level = 0; level <= 9; ++level) {
    EXPECT_TRUE(plain_zlib_header(zlib_stream("tree 1234\n", level))) << "level " << level;
  }
}

TEST(PlainZlibHeader, RejectsOtherMethodsDictionariesBadChecksAndShortInput) {
  const std::array<unsigned char, 2> preset_dictionary{0x78, 0x20};  // FDICT set, header check valid
  const std::array<unsigned char, 2> bad_check{0x78, 0x9d};
  const std::array<unsigned char, 2> other_method{0x77, 0x85};    // method 7 (header check valid)
  const std::array<unsigned char, 2> window_too_large{0x88, 0x1c};  // 64 KB window (header check valid)
  const std::array<unsigned char, 1> one_byte{0x78};
  EXPECT_FALSE(plain_zlib_header(preset_dictionary));
  EXPECT_FALSE(plain_zlib_header(bad_check));
  EXPECT_FALSE(plain_zlib_header(other_method));
  EXPECT_FALSE(plain_zlib_header(window_too_large));
  EXPECT_FALSE(plain_zlib_header(one_byte));
  EXPECT_FALSE(plain_zlib_header({}));
}

}  // namespace
}  // namespace tg::git::pack_format
