#!/usr/bin/env bash
# The pre-commit framework runs twilio-guard from this repository's
# .pre-commit-hooks.yaml (`pre-commit try-repo`, which uses the working
# tree's hooks file), with the built binary on PATH.
source "$(dirname "$0")/config_install_lib.sh"

if ! command -v pre-commit >/dev/null; then
  skip_check "the pre-commit framework is not installed (install/deps.sh installs it)"
  exit 77
fi
export PATH="$(dirname "$TG_BIN"):$PATH"
export PRE_COMMIT_HOME="$TEST_DIR/pre-commit-cache"

repo="$TEST_DIR/repo"
new_repo "$repo"
cd "$repo"
echo "hello" >hello.txt && git add hello.txt
expect_status 0 "clean files pass" -- pre-commit try-repo "$SOURCE_ROOT" twilio-guard
token="$(fake_token)"
write_credential_file settings.py "$token" && git add settings.py
expect_status 1 "credential fails the hook" -- pre-commit try-repo "$SOURCE_ROOT" twilio-guard
expect_output "hook named" "twilio-guard (Twilio credentials)"
expect_output "rule named" "twilio-auth-token"
expect_no_output "never the full value" "$token"

finish
