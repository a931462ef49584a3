// The one place that reads TOML. Keys are a table (as ccache does it): each
// has a name, a type, a trust level, a setter that validates and stores it,
// a printer for `twilio-guard config`, and a test of whether a change relaxes
// it (for keys the system file enforces). Defaults live in the Settings
// struct itself.
#include "config/load.hpp"

#include "core/finding.hpp"
#include "util/wildmatch.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <sys/stat.h>

namespace tg {
namespace {

enum class Layer { system, user, repository, explicit_file };

enum class Trust {
  allowlist,    // any file; a pushed file on the server only when the server trusts it
  policy,       // any file on a client; never a pushed file on the server
  server,       // server settings: system, user or --config files, never a repository file
  system_only,  // `enforce`
};

struct Context {
  std::string file;
  Layer layer = Layer::system;
  bool untrusted = false;  // a pushed repository file on the server
};

struct KeySpec {
  std::string name;
  Trust trust;
  std::string type;  // for messages
  std::function<Result<void>(Settings&, const toml::node&, const Context&)> set;
  std::function<std::string(const Settings&)> show;
  // For enforced keys: whether going from `before` to `after` weakens the
  // check. Unset: any change does.
  std::function<bool(const Settings& before, const Settings& after)> relaxes;
};

std::string position(const Context& context, const toml::source_region& where) {
  return fmt::format("{}:{}:{}", context.file, where.begin.line, where.begin.column);
}

std::unexpected<Error> error_at(const Context& context, const toml::node& node,
                                std::string_view key, std::string_view message) {
  return fail(ErrorKind::config,
              fmt::format("{}: {}: {}", position(context, node.source()), key, message));
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::unexpected<Error> wrong_type(const Context& context, const toml::node& node,
                                  std::string_view key, std::string_view expected) {
  return error_at(context, node, key, fmt::format("expected {}, found {}", expected, type_name(node)));
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\u{:04x}", byte);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Result<bool> get_bool(const Context& context, const toml::node& node, std::string_view key) {
  if (const auto* value = node.as_boolean()) return value->get();
  return wrong_type(context, node, key, "a boolean (true or false)");
}

Result<std::string> get_string(const Context& context, const toml::node& node, std::string_view key) {
  if (const auto* value = node.as_string()) return value->get();
  return wrong_type(context, node, key, "a string");
}

Result<std::int64_t> get_integer(const Context& context, const toml::node& node,
                                 std::string_view key, std::int64_t low, std::int64_t high) {
  const auto* value = node.as_integer();
  if (value == nullptr) return wrong_type(context, node, key, "an integer");
  if (value->get() < low || value->get() > high) {
    return error_at(context, node, key,
                    fmt::format("{} is out of range ({} to {})", value->get(), low, high));
  }
  return value->get();
}

// One of `names` (the index is the enum value).
template <typename Enum, std::size_t N>
Result<Enum> get_enum(const Context& context, const toml::node& node, std::string_view key,
                      const std::pair<std::string_view, Enum> (&names)[N]) {
  auto text = get_string(context, node, key);
  if (!text) return std::unexpected(text.error());
  std::string choices;
  for (const auto& [name, value] : names) {
    if (name == *text) return value;
    choices += choices.empty() ? "" : ", ";
    choices += quote(name);
  }
  return error_at(context, node, key, fmt::format("{} is not one of {}", quote(*text), choices));
}

template <typename Enum, std::size_t N>
std::string enum_name(Enum value, const std::pair<std::string_view, Enum> (&names)[N]) {
  for (const auto& [name, candidate] : names) {
    if (candidate == value) return quote(name);
  }
  return "\"?\"";
}

constexpr std::pair<std::string_view, OutputFormat> k_formats[] = {
    {"text", OutputFormat::text}, {"json", OutputFormat::json}, {"sarif", OutputFormat::sarif}};
constexpr std::pair<std::string_view, ColorMode> k_colors[] = {
    {"auto", ColorMode::automatic}, {"always", ColorMode::always}, {"never", ColorMode::never}};
constexpr std::pair<std::string_view, BinaryHandling> k_binary[] = {
    {"skip", BinaryHandling::skip}, {"scan", BinaryHandling::scan}};
constexpr std::pair<std::string_view, FailMode> k_fail_modes[] = {
    {"closed", FailMode::closed}, {"open", FailMode::open}};
constexpr std::pair<std::string_view, Severity> k_severities[] = {
    {"info", Severity::info},
    {"low", Severity::low},
    {"medium", Severity::medium},
    {"high", Severity::high},
    {"critical", Severity::critical}};

Result<std::vector<std::string>> get_strings(const Context& context, const toml::node& node,
                                             std::string_view key) {
  const auto* array = node.as_array();
  if (array == nullptr) return wrong_type(context, node, key, "an array of strings");
  std::vector<std::string> out;
  for (const toml::node& element : *array) {
    auto text = get_string(context, element, key);
    if (!text) return std::unexpected(text.error());
    if (text->empty()) return error_at(context, element, key, "empty string");
    out.push_back(std::move(*text));
  }
  return out;
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A path pattern that would allow everything at the root or everything in
// subdirectories (`**`, `*`, `**/`, `?*`): a pushed file may not use one.
bool matches_everything(std::string_view pattern) {
  constexpr std::string_view at_root[] = {"a", ".env", "b.py", "settings.yml"};
  constexpr std::string_view nested[] = {"x/y/settings.py", "deep/er/z/.key", "src/app.js"};
  const auto all = [&](const auto& probes) {
    return std::all_of(std::begin(probes), std::end(probes),
                       [&](std::string_view probe) { return path_matches(pattern, probe); });
  };
  return all(at_root) || all(nested);
}

enum class AllowKind { paths, fingerprints, values };

std::vector<AllowlistEntry>& allowlist(Settings& settings, AllowKind kind) {
  switch (kind) {
    case AllowKind::paths: return settings.allow_paths;
    case AllowKind::fingerprints: return settings.allow_fingerprints;
    case AllowKind::values: break;
  }
  return settings.allow_values;
}

const std::vector<AllowlistEntry>& allowlist(const Settings& settings, AllowKind kind) {
  return allowlist(const_cast<Settings&>(settings), kind);
}

Result<void> set_allowlist(Settings& settings, const toml::node& node, const Context& context,
                           std::string_view key, AllowKind kind) {
  const std::string_view field = kind == AllowKind::paths          ? "pattern"
                                 : kind == AllowKind::fingerprints ? "fingerprint"
                                                                   : "value";
  const auto* array = node.as_array();
  if (array == nullptr) {
    return wrong_type(context, node, key,
                      fmt::format("an array of tables such as [[{}]] with {} and reason", key, field));
  }
  std::vector<AllowlistEntry> added;
  for (const toml::node& element : *array) {
    const auto* entry = element.as_table();
    if (entry == nullptr) return wrong_type(context, element, key, "a table with " + std::string(field) + " and reason");
    AllowlistEntry out;
    bool have_pattern = false;
    bool have_reason = false;
    for (auto&& [name, value] : *entry) {
      const std::string full = fmt::format("{}.{}", key, name.str());
      auto text = get_string(context, value, full);
      if (!text) return std::unexpected(text.error());
      if (name.str() == field) {
        out.pattern = std::move(*text);
        have_pattern = true;
        if (out.pattern.empty()) return error_at(context, value, full, "must not be empty");
        if (kind == AllowKind::fingerprints && (out.pattern.size() != 16 || !is_hex(out.pattern))) {
          return error_at(context, value, full,
                          "a fingerprint is 16 lowercase hex digits, as printed in findings");
        }
        if (kind == AllowKind::paths && out.pattern.front() == '!') {
          return error_at(context, value, full, "negated patterns have no meaning in an allowlist");
        }
      } else if (name.str() == "reason") {
        out.reason = std::move(*text);
        have_reason = true;
        if (out.reason.find_first_not_of(" \t") == std::string::npos) {
          return error_at(context, value, full, "a reason must say why the entry is safe");
        }
      } else {
        return fail(ErrorKind::config,
                    fmt::format("{}: {}: unknown key (an entry has {} and reason)",
                                position(context, name.source()), full, field));
      }
    }
    if (!have_pattern) return error_at(context, element, key, fmt::format("entry without {}", field));
    if (!have_reason) return error_at(context, element, key, "entry without reason (required)");
    out.source = fmt::format("{}:{}", context.file, element.source().begin.line);
    if (context.untrusted && kind == AllowKind::paths && matches_everything(out.pattern)) {
      settings.provenance.notes.push_back(
          fmt::format("{}: {}: {} ignored: a pushed configuration may not allow every path",
                      out.source, key, quote(out.pattern)));
      continue;
    }
    added.push_back(std::move(out));
  }
  auto& list = allowlist(settings, kind);
  list.insert(list.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  return {};
}

std::string show_allowlist(const std::vector<AllowlistEntry>& list, std::string_view field) {
  if (list.empty()) return "[]";
  std::string out = "[\n";
  for (const AllowlistEntry& entry : list) {
    out += fmt::format("  {{ {} = {}, reason = {} }},  # {}\n", field, quote(entry.pattern),
                       quote(entry.reason), entry.source);
  }
  return out + "]";
}

Severity effective_severity(const Settings& settings, std::size_t index) {
  return settings.rules[index].severity.value_or(all_rules()[index].severity);
}
bool effective_blocking(const Settings& settings, std::size_t index) {
  return settings.rules[index].blocking.value_or(all_rules()[index].blocking);
}

std::vector<KeySpec> make_keys() {
  std::vector<KeySpec> keys;
  keys.push_back({"enforce", Trust::system_only, "array of strings", nullptr,
                  [](const Settings& s) {
                    std::string out = "[";
                    for (const auto& key : s.provenance.enforced) {
                      out += (out.size() > 1 ? ", " : "") + quote(key);
                    }
                    return out + "]";
                  },
                  nullptr});
  for (std::size_t index = 0; index < all_rules().size(); ++index) {
    const std::string prefix = fmt::format("rules.{}.", all_rules()[index].name);
    keys.push_back(
        {prefix + "enabled", Trust::policy, "boolean",
         [index, name = prefix + "enabled"](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
           auto value = get_bool(c, node, name);
           if (!value) return std::unexpected(value.error());
           s.rules[index].enabled = *value;
           return {};
         },
         [index](const Settings& s) { return std::string(s.rules[index].enabled ? "true" : "false"); },
         [index](const Settings& before, const Settings& after) {
           return before.rules[index].enabled && !after.rules[index].enabled;
         }});
    keys.push_back(
        {prefix + "severity", Trust::policy, "string",
         [index, name = prefix + "severity"](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
           auto value = get_enum(c, node, name, k_severities);
           if (!value) return std::unexpected(value.error());
           s.rules[index].severity = *value;
           return {};
         },
         [index](const Settings& s) { return enum_name(effective_severity(s, index), k_severities); },
         [index](const Settings& before, const Settings& after) {
           return effective_severity(after, index) < effective_severity(before, index);
         }});
    keys.push_back(
        {prefix + "blocking", Trust::policy, "boolean",
         [index, name = prefix + "blocking"](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
           auto value = get_bool(c, node, name);
           if (!value) return std::unexpected(value.error());
           s.rules[index].blocking = *value;
           return {};
         },
         [index](const Settings& s) { return std::string(effective_blocking(s, index) ? "true" : "false"); },
         [index](const Settings& before, const Settings& after) {
           return effective_blocking(before, index) && !effective_blocking(after, index);
         }});
  }
  keys.push_back({"allow.markers", Trust::policy, "array of strings",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_strings(c, node, "allow.markers");
                    if (!value) return std::unexpected(value.error());
                    s.allow_markers = std::move(*value);
                    return {};
                  },
                  [](const Settings& s) {
                    std::string out = "[";
                    for (const auto& marker : s.allow_markers) {
                      out += (out.size() > 1 ? ", " : "") + quote(marker);
                    }
                    return out + "]";
                  },
                  [](const Settings& before, const Settings& after) {
                    return std::any_of(after.allow_markers.begin(), after.allow_markers.end(), [&](const auto& m) {
                      return std::find(before.allow_markers.begin(), before.allow_markers.end(), m) ==
                             before.allow_markers.end();
                    });
                  }});
  const std::pair<std::string_view, AllowKind> lists[] = {
      {"paths", AllowKind::paths}, {"fingerprints", AllowKind::fingerprints}, {"values", AllowKind::values}};
  for (const auto& list : lists) {
    // Plain variables, not structured bindings: clang 14 (the fuzz build)
    // cannot capture those in lambdas.
    const AllowKind kind = list.second;
    const std::string name = fmt::format("allow.{}", list.first);
    const std::string_view field = kind == AllowKind::paths          ? "pattern"
                                   : kind == AllowKind::fingerprints ? "fingerprint"
                                                                     : "value";
    keys.push_back({name, Trust::allowlist, "array of tables",
                    [name, kind](Settings& s, const toml::node& node, const Context& c) {
                      return set_allowlist(s, node, c, name, kind);
                    },
                    [kind, field](const Settings& s) {
                      if (kind != AllowKind::values) return show_allowlist(allowlist(s, kind), field);
                      // Literal values are credentials (test ones, but still): show them redacted.
                      std::vector<AllowlistEntry> shown = s.allow_values;
                      for (AllowlistEntry& entry : shown) entry.pattern = redact(entry.pattern);
                      return show_allowlist(shown, field);
                    },
                    [kind](const Settings& before, const Settings& after) {
                      return allowlist(after, kind).size() >
                             allowlist(before, kind).size();
                    }});
  }
  keys.push_back({"scan.max_file_size", Trust::policy, "integer",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_integer(c, node, "scan.max_file_size", 1, std::int64_t{1} << 40);
                    if (!value) return std::unexpected(value.error());
                    s.max_file_size = static_cast<std::uint64_t>(*value);
                    return {};
                  },
                  [](const Settings& s) { return std::to_string(s.max_file_size); },
                  [](const Settings& before, const Settings& after) {
                    return after.max_file_size < before.max_file_size;
                  }});
  keys.push_back({"scan.binary", Trust::policy, "string",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_enum(c, node, "scan.binary", k_binary);
                    if (!value) return std::unexpected(value.error());
                    s.binary = *value;
                    return {};
                  },
                  [](const Settings& s) { return enum_name(s.binary, k_binary); },
                  [](const Settings& before, const Settings& after) {
                    return before.binary == BinaryHandling::scan && after.binary == BinaryHandling::skip;
                  }});
  keys.push_back({"output.format", Trust::policy, "string",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_enum(c, node, "output.format", k_formats);
                    if (!value) return std::unexpected(value.error());
                    s.format = *value;
                    return {};
                  },
                  [](const Settings& s) { return enum_name(s.format, k_formats); }, nullptr});
  keys.push_back({"output.color", Trust::policy, "string",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_enum(c, node, "output.color", k_colors);
                    if (!value) return std::unexpected(value.error());
                    s.color = *value;
                    return {};
                  },
                  [](const Settings& s) { return enum_name(s.color, k_colors); }, nullptr});
  keys.push_back({"output.remediation", Trust::policy, "string",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_string(c, node, "output.remediation");
                    if (!value) return std::unexpected(value.error());
                    s.extra_remediation = std::move(*value);
                    return {};
                  },
                  [](const Settings& s) { return quote(s.extra_remediation); },
                  [](const Settings& before, const Settings& after) {
                    return !after.extra_remediation.starts_with(before.extra_remediation);
                  }});
  keys.push_back({"server.time_budget_ms", Trust::server, "integer",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_integer(c, node, "server.time_budget_ms", 0, 3'600'000);
                    if (!value) return std::unexpected(value.error());
                    s.server.time_budget_ms = static_cast<std::uint32_t>(*value);
                    return {};
                  },
                  [](const Settings& s) { return std::to_string(s.server.time_budget_ms); }, nullptr});
  keys.push_back({"server.on_timeout", Trust::server, "string",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_enum(c, node, "server.on_timeout", k_fail_modes);
                    if (!value) return std::unexpected(value.error());
                    s.server.on_timeout = *value;
                    return {};
                  },
                  [](const Settings& s) { return enum_name(s.server.on_timeout, k_fail_modes); }, nullptr});
  keys.push_back({"server.on_error", Trust::server, "string",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_enum(c, node, "server.on_error", k_fail_modes);
                    if (!value) return std::unexpected(value.error());
                    s.server.on_error = *value;
                    return {};
                  },
                  [](const Settings& s) { return enum_name(s.server.on_error, k_fail_modes); }, nullptr});
  keys.push_back({"server.allow_bypass_option", Trust::server, "boolean",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_bool(c, node, "server.allow_bypass_option");
                    if (!value) return std::unexpected(value.error());
                    s.server.allow_bypass_option = *value;
                    return {};
                  },
                  [](const Settings& s) { return std::string(s.server.allow_bypass_option ? "true" : "false"); },
                  nullptr});
  keys.push_back({"server.scan_known_objects", Trust::server, "boolean",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_bool(c, node, "server.scan_known_objects");
                    if (!value) return std::unexpected(value.error());
                    s.server.scan_known_objects = *value;
                    return {};
                  },
                  [](const Settings& s) { return std::string(s.server.scan_known_objects ? "true" : "false"); },
                  nullptr});
  keys.push_back({"server.audit_log", Trust::server, "string",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_string(c, node, "server.audit_log");
                    if (!value) return std::unexpected(value.error());
                    if (!value->empty() && value->front() != '/') {
                      return error_at(c, node, "server.audit_log", "must be an absolute path (or empty for none)");
                    }
                    s.server.audit_log = std::move(*value);
                    return {};
                  },
                  [](const Settings& s) { return quote(s.server.audit_log); }, nullptr});
  keys.push_back({"server.trust_repository_allowlists", Trust::server, "boolean",
                  [](Settings& s, const toml::node& node, const Context& c) -> Result<void> {
                    auto value = get_bool(c, node, "server.trust_repository_allowlists");
                    if (!value) return std::unexpected(value.error());
                    s.server.trust_repository_allowlists = *value;
                    return {};
                  },
                  [](const Settings& s) {
                    return std::string(s.server.trust_repository_allowlists ? "true" : "false");
                  },
                  nullptr});
  return keys;
}

