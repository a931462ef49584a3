// A test's own directory under the temporary directory, named after the
// process and the test, created empty before the test and removed after it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <unistd.h>
#include <utility>

namespace tg::testing {

class TempDirFixture : public ::testing::Test {
 protected:
  // `kind` starts the directory's name: "tg-<kind>-<pid>-<test>".
  explicit TempDirFixture(std::string kind) : m_kind(std::move(kind)) {}

  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            ("tg-" + m_kind + "-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  std::filesystem::path m_dir;

 private:
  std::string m_kind;
};

}  // namespace tg::testing
