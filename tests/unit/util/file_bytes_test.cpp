#include "util/file_bytes.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <utility>

#include <sys/resource.h>

namespace tg {
namespace {

class FileBytesTest : public testing::TempDirFixture {
 protected:
  FileBytesTest() : TempDirFixture("file-bytes") {}

  std::string write(const std::string& name, const std::string& content) {
    const std::string path = (m_dir / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
};

// Page faults of the calling thread so far.
long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

// Reads one byte of every page, as the pack listing does with its headers.
// Not instrumented: AddressSanitizer's checks would fault in its own shadow
// pages.
__attribute__((no_sanitize("address"))) long faults_reading_every_page(const FileBytes& file) {
  const long before = minor_faults();
  const auto bytes = file.bytes();
  for (std::size_t at = 0; at < bytes.size(); at += 4096) {
    const volatile unsigned char* page = bytes.data() + at;  // volatile: a read the compiler keeps
    (void)*page;
  }
  return minor_faults() - before;
}

// Past 2 MB, so that a file read into huge pages spans more than one.
TEST_F(FileBytesTest, HoldsTheWholeFileWhetherReadOrMapped) {
  std::string content((std::size_t{2} << 20) + 300000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7 + i / 4096);
  const std::string path = write("data", content);
  for (const std::size_t limit : {std::size_t{0}, content.size(), content.size() - 1}) {
    auto file = FileBytes::open(path, limit);
    ASSERT_TRUE(file) << file.error().message;
    const auto bytes = file->bytes();
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), content) << limit;
    // Moved, the bytes stay where they are and belong to the new owner.
    FileBytes moved = std::move(*file);
    EXPECT_EQ(moved.bytes().data(), bytes.data());
    EXPECT_TRUE(file->bytes().empty());
  }
}

TEST_F(FileBytesTest, AFileWithinTheLimitIsTouchedWithoutPageFaults) {
  const std::string path = write("data", std::string(std::size_t{1} << 20, 'x'));
  auto whole = FileBytes::open(path, std::size_t{1} << 20);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(faults_reading_every_page(*whole), 0);
  // Over the limit: mapped as usual, each touched range faults in.
  auto faulting = FileBytes::open(path, (std::size_t{1} << 20) - 1);
  ASSERT_TRUE(faulting) << faulting.error().message;
  EXPECT_GT(faults_reading_every_page(*faulting), 0);
}

TEST_F(FileBytesTest, ReleasedPagesLeaveTheProcessAndReadTheSameAgain) {
  std::string content(std::size_t{1} << 20, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 13 + i / 4096);
  const std::string path = write("data", content);
  auto mapped = FileBytes::open(path, 0);
  ASSERT_TRUE(mapped) << mapped.error().message;
  EXPECT_GT(faults_reading_every_page(*mapped), 0);
  EXPECT_EQ(faults_reading_every_page(*mapped), 0);  // in place now
  mapped->release_pages();
  EXPECT_GT(faults_reading_every_page(*mapped), 0);  // gone, and read again
  const auto bytes = mapped->bytes();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), content);
}

TEST_F(FileBytesTest, ResidentFileBytesCountAMappingsTouchedPages) {
  const std::size_t size = std::size_t{8} << 20;
  auto mapped = FileBytes::open(write("data", std::string(size, 'r')), 0);
  ASSERT_TRUE(mapped) << mapped.error().message;
  const std::optional<std::uint64_t> before = FileBytes::resident_file_bytes();
  ASSERT_TRUE(before.has_value());
  faults_reading_every_page(*mapped);
  const std::optional<std::uint64_t> touched = FileBytes::resident_file_bytes();
  ASSERT_TRUE(touched.has_value());
  EXPECT_GE(*touched, *before + size - (std::size_t{1} << 20));
  mapped->release_pages();
  EXPECT_LE(FileBytes::resident_file_bytes().value_or(UINT64_MAX), *before + (std::size_t{1} << 20));
}

TEST_F(FileBytesTest, AnEmptyFileHoldsNothingAndAMissingOneNamesItsPath) {
  auto empty = FileBytes::open(write("empty", ""), 1024);
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->bytes().empty());
  const std::string missing = (m_dir / "missing").string();
  auto absent = FileBytes::open(missing, 1024);
  ASSERT_FALSE(absent);
  EXPECT_NE(absent.error().message.find(missing), std::string::npos);
}

}  // namespace
}  // namespace tg