const std::vector<KeySpec>& keys() {
  static const std::vector<KeySpec> table = make_keys();
  return table;
}

const KeySpec* find_key(std::string_view name) {
  for (const KeySpec& spec : keys()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

bool is_section(std::string_view name) {
  if (name == "rules" || name == "allow" || name == "scan" || name == "output" || name == "server") {
    return true;
  }
  if (name.starts_with("rules.")) return find_rule(name.substr(6)) != nullptr;
  return false;
}

// An `enforce` entry covers a key when it names it or a section above it.
bool covers(std::string_view entry, std::string_view key) {
  return key == entry || (key.starts_with(entry) && key.size() > entry.size() && key[entry.size()] == '.');
}

Result<void> set_enforce(Settings& settings, const toml::node& node, const Context& context) {
  auto entries = get_strings(context, node, "enforce");
  if (!entries) return std::unexpected(entries.error());
  for (std::string& entry : *entries) {
    if (entry == "enforce" || (find_key(entry) == nullptr && !is_section(entry))) {
      return error_at(context, node, "enforce", fmt::format("{} is not a key or section", quote(entry)));
    }
    settings.provenance.origin["enforce:" + entry] = fmt::format("{}:{}", context.file, node.source().begin.line);
    settings.provenance.enforced.push_back(std::move(entry));
  }
  return {};
}

Result<void> apply_key(Settings& settings, const KeySpec& spec, const toml::key& key,
                       const toml::node& node, const Context& context) {
  const std::string where = fmt::format("{}:{}", context.file, key.source().begin.line);
  if (spec.trust == Trust::system_only) {
    if (context.layer != Layer::system) {
      return fail(ErrorKind::config, fmt::format("{}: {}: may only be set in the system configuration",
                                                 position(context, key.source()), spec.name));
    }
    return set_enforce(settings, node, context);
  }
  if (context.untrusted && spec.trust != Trust::allowlist) {
    settings.provenance.notes.push_back(
        fmt::format("{}: {} ignored: a pushed configuration may only add allowlist entries", where, spec.name));
    return {};
  }
  if (spec.trust == Trust::server && context.layer == Layer::repository) {
    settings.provenance.notes.push_back(
        fmt::format("{}: {} ignored: server settings are never taken from a repository", where, spec.name));
    return {};
  }
  const auto enforced = std::find_if(settings.provenance.enforced.begin(), settings.provenance.enforced.end(),
                                     [&](const std::string& entry) { return covers(entry, spec.name); });
  if (context.layer != Layer::system && enforced != settings.provenance.enforced.end()) {
    const Settings before = settings;
    if (auto set = spec.set(settings, node, context); !set) return set;
    const bool relaxed = spec.relaxes ? spec.relaxes(before, settings) : spec.show(before) != spec.show(settings);
    if (relaxed) {
      return fail(ErrorKind::config,
                  fmt::format("{}: {}: enforced by the system configuration ({}) and may not be relaxed",
                              position(context, key.source()), spec.name,
                              before.provenance.origin.at("enforce:" + *enforced)));
    }
  } else if (auto set = spec.set(settings, node, context); !set) {
    return set;
  }
  settings.provenance.origin[spec.name] = where;
  return {};
}

Result<void> apply_table(Settings& settings, const toml::table& table, const std::string& prefix,
                         const Context& context) {
  for (auto&& [key, node] : table) {
    const std::string name = prefix.empty() ? std::string(key.str()) : fmt::format("{}.{}", prefix, key.str());
    if (const KeySpec* spec = find_key(name)) {
      if (auto applied = apply_key(settings, *spec, key, node, context); !applied) return applied;
      continue;
    }
    if (is_section(name)) {
      const auto* section = node.as_table();
      if (section == nullptr) return wrong_type(context, node, name, "a table");
      if (auto applied = apply_table(settings, *section, name, context); !applied) return applied;
      continue;
    }
    std::string hint;
    if (prefix == "rules") {
      hint = " (rules are:";
      for (const Rule& rule_info : all_rules()) hint += fmt::format(" {}", rule_info.name);
      hint += ")";
    }
    return fail(ErrorKind::config,
                fmt::format("{}: {}: unknown key{}", position(context, key.source()), name, hint));
  }
  return {};
}

// The file's content, or nullopt when it does not exist. One stat() when absent.
Result<std::optional<std::string>> read_if_present(const std::string& path) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>{};
    return fail(ErrorKind::config, fmt::format("{}: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) return fail(ErrorKind::config, fmt::format("{}: not a regular file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::config, fmt::format("{}: cannot be read", path));
  std::ostringstream content;
  content << in.rdbuf();
  return std::optional<std::string>{content.str()};
}

Result<void> apply_text(Settings& settings, std::string_view text, const Context& context) {
  toml::table table;
  try {
    table = toml::parse(text, context.file);
  } catch (const toml::parse_error& error) {
    return fail(ErrorKind::config, fmt::format("{}: {}", position(context, error.source()), error.description()));
  }
  if (auto applied = apply_table(settings, table, "", context); !applied) return applied;
  settings.provenance.files_read.push_back(context.file);
  return {};
}

Result<void> apply_file(Settings& settings, const std::string& path, Layer layer, bool required) {
  if (path.empty()) return {};
  auto text = read_if_present(path);
  if (!text) return std::unexpected(text.error());
  if (!*text) {
    if (required) return fail(ErrorKind::config, fmt::format("{}: no such file", path));
    return {};
  }
  return apply_text(settings, **text, Context{path, layer, false});
}

std::string join_path(const std::string& directory, std::string_view name) {
  if (directory.empty() || directory.back() == '/') return directory + std::string(name);
  return fmt::format("{}/{}", directory, name);
}

}  // namespace

std::string system_config_path() {
  if (const char* path = std::getenv("TWILIO_GUARD_SYSTEM_CONFIG")) return path;
  return "/etc/twilio-guard/config.toml";
}

std::string user_config_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
    return join_path(xdg, "twilio-guard/config.toml");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return join_path(home, ".config/twilio-guard/config.toml");
  }
  return {};
}

