#include "core/remediation.hpp"

#include <algorithm>

namespace tg {
namespace {

constexpr std::string_view k_auth_token =
    "Twilio Auth Token: rotate it now.\n"
    "  1. Twilio Console > Account > API keys & tokens > Auth tokens: request a secondary\n"
    "     Auth Token.\n"
    "  2. Deploy the secondary token everywhere the old one is used.\n"
    "  3. Promote the secondary token to primary. This invalidates the leaked token at once.\n";

constexpr std::string_view k_api_key =
    "Twilio API Key: delete it and create a new one.\n"
    "  1. Twilio Console > Account > API keys & tokens: delete the key whose SID is reported\n"
    "     (deleting it invalidates its secret and every Access Token it signed).\n"
    "  2. Create a new API key and deploy its secret from a secret store.\n";

constexpr std::string_view k_access_token =
    "Twilio Access Token: it stays valid until it expires.\n"
    "  1. Delete (revoke) the API Key that signed it (its SID is the token's `iss`) in\n"
    "     Twilio Console > Account > API keys & tokens, then create a new key.\n"
    "  2. Mint Access Tokens on your server, per session, with a short TTL; never commit one.\n";

constexpr std::string_view k_account_sid =
    "Twilio Account SID: not a secret by itself, but it names the account for whoever finds a\n"
    "  token. Load it from configuration like the token.\n";

constexpr std::string_view k_after_rotation =
    "Then, for every leaked credential:\n"
    "  - Review usage for the exposure window: Console > Monitor > Logs (messages, calls,\n"
    "    errors) and Usage; look for traffic to unexpected countries (SMS pumping).\n"
    "  - Set a usage trigger (Console > Usage > Triggers) to alert on or cap spend.\n"
    "  - Restrict Messaging and Voice geo permissions to the countries you serve.\n"
    "  - Load credentials from environment variables or a secret manager, never from source.\n";

constexpr std::string_view k_staged =
    "Take it out of what you commit:\n"
    "  - Replace the value with a lookup, e.g. os.environ[\"TWILIO_AUTH_TOKEN\"], and stage the\n"
    "    file again (git add -p), or unstage it: git restore --staged <file>.\n"
    "  - Rotating is still required if the value was ever pushed, shared or pasted.\n";

constexpr std::string_view k_commits =
    "Take it out of the commits before pushing again:\n"
    "  - Last commit only: edit the file, git add it, then git commit --amend.\n"
    "  - An older commit: git rebase -i <base>, mark the commit `edit`, fix, git commit --amend,\n"
    "    git rebase --continue.\n"
    "  - Many commits or whole history: git filter-repo --replace-text <file-of-values>\n"
    "    (then every clone must re-clone or reset; rotating remains mandatory).\n";

constexpr std::string_view k_false_positive =
    "Not a credential? Add the comment `twilio-guard:allow` on the same line (any comment\n"
    "syntax), or add its fingerprint to an allowlist with a reason. Both are audited.\n";

bool contains(std::span<const RuleId> rules, RuleId id) {
  return std::find(rules.begin(), rules.end(), id) != rules.end();
}

}  // namespace

std::string remediation_text(std::span<const RuleId> rules, RemediationStage stage) {
  std::string text;
  if (contains(rules, RuleId::auth_token)) text += k_auth_token;
  if (contains(rules, RuleId::api_key_secret) || contains(rules, RuleId::api_key_sid))
    text += k_api_key;
  if (contains(rules, RuleId::access_token)) text += k_access_token;
  if (contains(rules, RuleId::account_sid) && text.empty()) text += k_account_sid;
  text += k_after_rotation;
  text += stage == RemediationStage::staged ? k_staged : k_commits;
  text += k_false_positive;
  return text;
}

}  // namespace tg
