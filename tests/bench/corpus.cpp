#include "tests/bench/corpus.hpp"

#include "tests/support/fake_credentials.hpp"

#include <fmt/format.h>

#include <array>

namespace tg::bench {
namespace {

// Words that real code and prose use, including ones that sit close to the
// trigger names (token, secret, key, auth, account, api) so the confirm stage
// sees ordinary near-context too.
constexpr std::string_view k_words[] = {
    "user",     "account",  "request",  "response", "handler",  "config",   "value",
    "index",    "buffer",   "result",   "error",    "status",   "message",  "client",
    "server",   "session",  "token",    "secret",   "key",      "auth",     "api",
    "cache",    "store",    "item",     "list",     "map",      "count",    "total",
    "name",     "path",     "file",     "stream",   "reader",   "writer",   "parse",
    "format",   "encode",   "decode",   "hash",     "digest",   "commit",   "branch",
    "order",    "payment",  "invoice",  "customer", "address",  "phone",    "number",
    "call",     "sms",      "voice",    "webhook",  "callback", "retry",    "timeout",
    "limit",    "offset",   "page",     "query",    "filter",   "sort",     "field",
    "schema",   "table",    "row",      "column",   "record",   "event",    "queue",
    "worker",   "thread",   "lock",     "state",    "model",    "view",     "route",
    "service",  "factory",  "builder",  "manager",  "context",  "options",  "settings",
    "logger",   "metric",   "trace",    "span",     "node",     "tree",     "graph",
    "edge",     "point",    "range",    "window",   "frame",    "signal"};

constexpr std::string_view k_prose[] = {
    "the",    "a",      "to",      "of",       "and",    "is",      "in",      "that",
    "when",   "this",   "returns", "before",   "after",  "every",   "request", "must",
    "should", "not",    "can",     "with",     "from",   "each",    "only",    "once",
    "token",  "secret", "account", "messages", "phone",  "numbers", "deploy",  "server",
    "config", "users",  "retries", "timeout",  "error",  "handler", "webhook", "callback"};

}  // namespace

std::string_view file_extension(FileKind kind) {
  switch (kind) {
    case FileKind::cpp: return ".cpp";
    case FileKind::python: return ".py";
    case FileKind::javascript: return ".js";
    case FileKind::go: return ".go";
    case FileKind::java: return ".java";
    case FileKind::yaml: return ".yaml";
    case FileKind::json: return ".json";
    case FileKind::package_lock: return ".lock.json";
    case FileKind::go_sum: return ".sum";
    case FileKind::markdown: return ".md";
  }
  return ".txt";
}

std::string_view CorpusGenerator::word() { return k_words[pick(std::size(k_words))]; }

std::string CorpusGenerator::identifier() {
  std::string out(word());
  for (std::size_t n = pick(3); n > 0; --n) {
    out += '_';
    out += word();
  }
  return out;
}

std::string CorpusGenerator::camel() {
  std::string out(word());
  for (std::size_t n = 1 + pick(2); n > 0; --n) {
    std::string next(word());
    next[0] = static_cast<char>(next[0] - 'a' + 'A');
    out += next;
  }
  return out;
}

std::string CorpusGenerator::hex(std::size_t length) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(length, '0');
  for (char& c : out) c = k_digits[m_random() & 15];
  return out;
}

std::string CorpusGenerator::base64ish(std::size_t length) {
  static constexpr char k_chars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out(length, 'A');
  for (char& c : out) c = k_chars[m_random() & 63];
  return out;
}

std::string CorpusGenerator::sentence() {
  std::string out;
  for (std::size_t n = 6 + pick(14); n > 0; --n) {
    if (!out.empty()) out += ' ';
    out += k_prose[pick(std::size(k_prose))];
  }
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  out += '.';
  return out;
}

