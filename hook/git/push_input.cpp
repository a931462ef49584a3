#include "hook/git/push_input.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace tg::git {
namespace {

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start <= line.size()) {
    const std::size_t end = line.find(' ', start);
    fields.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return fields;
}

template <typename Parse>
auto parse_lines(std::string_view input, Parse&& parse) -> decltype(parse(std::string_view{}, std::size_t{})) {
  typename decltype(parse(std::string_view{}, std::size_t{}))::value_type updates;
  std::size_t number = 0;
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto parsed = parse(line, number);
    if (!parsed) return parsed;
    for (auto& update : *parsed) updates.push_back(std::move(update));
  }
  return updates;
}

Error malformed(std::size_t number, std::string_view expected) {
  return Error{ErrorKind::runtime,
               fmt::format("malformed hook input on line {}: expected \"{}\"", number, expected)};
}

bool valid_ref(std::string_view ref) {
  return !ref.empty() && ref.find('\0') == std::string_view::npos;
}

}  // namespace

Result<std::vector<RefUpdate>> parse_pre_receive_input(std::string_view input) {
  return parse_lines(input, [](std::string_view line, std::size_t number) -> Result<std::vector<RefUpdate>> {
    const auto fields = split_fields(line);
    constexpr std::string_view k_form = "<old-id> <new-id> <ref>";
    if (fields.size() != 3) return std::unexpected(malformed(number, k_form));
    const auto old_id = parse_oid(fields[0]);
    const auto new_id = parse_oid(fields[1]);
    if (!old_id || !new_id || !valid_ref(fields[2])) return std::unexpected(malformed(number, k_form));
    return std::vector<RefUpdate>{RefUpdate{*old_id, *new_id, std::string(fields[2])}};
  });
}

Result<std::vector<PushUpdate>> parse_pre_push_input(std::string_view input) {
  return parse_lines(input, [](std::string_view line, std::size_t number) -> Result<std::vector<PushUpdate>> {
    const auto fields = split_fields(line);
    constexpr std::string_view k_form = "<local-ref> <local-id> <remote-ref> <remote-id>";
    if (fields.size() != 4) return std::unexpected(malformed(number, k_form));
    const auto local_id = parse_oid(fields[1]);
    const auto remote_id = parse_oid(fields[3]);
    if (!local_id || !remote_id || !valid_ref(fields[0]) || !valid_ref(fields[2])) {
      return std::unexpected(malformed(number, k_form));
    }
    return std::vector<PushUpdate>{
        PushUpdate{std::string(fields[0]), *local_id, std::string(fields[2]), *remote_id}};
  });
}

Result<std::string> read_all(std::FILE* stream) {
  std::string data;
  char buffer[65536];
  while (true) {
    const std::size_t count = std::fread(buffer, 1, sizeof buffer, stream);
    data.append(buffer, count);
    if (count < sizeof buffer) break;
  }
  if (std::ferror(stream)) return fail(ErrorKind::runtime, "cannot read the hook's standard input");
  return data;
}

std::vector<std::string> push_options(const char* (*lookup)(const char*)) {
  auto get = [lookup](const char* name) -> const char* {
    return lookup != nullptr ? lookup(name) : std::getenv(name);
  };
  std::vector<std::string> options;
  const char* count_text = get("GIT_PUSH_OPTION_COUNT");
  if (count_text == nullptr) return options;
  unsigned count = 0;
  const std::string_view text(count_text);
  if (std::from_chars(text.data(), text.data() + text.size(), count).ec != std::errc{}) return options;
  for (unsigned i = 0; i < count; ++i) {
    const std::string name = fmt::format("GIT_PUSH_OPTION_{}", i);
    if (const char* value = get(name.c_str()); value != nullptr) options.emplace_back(value);
  }
  return options;
}

}  // namespace tg::git
