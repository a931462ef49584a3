#include "util/read_exactly.hpp"

#include "tests/support/temp_dir.hpp"
#include "util/unique_fd.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <string>

#include <fcntl.h>

namespace tg {
namespace {

class ReadExactlyTest : public testing::TempDirFixture {
 protected:
  ReadExactlyTest() : TempDirFixture("read-exactly") {}

  UniqueFd open_with(const std::string& content) {
    const std::string path = (m_dir / "file").string();
    std::ofstream(path, std::ios::binary) << content;
    return UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  }
};

TEST_F(ReadExactlyTest, ReadsTheRangeAskedFor) {
  const UniqueFd fd = open_with("0123456789");
  ASSERT_TRUE(fd);
  std::string out = "stale content longer than the range";
  EXPECT_TRUE(read_exactly(fd.get(), 3, 4, out));
  EXPECT_EQ(out, "3456");
  EXPECT_TRUE(read_exactly(fd.get(), 0, 10, out));
  EXPECT_EQ(out, "0123456789");
  EXPECT_TRUE(read_exactly(fd.get(), 10, 0, out));
  EXPECT_EQ(out, "");
}

TEST_F(ReadExactlyTest, KeepsWhatItReadWhenTheFileEndsFirst) {
  const UniqueFd fd = open_with("0123456789");
  ASSERT_TRUE(fd);
  std::string out;
  EXPECT_FALSE(read_exactly(fd.get(), 6, 8, out));
  EXPECT_EQ(out, "6789");
  EXPECT_FALSE(read_exactly(fd.get(), 20, 1, out));
  EXPECT_EQ(out, "");

  char raw[8] = {};
  EXPECT_EQ(pread_full(fd.get(), raw, sizeof raw, 6), 4);
  EXPECT_EQ(std::string(raw, 4), "6789");
}

TEST_F(ReadExactlyTest, ReportsAnErrorWithErrno) {
  char raw[4] = {};
  errno = 0;
  EXPECT_EQ(pread_full(-1, raw, sizeof raw, 0), -1);
  EXPECT_EQ(errno, EBADF);

  std::string out = "stale";
  EXPECT_FALSE(read_exactly(-1, 0, 4, out));
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace tg
