#!/usr/bin/env bash
# Configuration through the binary: `config` shows origins, `config --check`
# validates, errors name file, line and key with exit 2, the layers apply,
# and the system file's enforced keys cannot be relaxed.
source "$(dirname "$0")/config_install_lib.sh"

repo="$TEST_DIR/repo"
new_repo "$repo"
cd "$repo"

# Defaults, and where they came from.
expect_status 0 "config with no files" -- "$TG_BIN" config
expect_output "default origin" 'rules.twilio-auth-token.blocking = true  # default'
expect_output "names the system file" "$TWILIO_GUARD_SYSTEM_CONFIG"

# Each layer, and the origin of each value.
cat >"$TWILIO_GUARD_SYSTEM_CONFIG" <<'TOML'
enforce = ["rules.twilio-account-sid.blocking"]
[rules.twilio-account-sid]
blocking = true
TOML
mkdir -p "$XDG_CONFIG_HOME/twilio-guard"
printf '[output]\ncolor = "never"\n' >"$XDG_CONFIG_HOME/twilio-guard/config.toml"
printf '[output]\nremediation = "Ask #security for help."\n' >.twilio-guard.toml
expect_status 0 "config with every layer" -- "$TG_BIN" config
expect_output "system origin" "rules.twilio-account-sid.blocking = true  # $TWILIO_GUARD_SYSTEM_CONFIG:3, enforced"
expect_output "user origin" "output.color = \"never\"  # $XDG_CONFIG_HOME/twilio-guard/config.toml:2"
expect_output "repository origin" "output.remediation = \"Ask #security for help.\"  # $repo/.twilio-guard.toml:2"
printf 'output.format = "json"\n' >"$TEST_DIR/extra.toml"
expect_status 0 "config --config" -- "$TG_BIN" config --config "$TEST_DIR/extra.toml"
expect_output "explicit origin" "output.format = \"json\"  # $TEST_DIR/extra.toml:1"
# The printed configuration is itself valid configuration.
"$TG_BIN" config >"$TEST_DIR/effective.toml"
expect_status 0 "printed configuration checks" -- "$TG_BIN" config --check "$TEST_DIR/effective.toml"

# An enforced key relaxed by the repository: exit 2, file:line:column: key.
printf '[rules.twilio-account-sid]\nblocking = false\n' >.twilio-guard.toml
expect_status 2 "relaxing an enforced key" -- "$TG_BIN" config
expect_output "names file, line and key" "$repo/.twilio-guard.toml:2:1: rules.twilio-account-sid.blocking: enforced by the system configuration ($TWILIO_GUARD_SYSTEM_CONFIG:1)"
expect_output "error prefix" "twilio-guard: error:"
printf '[rules.twilio-account-sid]\nblocking = false\n' >"$XDG_CONFIG_HOME/twilio-guard/config.toml"
rm .twilio-guard.toml
expect_status 2 "relaxing it in the user file" -- "$TG_BIN" config
expect_output "user file named" "$XDG_CONFIG_HOME/twilio-guard/config.toml:2:1: rules.twilio-account-sid.blocking"
rm "$XDG_CONFIG_HOME/twilio-guard/config.toml"

# The scanner obeys it: a bare Account SID now blocks.
sid="$(fake_sid)"
printf 'ACCOUNT = "%s"\n' "$sid" >account.py
expect_status 1 "enforced blocking applies to scan" -- "$TG_BIN" scan account.py
expect_no_output "never the full SID" "$sid"
rm "$TWILIO_GUARD_SYSTEM_CONFIG"
expect_status 0 "without it a bare SID does not block" -- "$TG_BIN" scan account.py

# Path allowlists and errors through --config.
token="$(fake_token)"
mkdir -p docs/examples
write_credential_file docs/examples/settings.py "$token"
expect_status 1 "credential blocks" -- "$TG_BIN" scan docs
cat >"$TEST_DIR/allow.toml" <<'TOML'
[[allow.paths]]
pattern = "docs/**/*.py"
reason = "documentation samples use published test credentials"
TOML
expect_status 0 "path allowlist" -- "$TG_BIN" scan --config "$TEST_DIR/allow.toml" docs/examples/settings.py

# --check: ok, then each kind of error with file:line:column: key and exit 2.
expect_status 0 "check a valid file" -- "$TG_BIN" config --check "$TEST_DIR/allow.toml"
expect_output "says ok" "$TEST_DIR/allow.toml: ok"
check_error() {
  local what="$1" text="$2" expected="$3"
  printf '%s' "$text" >"$TEST_DIR/bad.toml"
  expect_status 2 "$what" -- "$TG_BIN" config --check "$TEST_DIR/bad.toml"
  expect_output "$what: message" "twilio-guard: error: $TEST_DIR/bad.toml:$expected"
}
check_error "unknown key" $'[scan]\nmax_size = 1\n' "2:1: scan.max_size: unknown key"
check_error "wrong type" $'[output]\n\ncolor = true\n' "3:9: output.color: expected a string, found a boolean"
check_error "bad value" $'[rules.twilio-auth-token]\nseverity = "extreme"\n' "2:12: rules.twilio-auth-token.severity: \"extreme\" is not one of"
check_error "missing reason" $'[[allow.fingerprints]]\nfingerprint = "0123456789abcdef"\n' "1:1: allow.fingerprints: entry without reason"
check_error "unknown rule" $'[rules.twilio-token]\nenabled = false\n' "1:8: rules.twilio-token: unknown key"
check_error "syntax" $'[output\n' "1:8:"
# The same errors stop a scan (exit 2), so nothing is silently ignored.
printf '[scan]\nmax_size = 1\n' >.twilio-guard.toml
expect_status 2 "repository file error stops scan" -- "$TG_BIN" config
expect_output "names the repository file" "$repo/.twilio-guard.toml:2:1: scan.max_size: unknown key"
rm .twilio-guard.toml
expect_status 2 "missing --config file" -- "$TG_BIN" scan --config "$TEST_DIR/absent.toml" README.md
expect_output "names it" "$TEST_DIR/absent.toml: no such file"

# The example configuration shipped with the project is valid.
example="$SOURCE_ROOT/config/example.toml"
if [[ -f "$example" ]]; then
  expect_status 0 "example configuration checks" -- "$TG_BIN" config --check "$example"
else
  fail_check "config/example.toml is missing"
fi

finish