Result<Settings> load_settings(const ConfigSources& sources) {
  Settings settings;
  if (auto applied = apply_file(settings, system_config_path(), Layer::system, false); !applied) {
    return std::unexpected(applied.error());
  }
  if (auto applied = apply_file(settings, user_config_path(), Layer::user, false); !applied) {
    return std::unexpected(applied.error());
  }

  const auto apply_repository = [&](bool untrusted) -> Result<void> {
    if (sources.repository_text) {
      return apply_text(settings, *sources.repository_text,
                        Context{sources.repository_label, Layer::repository, untrusted});
    }
    if (!sources.repository_root) return {};
    const std::string path = join_path(*sources.repository_root, k_repository_config_name);
    auto text = read_if_present(path);
    if (!text) return std::unexpected(text.error());
    if (!*text) return {};
    return apply_text(settings, **text, Context{path, Layer::repository, untrusted});
  };
  const auto apply_explicit = [&]() -> Result<void> {
    if (!sources.explicit_file) return {};
    return apply_file(settings, *sources.explicit_file, Layer::explicit_file, true);
  };

  if (!sources.server) {
    if (auto applied = apply_repository(false); !applied) return std::unexpected(applied.error());
    if (auto applied = apply_explicit(); !applied) return std::unexpected(applied.error());
    return settings;
  }
  // Server: every trusted file first; the pushed file last, and only if trusted.
  if (auto applied = apply_explicit(); !applied) return std::unexpected(applied.error());
  if (settings.server.trust_repository_allowlists) {
    if (auto applied = apply_repository(true); !applied) return std::unexpected(applied.error());
  } else if (sources.repository_text) {
    settings.provenance.notes.push_back(fmt::format(
        "{}: ignored: the server does not trust repository configuration "
        "(server.trust_repository_allowlists = false)",
        sources.repository_label));
  }
  return settings;
}

