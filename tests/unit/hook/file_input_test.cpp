// read_file on paths that are not plain files, and on the size limit.
#include "hook/file_input.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace tg {
namespace {

class ReadFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "twilio-guard-read-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

TEST_F(ReadFile, AFifoIsRefusedWithoutBlocking) {
  // A path that was a file when listed and is a FIFO when read (replaced in
  // between) used to block in open() until a writer came.
  const fs::path fifo = m_dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reading = std::async(std::launch::async, [&] {
    std::string out;
    return read_file(fifo.string(), 1024, out);
  });
  if (reading.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    // Release the blocked reader so that the test fails instead of hanging.
    const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    reading.wait();
    if (writer >= 0) ::close(writer);
    FAIL() << "read_file blocked on a FIFO";
  }
  const Result<void> result = reading.get();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::runtime);
  EXPECT_EQ(result.error().message, "not a regular file");
}

TEST_F(ReadFile, AFileRemovedAfterListingIsAnError) {
  std::string out;
  const Result<void> result = read_file((m_dir / "gone.py").string(), 1024, out);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "No such file or directory");
}

TEST_F(ReadFile, ReadsAtMostOneBytePastTheLimit) {
  const fs::path path = m_dir / "big.txt";
  std::ofstream(path) << std::string(5000, 'x');
  std::string out;
  ASSERT_TRUE(read_file(path.string(), 100, out).has_value());
  EXPECT_EQ(out.size(), 101u);
  ASSERT_TRUE(read_file(path.string(), 5000, out).has_value());
  EXPECT_EQ(out.size(), 5000u);
}

}  // namespace
}  // namespace tg
