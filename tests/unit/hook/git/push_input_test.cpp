#include "hook/git/push_input.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace tg::git {
namespace {

const std::string k_zero(40, '0');
const std::string k_a(40, 'a');
const std::string k_b = "0123456789abcdef0123456789abcdef01234567";

TEST(PreReceiveInput, ParsesEveryLine) {
  auto updates = parse_pre_receive_input(k_zero + " " + k_a + " refs/heads/new\n" + k_a + " " + k_b +
                                         " refs/heads/main\n" + k_b + " " + k_zero + " refs/tags/gone\n");
  ASSERT_TRUE(updates);
  ASSERT_EQ(updates->size(), 3u);
  EXPECT_TRUE((*updates)[0].is_creation());
  EXPECT_FALSE((*updates)[0].is_deletion());
  EXPECT_EQ(to_hex((*updates)[0].new_id), k_a);
  EXPECT_EQ((*updates)[1].ref, "refs/heads/main");
  EXPECT_EQ(to_hex((*updates)[1].new_id), k_b);
  EXPECT_TRUE((*updates)[2].is_deletion());
}

TEST(PreReceiveInput, EmptyInputIsNoUpdate) {
  auto updates = parse_pre_receive_input("");
  ASSERT_TRUE(updates);
  EXPECT_TRUE(updates->empty());
}

TEST(PreReceiveInput, MalformedLinesAreErrorsNamingTheLine) {
  for (const std::string& bad : {
           k_a + " " + k_b + "\n",                        // no ref
           k_a + " " + k_b + " refs/heads/x extra\n",     // extra field
           k_a.substr(1) + " " + k_b + " refs/heads/x\n",  // short id
           std::string(40, 'g') + " " + k_b + " refs/heads/x\n",  // not hex
           k_a + "  " + k_b + " refs/heads/x\n",          // double space
       }) {
    auto updates = parse_pre_receive_input(k_a + " " + k_b + " refs/heads/ok\n" + bad);
    ASSERT_FALSE(updates) << bad;
    EXPECT_NE(updates.error().message.find("line 2"), std::string::npos) << updates.error().message;
  }
}

TEST(PrePushInput, ParsesLinesAndDeletions) {
  auto updates = parse_pre_push_input("refs/heads/main " + k_a + " refs/heads/main " + k_b + "\n(delete) " +
                                      k_zero + " refs/heads/old " + k_b + "\n");
  ASSERT_TRUE(updates);
  ASSERT_EQ(updates->size(), 2u);
  EXPECT_EQ((*updates)[0].local_ref, "refs/heads/main");
  EXPECT_FALSE((*updates)[0].is_deletion());
  EXPECT_TRUE((*updates)[1].is_deletion());
  EXPECT_FALSE(parse_pre_push_input("refs/heads/main " + k_a + "\n"));
}

std::map<std::string, std::string> g_environment;
const char* fake_getenv(const char* name) {
  auto found = g_environment.find(name);
  return found == g_environment.end() ? nullptr : found->second.c_str();
}

TEST(PushOptions, ReadsCountAndValues) {
  g_environment = {{"GIT_PUSH_OPTION_COUNT", "2"},
                   {"GIT_PUSH_OPTION_0", "ci.skip"},
                   {"GIT_PUSH_OPTION_1", "twilio-guard.bypass=test fixture"}};
  EXPECT_EQ(push_options(fake_getenv), (std::vector<std::string>{"ci.skip", "twilio-guard.bypass=test fixture"}));
  g_environment = {{"GIT_PUSH_OPTION_COUNT", "junk"}};
  EXPECT_TRUE(push_options(fake_getenv).empty());
  g_environment.clear();
  EXPECT_TRUE(push_options(fake_getenv).empty());
}

}  // namespace
}  // namespace tg::git