std::optional<std::string> find_repository_root(const std::string& start) {
  std::error_code error;
  std::filesystem::path directory = std::filesystem::absolute(start, error).lexically_normal();
  if (error) return std::nullopt;
  if (!directory.has_filename() && directory.has_relative_path()) directory = directory.parent_path();
  while (true) {
    struct stat info{};
    if (::stat((directory / ".git").c_str(), &info) == 0) return directory.string();
    if (!directory.has_relative_path()) return std::nullopt;
    directory = directory.parent_path();
  }
}

Result<Settings> check_config_file(const std::string& path) {
  Settings settings;
  if (auto applied = apply_file(settings, path, Layer::system, true); !applied) {
    return std::unexpected(applied.error());
  }
  return settings;
}

std::string render_settings(const Settings& settings) {
  std::string out = fmt::format("# twilio-guard {} (rules {}): effective configuration\n",
                                TWILIO_GUARD_VERSION, TWILIO_GUARD_RULES_VERSION);
  out += fmt::format("# system file:     {}\n", system_config_path().empty() ? "(none)" : system_config_path());
  out += fmt::format("# user file:       {}\n", user_config_path().empty() ? "(none)" : user_config_path());
  if (settings.provenance.files_read.empty()) {
    out += "# files read:      none, built-in defaults only\n";
  } else {
    for (const std::string& file : settings.provenance.files_read) out += fmt::format("# read:            {}\n", file);
  }
  for (const std::string& note : settings.provenance.notes) out += fmt::format("# note: {}\n", note);
  out += "\n";
  for (const KeySpec& spec : keys()) {
    if (spec.name == "enforce" && settings.provenance.enforced.empty()) continue;
    const auto origin = settings.provenance.origin.find(spec.name);
    const std::string from = origin == settings.provenance.origin.end() ? "default" : origin->second;
    const std::string value = spec.show(settings);
    const bool enforced = std::any_of(settings.provenance.enforced.begin(), settings.provenance.enforced.end(),
                                      [&](const std::string& entry) { return covers(entry, spec.name); });
    if (spec.name == "enforce") {
      out += fmt::format("{} = {}\n", spec.name, value);
    } else {
      out += fmt::format("{} = {}  # {}{}\n", spec.name, value, from, enforced ? ", enforced" : "");
    }
  }
  return out;
}

}  // namespace tg