void CorpusGenerator::append_line(FileKind kind, std::string& out, int& depth) {
  const std::string indent(static_cast<std::size_t>(std::max(depth, 0)) * 2, ' ');
  const std::size_t choice = pick(10);
  switch (kind) {
    case FileKind::cpp:
      if (choice == 0) out += fmt::format("{}// {}\n", indent, sentence());
      else if (choice == 1 && depth < 4) {
        out += fmt::format("{}if ({}.{}() > {}) {{\n", indent, identifier(), word(), pick(1000));
        ++depth;
      } else if (choice == 2 && depth > 0) {
        --depth;
        out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "}\n";
      } else if (choice == 3) out += fmt::format("{}#include \"{}/{}.hpp\"\n", indent, word(), identifier());
      else if (choice == 4) out += fmt::format("{}const std::string {} = \"{}-{}\";\n", indent, identifier(), word(), pick(100000));
      else out += fmt::format("{}auto {} = {}({}, {});\n", indent, identifier(), camel(), identifier(), pick(4096));
      break;
    case FileKind::python:
      if (choice == 0) out += fmt::format("{}# {}\n", indent, sentence());
      else if (choice == 1 && depth < 3) {
        out += fmt::format("{}def {}(self, {}, {}=None):\n", indent, identifier(), identifier(), word());
        ++depth;
      } else if (choice == 2 && depth > 0) {
        --depth;
        out += "\n";
      } else if (choice == 3) out += fmt::format("{}{} = os.environ.get(\"{}_{}\")\n", indent, identifier(), word(), word());
      else if (choice == 4) out += fmt::format("{}\"\"\"{}\"\"\"\n", indent, sentence());
      else out += fmt::format("{}{} = self.{}.{}({}, timeout={})\n", indent, identifier(), word(), identifier(), word(), pick(60));
      break;
    case FileKind::javascript:
      if (choice == 0) out += fmt::format("{}// {}\n", indent, sentence());
      else if (choice == 1 && depth < 4) {
        out += fmt::format("{}export async function {}({}) {{\n", indent, camel(), camel());
        ++depth;
      } else if (choice == 2 && depth > 0) {
        --depth;
        out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "}\n";
      } else if (choice == 3) out += fmt::format("{}const {} = require('{}-{}');\n", indent, camel(), word(), word());
      else if (choice == 4) out += fmt::format("{}const {} = process.env.{}_{};\n", indent, camel(), word(), word());
      else out += fmt::format("{}const {} = await {}.{}({{ {}: {}, {}: '{}' }});\n", indent, camel(), camel(), camel(), word(), pick(500), word(), word());
      break;
    case FileKind::go:
      if (choice == 0) out += fmt::format("{}// {}\n", indent, sentence());
      else if (choice == 1 && depth < 3) {
        out += fmt::format("{}func (s *{}) {}(ctx context.Context) error {{\n", indent, camel(), camel());
        ++depth;
      } else if (choice == 2 && depth > 0) {
        --depth;
        out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "}\n";
      } else if (choice == 3) out += fmt::format("{}if err != nil {{ return fmt.Errorf(\"{} {}: %w\", err) }}\n", indent, word(), word());
      else out += fmt::format("{}{} := s.{}.{}(ctx, {})\n", indent, camel(), camel(), camel(), pick(100));
      break;
    case FileKind::java:
      if (choice == 0) out += fmt::format("{}/** {} */\n", indent, sentence());
      else if (choice == 1 && depth < 3) {
        out += fmt::format("{}public {} {}(final {} {}) {{\n", indent, camel(), camel(), camel(), camel());
        ++depth;
      } else if (choice == 2 && depth > 0) {
        --depth;
        out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "}\n";
      } else if (choice == 3) out += fmt::format("{}private static final String {} = \"{}.{}\";\n", indent, identifier(), word(), word());
      else out += fmt::format("{}{} {} = this.{}.{}({});\n", indent, camel(), camel(), camel(), camel(), pick(1000));
      break;
    case FileKind::yaml:
      if (choice == 0) out += fmt::format("# {}\n", sentence());
      else if (choice < 3) out += fmt::format("{}:\n  {}: {}\n", identifier(), word(), pick(10000));
      else if (choice == 3) out += fmt::format("  image: registry.example.com/{}/{}:{}.{}.{}\n", word(), word(), pick(5), pick(20), pick(40));
      else if (choice == 4) out += fmt::format("  {}_{}: ${{{}_{}}}\n", word(), word(), word(), word());
      else out += fmt::format("  {}: \"{}-{}\"\n", identifier(), word(), word());
      break;
    case FileKind::json:
      if (choice < 3) out += fmt::format("  \"{}\": {{ \"{}\": {}, \"{}\": \"{}\" }},\n", camel(), word(), pick(100000), word(), identifier());
      else if (choice == 3) out += fmt::format("  \"{}\": \"{}\",\n", camel(), hex(24));
      else out += fmt::format("  \"{}\": [\"{}\", \"{}\", {}],\n", camel(), word(), word(), pick(100));
      break;
    case FileKind::package_lock:
      out += fmt::format(
          "    \"node_modules/{}-{}\": {{\n      \"version\": \"{}.{}.{}\",\n"
          "      \"resolved\": \"https://registry.npmjs.org/{}-{}/-/{}-{}.tgz\",\n"
          "      \"integrity\": \"sha512-{}==\"\n    }},\n",
          word(), word(), pick(10), pick(30), pick(50), word(), word(), word(), pick(20),
          base64ish(86));
      break;
    case FileKind::go_sum:
      out += fmt::format("github.com/{}/{} v{}.{}.{} h1:{}=\n", word(), identifier(), pick(3),
                         pick(30), pick(20), base64ish(43));
      if (choice < 5) {
        out += fmt::format("github.com/{}/{} v0.{}.0/go.mod h1:{}=\n", word(), word(), pick(30),
                           base64ish(43));
      }
      break;
    case FileKind::markdown:
      if (choice == 0) out += fmt::format("\n## {} {}\n\n", camel(), word());
      else if (choice == 1) out += fmt::format("- `{}`: {}\n", identifier(), sentence());
      else if (choice == 2) out += fmt::format("See commit {} and https://example.com/{}/{}.\n", hex(40), word(), word());
      else out += sentence() + " " + sentence() + "\n";
      break;
  }
}

