#include "tests/support/fake_credentials.hpp"

#include "core/validators.hpp"

#include <openssl/evp.h>

#include <array>
#include <utility>

namespace tg::testing {

std::string FakeGenerator::hex(std::size_t length) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out.push_back(k_digits[m_random() % 16]);
  return out;
}

std::string FakeGenerator::alnum(std::size_t length) {
  static constexpr char k_chars[] =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out.push_back(k_chars[m_random() % 62]);
  return out;
}

std::string FakeGenerator::plausible_hex32() {
  while (true) {
    std::string value = hex(32);
    if (is_plausible_hex_secret(value)) return value;
  }
}

std::string FakeGenerator::plausible_secret() {
  while (true) {
    std::string value = alnum(32);
    if (is_plausible_alnum_secret(value)) return value;
  }
}

std::string base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(data.data()),
                                     static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

std::string base64url(std::string_view data) {
  std::string out = base64(data);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

FakeCredentials FakeGenerator::credentials() {
  FakeCredentials fakes;
  fakes.sid = "AC" + plausible_hex32();
  fakes.token = plausible_hex32();
  fakes.sk_sid = "SK" + plausible_hex32();
  fakes.secret = plausible_secret();
  const std::string payload = "{\"jti\":\"" + fakes.sk_sid + "-1700000000\",\"iss\":\"" +
                              fakes.sk_sid + "\",\"sub\":\"" + fakes.sid +
                              "\",\"exp\":1700003600,\"grants\":{\"identity\":\"alice\"}}";
  const std::string signature = base64url(alnum(32));
  fakes.jwt = base64url("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"twilio-fpa;v=1\"}") + "." +
              base64url(payload) + "." + signature;
  fakes.other_jwt = base64url("{\"typ\":\"JWT\",\"alg\":\"HS256\"}") + "." +
                    base64url("{\"sub\":\"1234567890\",\"name\":\"Alice\"}") + "." + signature;
  fakes.basic = base64(fakes.sid + ":" + fakes.token);
  fakes.sk_basic = base64(fakes.sk_sid + ":" + fakes.secret);
  fakes.b64_token = base64(fakes.token);
  fakes.hex32 = plausible_hex32();
  fakes.hex40 = hex(40);
  fakes.hex_upper = plausible_hex32();
  for (char& c : fakes.hex_upper) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return fakes;
}

std::string placeholder_value(std::string_view placeholder, const FakeCredentials& fakes) {
  const std::array<std::pair<std::string_view, const std::string*>, 12> table = {{
      {"{SID}", &fakes.sid},
      {"{TOKEN}", &fakes.token},
      {"{SKSID}", &fakes.sk_sid},
      {"{SECRET}", &fakes.secret},
      {"{JWT}", &fakes.jwt},
      {"{OTHERJWT}", &fakes.other_jwt},
      {"{BASIC}", &fakes.basic},
      {"{SKBASIC}", &fakes.sk_basic},
      {"{B64TOKEN}", &fakes.b64_token},
      {"{HEX32}", &fakes.hex32},
      {"{HEX40}", &fakes.hex40},
      {"{HEXUPPER}", &fakes.hex_upper},
  }};
  for (const auto& [name, value] : table) {
    if (name == placeholder) return *value;
  }
  return std::string(placeholder);
}

std::string expand(std::string_view text, const FakeCredentials& fakes) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view name = text.substr(open, close - open + 1);
    const std::string value = placeholder_value(name, fakes);
    out.append(text.substr(pos, open - pos));
    if (value == name) {
      out.push_back('{');
      pos = open + 1;
      continue;
    }
    out += value;
    pos = close + 1;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace tg::testing
