// What git writes to the standard input of pre-receive and pre-push hooks,
// parsed strictly: a malformed line is an error, never an empty push.
#pragma once

#include "core/error.hpp"
#include "hook/git/libgit2.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tg::git {

// pre-receive: "<old> <new> <ref>" per line.
struct RefUpdate {
  git_oid old_id{};
  git_oid new_id{};
  std::string ref;
  bool is_deletion() const { return is_zero(new_id); }
  bool is_creation() const { return is_zero(old_id); }
};

// pre-push: "<local ref> <local id> <remote ref> <remote id>" per line.
struct PushUpdate {
  std::string local_ref;
  git_oid local_id{};
  std::string remote_ref;
  git_oid remote_id{};
  bool is_deletion() const { return is_zero(local_id); }
};

// Usage errors name the offending line (1-based). Empty input: no updates.
Result<std::vector<RefUpdate>> parse_pre_receive_input(std::string_view input);
Result<std::vector<PushUpdate>> parse_pre_push_input(std::string_view input);

// All of a stream (standard input), or a runtime error.
Result<std::string> read_all(std::FILE* stream);

// Push options (GIT_PUSH_OPTION_COUNT, GIT_PUSH_OPTION_<n>) from `environment`
// lookups; `getenv` by default.
std::vector<std::string> push_options(const char* (*lookup)(const char*) = nullptr);

}  // namespace tg::git
