// The standard input of pre-receive ("<old> <new> <ref>" per line) and
// pre-push ("<local-ref> <local-id> <remote-ref> <remote-id>"), written by
// git but reaching the hook through anything that can run it. The parsers
// must never crash and must be strict: on success there is exactly one update
// per non-blank line and each ref is a field of its line; on failure the
// message names a line that exists and quotes none of the input.
#include "hook/git/push_input.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace {

std::size_t non_blank_lines(std::string_view input) {
  std::size_t count = 0;
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    count += !line.empty();
  }
  return count;
}

std::size_t all_lines(std::string_view input) {
  std::size_t count = 0;
  for (char c : input) count += c == '\n';
  return count + 1;
}

void check_error(const tg::Error& error, std::string_view input) {
  constexpr std::string_view k_prefix = "malformed hook input on line ";
  FUZZ_CHECK(error.message.starts_with(k_prefix));
  const std::size_t line = std::stoul(error.message.substr(k_prefix.size()));
  FUZZ_CHECK(line >= 1 && line <= all_lines(input));
}

bool is_ref_text(const std::string& ref) {
  return !ref.empty() && ref.find('\n') == std::string::npos && ref.find(' ') == std::string::npos &&
         ref.find('\0') == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const auto received = tg::git::parse_pre_receive_input(input);
  if (received) {
    FUZZ_CHECK(received->size() == non_blank_lines(input));
    for (const auto& update : *received) FUZZ_CHECK(is_ref_text(update.ref));
  } else {
    check_error(received.error(), input);
  }

  const auto pushed = tg::git::parse_pre_push_input(input);
  if (pushed) {
    FUZZ_CHECK(pushed->size() == non_blank_lines(input));
    for (const auto& update : *pushed) {
      FUZZ_CHECK(is_ref_text(update.local_ref) && is_ref_text(update.remote_ref));
    }
  } else {
    check_error(pushed.error(), input);
  }
  return 0;
}
