// JWT header decoding in the confirm stage. The input is a JWT header (JSON
// text, arbitrary bytes); the target wraps it into a token with a payload and
// a signature and scans a line holding it. The token must be reported as a
// Twilio Access Token exactly when the header is a JSON object whose "cty"
// is "twilio-fpa;v=1" and its base64url form is a header the engine reads
// (starts with "eyJ", at most 1024 characters).
#include "core/codec.hpp"
#include "core/pattern_db.hpp"
#include "core/scanner.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

namespace {

tg::Scanner& scanner() {
  static const std::unique_ptr<tg::PatternDatabase> database = [] {
    auto loaded = tg::PatternDatabase::load();
    FUZZ_CHECK(loaded.has_value());
    return std::make_unique<tg::PatternDatabase>(std::move(*loaded));
  }();
  static tg::Scanner instance = [] {
    auto created = tg::Scanner::create(*database);
    FUZZ_CHECK(created.has_value());
    return std::move(*created);
  }();
  return instance;
}

std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string header(reinterpret_cast<const char*>(data), size);
  const std::string encoded = base64url(header);
  const std::string token = encoded + "." + base64url(R"({"jti":"fuzz","sub":"fuzz"})") + "." +
                            base64url("a signature of thirty-two bytes!");
  const std::string line = "token = \"" + token + "\"\n";

  auto findings = scanner().scan(line);
  FUZZ_CHECK(findings.has_value());
  const bool found = std::any_of(findings->begin(), findings->end(), [](const tg::Finding& f) {
    return f.rule == tg::RuleId::access_token;
  });

  const auto decoded = tg::decode_base64url(encoded);
  FUZZ_CHECK(decoded.has_value() && *decoded == header);
  bool expected = encoded.starts_with("eyJ") && encoded.size() >= 11 && encoded.size() <= 1024;
  if (expected) {
    const nlohmann::json parsed = nlohmann::json::parse(header, nullptr, false);
    const bool object = parsed.is_object();
    const auto cty = object ? parsed.find("cty") : parsed.end();
    expected = object && cty != parsed.end() && cty->is_string() &&
               cty->get<std::string>() == "twilio-fpa;v=1";
  }
  FUZZ_CHECK(found == expected);
  return 0;
}
