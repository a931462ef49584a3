#!/usr/bin/env bash
# `twilio-guard scan --git`: each credential once, at the commit that
# introduced it, with commit, author and date in every format.
source "$(dirname "$0")/lib.sh"

repo="$TEST_DIR/repo"
new_repo "$repo"
cd "$repo"
token="$(fake_token)"
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >settings.py
git add settings.py
GIT_AUTHOR_NAME="Leaky Author" GIT_AUTHOR_DATE="2026-01-02T03:04:05+01:00" git commit -qm "add settings"
introduced="$(git rev-parse HEAD)"
echo "x = 1" >>settings.py && git commit -qam "edit settings"
git mv settings.py config.py && git commit -qm "rename"
git switch -q -c side
echo "side" >side.txt && git add side.txt && git commit -qm side
git switch -q main

expect_status 1 "history with a credential" -- "$TG_BIN" scan --git
expect_output "introducing commit" "${introduced:0:12}"
expect_output "author" "Leaky Author <author@example.com>"
expect_output "date" "2026-01-02T03:04:05+01:00"
expect_equal "reported once" "1" "$(grep -c "twilio-auth-token .*critical" <<<"$OUT")"

expect_status 1 "json" -- "$TG_BIN" scan --git --format json --repo "$repo" --all
json_out="$OUT"
expect_output "json commit" "\"commit\": \"$introduced\""
expect_output "json author" "\"author\": \"Leaky Author <author@example.com>\""
expect_output "json date" "\"date\": \"2026-01-02T03:04:05+01:00\""
expect_equal "json reported once" "1" "$(grep -c '"rule": "twilio-auth-token"' <<<"$json_out")"

expect_status 1 "sarif" -- "$TG_BIN" scan --git --format sarif
expect_output "sarif commit" "$introduced"

# A range that starts after the credential was introduced finds nothing new.
expect_status 0 "range after the leak" -- "$TG_BIN" scan --git "$introduced..main"
expect_output "clean summary" "none blocking"
expect_status 1 "single rev: its whole history" -- "$TG_BIN" scan --git side
expect_status 2 "unknown revision" -- "$TG_BIN" scan --git no-such-rev
expect_output "unknown revision named" "no-such-rev"
expect_status 2 "--all without --git" -- "$TG_BIN" scan --all

finish
