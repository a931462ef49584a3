#include "hook/install.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tg {
namespace {

TEST(DirectHook, OnlyAPathTheKernelReadsWholeGoesOnTheInterpreterLine) {
  EXPECT_TRUE(fits_interpreter_line("/usr/bin/twilio-guard"));
  EXPECT_FALSE(fits_interpreter_line("bin/twilio-guard"));             // relative: resolved against the hook's cwd
  EXPECT_FALSE(fits_interpreter_line("/opt/my tools/twilio-guard"));   // the kernel splits at the blank
  EXPECT_FALSE(fits_interpreter_line("/opt/tools\t/twilio-guard"));
  // "#!" + path + " run-hook" within 127 bytes, what kernels before 5.1 read.
  const std::string longest = "/" + std::string(127 - 2 - 1 - 9, 'x');
  EXPECT_TRUE(fits_interpreter_line(longest));
  EXPECT_FALSE(fits_interpreter_line(longest + "x"));
}

TEST(DirectHook, FileFitsOnlyWhereThePathDoes) {
  const std::string direct = hook_script("pre-receive", "/usr/bin/twilio-guard", ScriptMode::direct, false);
  EXPECT_EQ(direct.substr(0, direct.find('\n')), "#!/usr/bin/twilio-guard run-hook");
  // The marker uninstall looks for stays on the second line.
  EXPECT_EQ(direct.substr(direct.find('\n') + 1).rfind(std::string(k_hook_marker), 0), 0u);
}

TEST(DirectHook, RunHookTakesTheHookFromTheFileName) {
  EXPECT_EQ(hook_named_by_file("hooks/pre-receive").value(), "pre-receive");
  EXPECT_EQ(hook_named_by_file("/srv/git/a.git/hooks/pre-commit").value(), "pre-commit");
  EXPECT_EQ(hook_named_by_file("pre-push").value(), "pre-push");
  EXPECT_FALSE(hook_named_by_file("hooks/post-receive"));
  EXPECT_FALSE(hook_named_by_file("hooks/pre-receive.d/twilio-guard"));
  EXPECT_FALSE(hook_named_by_file(""));
}

}  // namespace
}  // namespace tg