std::string CorpusGenerator::file(FileKind kind, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 256);
  int depth = 0;
  if (kind == FileKind::json || kind == FileKind::package_lock) out += "{\n";
  while (out.size() < bytes) append_line(kind, out, depth);
  if (kind == FileKind::json || kind == FileKind::package_lock) out += "  \"end\": true\n}\n";
  return out;
}

std::string CorpusGenerator::lines(FileKind kind, int count) {
  std::string out;
  int depth = 1;
  for (int i = 0; i < count; ++i) append_line(kind, out, depth);
  return out;
}

std::string CorpusGenerator::ordinary(std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 65536);
  while (out.size() < bytes) {
    const auto kind = static_cast<FileKind>(pick(k_file_kind_count));
    out += file(kind, 2048 + pick(30000));
  }
  out.resize(bytes);
  return out;
}

std::string CorpusGenerator::planted_credential() {
  testing::FakeGenerator fakes(m_random());
  const testing::FakeCredentials credentials = fakes.credentials();
  return fmt::format("TWILIO_ACCOUNT_SID={}\nTWILIO_AUTH_TOKEN={}\n", credentials.sid,
                     credentials.token);
}

std::string CorpusGenerator::repeated(std::string_view unit, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out += unit;
  out.resize(bytes);
  return out;
}

std::string CorpusGenerator::hex_digits(std::size_t bytes) { return hex(bytes); }

