#include "core/rule.hpp"

#include <array>

namespace tg {
namespace {

// ---- twilio-account-sid ---------------------------------------------------
constexpr RuleExample k_sid_examples[] = {
    {"TWILIO_ACCOUNT_SID={SID}", "{SID}"},
    {"account_sid = '{SID}'", "{SID}"},
    {"POST https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json", "{SID}"},
    {"<add key=\"TwilioAccountSid\" value=\"{SID}\" />", "{SID}"},
    {"  accountSid: \"{SID}\",", "{SID}"},
};
constexpr std::string_view k_sid_negatives[] = {
    "TWILIO_ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "account_sid = 'AC00000000000000000000000000000000'",
    "sid = 'AC0123456789abcdef0123456789abcdef'",
    "phone_number_sid = 'PN{HEX32}'",
    "messaging_service_sid = 'MG{HEX32}'",
    "call = 'CA{HEX32}'",
    "longer = 'AC{HEX32}ff'",
    "prefixed = 'xAC{HEX32}'",
    "upper = 'AC{HEXUPPER}'",
};

// ---- twilio-auth-token ------------------------------------------------------
constexpr RuleExample k_token_examples[] = {
    // Python
    {"TWILIO_AUTH_TOKEN = \"{TOKEN}\"", "{TOKEN}"},
    {"client = Client(\"{SID}\", \"{TOKEN}\")", "{TOKEN}"},
    {"token = os.getenv(\"TWILIO_AUTH_TOKEN\", \"{TOKEN}\")", "{TOKEN}"},
    {"# auth_token = '{TOKEN}'  (old value, commented out)", "{TOKEN}"},
    // Node, TypeScript, minified bundles
    {"const authToken = '{TOKEN}';", "{TOKEN}"},
    {"const client = require('twilio')('{SID}', '{TOKEN}');", "{TOKEN}"},
    {"const twilioAuthToken: string = \"{TOKEN}\";", "{TOKEN}"},
    {"var a={accountSid:\"{SID}\",authToken:\"{TOKEN}\"},b=function(){return a};", "{TOKEN}"},
    // C#, Java, Kotlin
    {"TwilioClient.Init(\"{SID}\", \"{TOKEN}\");", "{TOKEN}"},
    {"const string authToken = \"{TOKEN}\";", "{TOKEN}"},
    {"public static final String AUTH_TOKEN = \"{TOKEN}\";", "{TOKEN}"},
    {"val authToken: String = \"{TOKEN}\"", "{TOKEN}"},
    {"<add key=\"TwilioAuthToken\" value=\"{TOKEN}\" />", "{TOKEN}"},
    // PHP, Ruby, Go, Rust
    {"$sid = \"{SID}\";\n$token = \"{TOKEN}\";", "{TOKEN}"},
    {"$twilio = new Client('{SID}', '{TOKEN}');", "{TOKEN}"},
    {"@client = Twilio::REST::Client.new('{SID}', '{TOKEN}')", "{TOKEN}"},
    {"config.auth_token = '{TOKEN}'", "{TOKEN}"},
    {"authToken := \"{TOKEN}\"", "{TOKEN}"},
    {"client := twilio.NewRestClientWithParams(twilio.ClientParams{\n\tUsername: \"{SID}\",\n\tPassword: "
     "\"{TOKEN}\",\n})",
     "{TOKEN}"},
    {"let auth_token = \"{TOKEN}\";", "{TOKEN}"},
    // Shell, curl, URLs, Basic auth
    {"export TWILIO_AUTH_TOKEN={TOKEN}", "{TOKEN}"},
    {"curl -X POST https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json -u {SID}:{TOKEN}",
     "{TOKEN}"},
    {"url = \"https://{SID}:{TOKEN}@api.twilio.com/2010-04-01/Accounts\"", "{TOKEN}"},
    {"Authorization: Basic {BASIC}", "{BASIC}"},
    // .env, YAML, JSON, INI, properties, Terraform, Kubernetes
    {"TWILIO_ACCOUNT_SID={SID}\nTWILIO_AUTH_TOKEN={TOKEN}\n", "{TOKEN}"},
    {"twilio:\n  account_sid: {SID}\n  auth_token: {TOKEN}\n", "{TOKEN}"},
    {"{\"accountSid\": \"{SID}\", \"authToken\": \"{TOKEN}\"}", "{TOKEN}"},
    {"[twilio]\nauth_token = {TOKEN}\n", "{TOKEN}"},
    {"twilio.auth.token={TOKEN}", "{TOKEN}"},
    {"provider \"twilio\" {\n  username = \"{SID}\"\n  password = \"{TOKEN}\"\n}", "{TOKEN}"},
    {"data:\n  TWILIO_AUTH_TOKEN: {B64TOKEN}\n", "{B64TOKEN}"},
    {"data:\n  credentials: {BASIC}\n", "{BASIC}"},
    // Jupyter notebook source lines (JSON-escaped quotes)
    {"    \"auth_token = \\\"{TOKEN}\\\"\\n\",", "{TOKEN}"},
    // SQL, Dockerfile, CRLF, prose
    {"INSERT INTO settings (name, value) VALUES ('twilio_auth_token', '{TOKEN}');", "{TOKEN}"},
    {"ENV TWILIO_AUTH_TOKEN {TOKEN}", "{TOKEN}"},
    {"ENV TWILIO_AUTH_TOKEN={TOKEN}", "{TOKEN}"},
    {"TWILIO_ACCOUNT_SID={SID}\r\nTWILIO_AUTH_TOKEN={TOKEN}\r\n", "{TOKEN}"},
    {"Your Twilio Auth Token: {TOKEN}", "{TOKEN}"},
};
constexpr std::string_view k_token_negatives[] = {
    "auth_token = os.environ[\"TWILIO_AUTH_TOKEN\"]",
    "TWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}",
    "const authToken = process.env.TWILIO_AUTH_TOKEN;",
    "token = os.getenv(\"TWILIO_AUTH_TOKEN\")",
    "TWILIO_AUTH_TOKEN=your_auth_token",
    "auth_token = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
    "auth_token = \"00000000000000000000000000000000\"",
    "auth_token = \"0123456789abcdef0123456789abcdef\"",
    "auth_token = \"deadbeefdeadbeefdeadbeefdeadbeef\"",
    "auth_token = \"{TOKEN}0f3a\"",
    "auth_token = \"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f\"",
    "md5 = \"{TOKEN}\"",
    "{\"version\": \"1.2.3\", \"resolved\": \"https://registry.example/x.tgz\", \"shasum\": \"{TOKEN}\"}",
    "account_sid = \"{SID}\"\netag = \"{TOKEN}\"",
    "{\"sid\": \"{SID}\", \"md5\": \"{TOKEN}\", \"request_id\": \"{HEX32}\"}",
    "TWILIO_ACCOUNT_SID={SID}\ncommit {HEX40}",
    "twilio_sid = \"{SID}\"\nstripe_auth_token = \"{TOKEN}\"",
    "auth_token_sha256 = \"{TOKEN}\"",
    "account_sid = \"{SID}\"\nvalue = \"x{TOKEN}\"",
    "The auth token is kept in the vault: {HEX40}",
    "oauth_token = \"{TOKEN}\"",
    "const githubOauthToken = '{TOKEN}';",
};

// ---- twilio-api-key-sid -----------------------------------------------------
constexpr RuleExample k_sk_examples[] = {
    {"TWILIO_API_KEY={SKSID}", "{SKSID}"},
    {"api_key_sid: \"{SKSID}\"", "{SKSID}"},
    {"client = Client(\"{SKSID}\", os.environ[\"TWILIO_API_SECRET\"], \"{SID}\")", "{SKSID}"},
};
constexpr std::string_view k_sk_negatives[] = {
    "TWILIO_API_KEY=SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "TWILIO_API_KEY=SK00000000000000000000000000000000",
    "key = 'ASK{HEX32}'",
    "key = 'SK{HEX32}0'",
};

// ---- twilio-api-key-secret --------------------------------------------------
constexpr RuleExample k_secret_examples[] = {
    {"TWILIO_API_SECRET={SECRET}", "{SECRET}"},
    {"const apiSecret = \"{SECRET}\";", "{SECRET}"},
    {"api_key_secret: {SECRET}", "{SECRET}"},
    {"client = Client(\"{SKSID}\", \"{SECRET}\", \"{SID}\")", "{SECRET}"},
    {"const client = new Twilio(\"{SKSID}\", \"{SECRET}\", { accountSid: \"{SID}\" });", "{SECRET}"},
    {"TwilioClient.Init(\"{SKSID}\", \"{SECRET}\", \"{SID}\");", "{SECRET}"},
    {"curl https://api.twilio.com/2010-04-01/Accounts/{SID}/Calls.json -u {SKSID}:{SECRET}", "{SECRET}"},
    {"TWILIO_API_KEY={SKSID}\nTWILIO_API_KEY_PASSWORD={SECRET}\n", "{SECRET}"},
    {"Authorization: Basic {SKBASIC}", "{SKBASIC}"},
    {"twilio:\n  api_key: {SKSID}\n  api_secret: \"{SECRET}\"\n", "{SECRET}"},
};
constexpr std::string_view k_secret_negatives[] = {
    "api_secret = \"your_api_secret_here\"",
    "apiSecret = process.env.TWILIO_API_SECRET",
    "api_secret = \"abcdefghijklmnopqrstuvwxyzABCDEF\"",
    "api_secret = \"YourTwilioApiSecretGoesHere12345\"",
    "STRIPE_API_SECRET={SECRET}",
    "api_secret = \"{SECRET}x9\"",
    "value = \"{SECRET}\"",
    "rapi_secret = \"{SECRET}\"",
};

// ---- twilio-access-token ----------------------------------------------------
constexpr RuleExample k_jwt_examples[] = {
    {"token = \"{JWT}\"", "{JWT}"},
    {"Authorization: Bearer {JWT}", "{JWT}"},
    {"device.setup('{JWT}', { debug: true });", "{JWT}"},
};
constexpr std::string_view k_jwt_negatives[] = {
    "token = \"{OTHERJWT}\"",
    "header = \"eyJhbGciOiJIUzI1NiJ9\"",
};

constexpr std::array<Rule, k_rule_count> k_rules = {{
    {RuleId::account_sid, "twilio-account-sid", "Twilio Account SID", Severity::info, false,
     "An Account SID identifies a Twilio account. It is not a secret, but it tells an attacker "
     "which account a leaked token belongs to.",
     k_sid_examples, k_sid_negatives},
    {RuleId::auth_token, "twilio-auth-token", "Twilio Auth Token", Severity::critical, true,
     "An Auth Token gives full control of a Twilio account: sending messages and calls, "
     "reading logs, creating API keys.",
     k_token_examples, k_token_negatives},
    {RuleId::api_key_sid, "twilio-api-key-sid", "Twilio API Key SID", Severity::low, false,
     "An API Key SID names an API key; with its secret it authenticates to the Twilio API.",
     k_sk_examples, k_sk_negatives},
    {RuleId::api_key_secret, "twilio-api-key-secret", "Twilio API Key Secret", Severity::critical,
     true, "An API Key Secret, with its SID, authenticates to the Twilio REST API.",
     k_secret_examples, k_secret_negatives},
    {RuleId::access_token, "twilio-access-token", "Twilio Access Token", Severity::high, true,
     "An Access Token (JWT) signed with an API Key grants client access to Voice, Video, "
     "Conversations or Sync until it expires.",
     k_jwt_examples, k_jwt_negatives},
}};

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "unknown";
}

std::span<const Rule> all_rules() { return k_rules; }

const Rule& rule(RuleId id) { return k_rules[static_cast<std::size_t>(id)]; }

const Rule* find_rule(std::string_view name) {
  for (const Rule& candidate : k_rules) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

}  // namespace tg
