// A throw-away git repository for a test, driven through the git CLI: its
// own directory under the temporary directory, removed afterwards; git runs
// without the user's or the system's configuration.
#pragma once

#include "hook/git/libgit2.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace tg::testing {

class GitRepoFixture : public TempDirFixture {
 protected:
  GitRepoFixture() : TempDirFixture("git") {}

  void SetUp() override {
    TempDirFixture::SetUp();
    git("init -q -b main .");
  }

  void git(const std::string& arguments) {
    const std::string command = "cd '" + m_dir.string() + "' && " + environment() + " git " + identity() +
                                arguments + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << arguments;
  }
  void write(const std::string& path, const std::string& content) {
    std::filesystem::create_directories((m_dir / path).parent_path());
    std::ofstream(m_dir / path) << content;
  }
  // Standard output of a git command run in the repository.
  std::string git_output(const std::string& arguments) {
    const std::string command =
        "cd '" + m_dir.string() + "' && " + environment() + " git " + identity() + arguments + " 2>/dev/null";
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr) << arguments;
    if (pipe == nullptr) return output;
    char buffer[4096];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, got);
    EXPECT_EQ(::pclose(pipe), 0) << arguments;
    return output;
  }

  git::Session m_session;

 private:
  std::string environment() const { return "GIT_CONFIG_NOSYSTEM=1 HOME='" + m_dir.string() + "'"; }
  static std::string identity() { return "-c user.name=T -c user.email=t@example.com "; }
};

}  // namespace tg::testing