std::string CorpusGenerator::near_miss_sids(std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 64);
  static constexpr std::array<char, 4> k_separators = {' ', '\n', '"', 'g'};
  while (out.size() < bytes) {
    out += (m_random() & 1) ? "AC" : "SK";
    out += hex(31);
    out += k_separators[pick(k_separators.size())];
  }
  out.resize(bytes);
  return out;
}

std::string CorpusGenerator::near_miss_base64(std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 128);
  static constexpr std::array<std::string_view, 4> k_prefixes = {"QUM", "QUN", "U0s", "U0t"};
  while (out.size() < bytes) {
    out += k_prefixes[pick(k_prefixes.size())];
    out += base64ish(41 + pick(40));
    out += (m_random() & 1) ? "\n" : " ";
  }
  out.resize(bytes);
  return out;
}

std::string CorpusGenerator::near_miss_jwts(std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 256);
  testing::FakeGenerator fakes(m_random());
  const std::string other = fakes.credentials().other_jwt;
  while (out.size() < bytes) {
    switch (pick(3)) {
      case 0: out += other; break;
      case 1: out += "eyJ" + base64ish(8 + pick(30)) + ".eyJ"; break;
      default: out += "eyJeyJeyJ.eyJ"; break;
    }
    out += (m_random() & 1) ? "\n" : " ";
  }
  out.resize(bytes);
  return out;
}

std::string CorpusGenerator::near_miss_names(std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 128);
  static constexpr std::array<std::string_view, 6> k_names = {
      "auth_token", "TWILIO_AUTH_TOKEN", "apiSecret", "api_key_secret", "twilio-secret",
      "authToken"};
  while (out.size() < bytes) {
    out += k_names[pick(k_names.size())];
    switch (pick(4)) {
      case 0: out += " = \"" + hex(31) + "\"\n"; break;
      case 1: out += ": " + base64ish(44) + "\n"; break;
      case 2: out += "=${TOKEN}\n"; break;
      default: out += " value=\"" + std::string(32, 'x') + "\"\n"; break;
    }
  }
  out.resize(bytes);
  return out;
}

std::string CorpusGenerator::credential_soup(std::size_t bytes) {
  testing::FakeGenerator fakes(m_random());
  const testing::FakeCredentials c = fakes.credentials();
  static constexpr std::string_view k_names[] = {
      "auth_token", "TWILIO_AUTH_TOKEN", "authToken", "apiSecret", "api_key_secret",
      "TWILIO_API_SECRET", "twilio-secret", "twilioToken", "md5_auth_token", "stripe_api_secret",
      "client.auth.token", "TWILIO_API_KEY", "password", "value", "String"};
  static constexpr std::string_view k_glue[] = {
      " = ", ": ", "=", " => ", "\"", "'", ", ", "(", "\n", " ", "\t", ":", "${", " value=\"",
      "\n\n", "@", "-", "_", "."};
  std::string out;
  out.reserve(bytes + 512);
  while (out.size() < bytes) {
    switch (pick(16)) {
      case 0: out += k_names[pick(std::size(k_names))]; break;
      case 1: out += c.sid; break;
      case 2: out += c.token; break;
      case 3: out += c.sk_sid; break;
      case 4: out += c.secret; break;
      case 5: out += (m_random() & 1) ? c.jwt : c.other_jwt; break;
      case 6: out += (m_random() & 1) ? c.basic : c.sk_basic; break;
      case 7: out += c.b64_token; break;
      case 8: out += (m_random() & 1) ? c.hex40 : c.hex_upper; break;
      case 9: out += hex(16 + pick(40)); break;
      case 10: out += base64ish(8 + pick(60)); break;
      case 11: out += fakes.alnum(20 + pick(20)); break;
      case 12: out += "eyJ" + base64ish(pick(20)); break;
      case 13: out += (m_random() & 1) ? "QUM" : "U0s"; break;
      default: out += k_glue[pick(std::size(k_glue))]; break;
    }
    if (pick(4) == 0) out += k_glue[pick(std::size(k_glue))];
  }
  return out;
}

}  // namespace tg::bench
