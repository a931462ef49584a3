// Errors that leaf code returns instead of throwing. One place (the CLI) turns
// an Error into a message prefixed `twilio-guard: error:` and an exit code.
#pragma once

#include "util/expected_compat.hpp"  // clang 14 (fuzz build) lacks std::expected

#include <expected>
#include <string>

namespace tg {

enum class ErrorKind {
  usage,    // bad command line: exit 2
  config,   // bad configuration file or value: exit 2
  runtime,  // unreadable input, git failure, internal error: exit 3
};

struct Error {
  ErrorKind kind = ErrorKind::runtime;
  std::string message;  // What went wrong and what to do; never holds a credential.
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected<Error>(Error{kind, std::move(message)});
}

}  // namespace tg
