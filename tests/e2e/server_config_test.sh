#!/usr/bin/env bash
# Server settings through pre-receive: the bypass push option with and
# without the server's permission, the audit log, fail-open when configured
# (and said so), and the time budget.
source "$(dirname "$0")/lib.sh"

if ! config_files_supported; then
  skip_check "this build does not read configuration files yet"
  exit 0
fi

audit="$TEST_DIR/audit.jsonl"
strict="$(new_server strict "[server]
audit_log = \"$audit\"")"
lenient="$(new_server lenient "[server]
allow_bypass_option = true
audit_log = \"$audit\"")"
client="$TEST_DIR/client"
git init -q "$client"
cd "$client"
git remote add strict "$strict"
git remote add lenient "$lenient"
echo "# app" >README.md && git add README.md && git commit -qm initial
git push -q strict main && git push -q lenient main

token="$(fake_token)"
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >settings.py
git add settings.py && git commit -qm "test fixture"
leak="$(git rev-parse HEAD)"

# Without the server's permission the bypass option does not help.
expect_status nonzero "bypass not allowed" -- git push -o 'twilio-guard.bypass=fixture for tests' strict main
expect_output "says bypass is not allowed" "not allowed on this server"
expect_equal "nothing audited for a refused bypass" "0" "$( [[ -f "$audit" ]] && wc -l <"$audit" || echo 0)"

# A bypass needs a reason.
expect_status nonzero "bypass without a reason" -- git push -o 'twilio-guard.bypass' lenient main
expect_output "asks for a reason" "needs a reason"

# With permission it passes, says so and is audited.
export GL_USERNAME="alice"
expect_status 0 "bypass allowed" -- git push -o 'twilio-guard.bypass=fixture for tests' lenient main
expect_output "says it was bypassed" "let through by push option"
expect_equal "one audit line" "1" "$(wc -l <"$audit")"
line="$(cat "$audit")"
for field in '"pusher":"alice"' "\"commit\":\"$leak\"" '"path":"settings.py"' '"line":1' \
  '"rule":"twilio-auth-token"' '"kind":"push-option"' '"reason":"fixture for tests"' '"ref":"refs/heads/main"' \
  '"fingerprint":"' '"time":"' "\"repository\":\"$lenient\""; do
  if grep -qF -- "$field" <<<"$line"; then pass; else fail_check "audit line lacks $field: $line"; fi
done
if grep -qF -- "$token" "$audit"; then fail_check "audit log holds the credential"; else pass; fi

# The allow marker is audited too.
printf 'TWILIO_AUTH_TOKEN = "%s"  # twilio-guard:allow docs sample\n' "$(fake_token)" >doc.py
git add doc.py && git commit -qm "docs"
expect_status 0 "marker on the server" -- git push lenient main
expect_equal "marker audited" "2" "$(wc -l <"$audit")"
expect_output "marker line kind" "allowed by marker"
if tail -1 "$audit" | grep -qF '"kind":"marker"'; then pass; else fail_check "marker audit kind"; fi
unset GL_USERNAME

# Concurrent pushes append whole lines.
for i in 1 2 3 4 5 6; do
  git init -q --bare "$TEST_DIR/c$i.git"
  cp "$lenient/hooks/pre-receive" "$TEST_DIR/c$i.git/hooks/"
  git -C "$TEST_DIR/c$i.git" config receive.advertisePushOptions true
done
for i in 1 2 3 4 5 6; do
  git push -q -o "twilio-guard.bypass=parallel $i" "$TEST_DIR/c$i.git" main >/dev/null 2>&1 &
done
wait
expect_equal "every concurrent bypass audited" "$((2 + 12))" "$(wc -l <"$audit")"
if python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$audit" 2>/dev/null || ! command -v python3 >/dev/null; then
  pass
else
  fail_check "audit log lines are not whole JSON objects"
fi

# An internal error rejects by default, and passes when configured, saying so.
open_server="$(new_server open "[server]
on_error = \"open\"")"
zero="$(printf '0%.0s' $(seq 40))"
bogus="$(hex32)$(hex32 | cut -c1-8)"
expect_status nonzero "error closed" -- sh -c "cd '$strict' && echo '$zero $bogus refs/heads/x' | '$TG_BIN' pre-receive --config '$TEST_DIR/strict.toml'"
expect_output "closed names the cause" "$bogus"
expect_output "closed says so" "server.on_error = closed"
expect_status 0 "error open" -- sh -c "cd '$open_server' && echo '$zero $bogus refs/heads/x' | '$TG_BIN' pre-receive --config '$TEST_DIR/open.toml'"
expect_output "open says the push was accepted unscanned" "ACCEPTED without a complete scan"
expect_output "open names the setting" "server.on_error = open"

# An unreadable configuration always rejects.
expect_status nonzero "broken configuration" -- sh -c "cd '$strict' && echo '$zero $bogus refs/heads/x' | '$TG_BIN' pre-receive --config '$TEST_DIR/missing.toml'"
expect_output "broken configuration rejects" "push rejected"

# The time budget: a push too large for it is rejected (closed) or let
# through with a warning (open), and the output always says which.
# 3000 commits of fresh content (one awk process writes the whole history);
# the hook scans them in tens of milliseconds, so the budget is 1 ms, which
# loading the engine alone exceeds.
initial="$(git rev-list --max-parents=0 main)"
awk -v seed="$RANDOM" -v base="$initial" 'BEGIN {
  srand(seed)
  for (i = 1; i <= 3000; i++) {
    printf "commit refs/heads/big\ncommitter T <t@example.com> %d +0000\ndata <<EOM\nbig %d\nEOM\n", 1700000000 + i, i
    if (i == 1) printf "from %s\n", base
    printf "M 644 inline file%d.txt\ndata <<EOM\n", i % 500
    for (j = 1; j <= 8; j++) {
      line = ""
      for (k = 0; k < 32; k++) line = line sprintf("%x", int(rand() * 16))
      printf "line %d %d %s\n", i, j, line
    }
    printf "EOM\n"
  }
}' | git fast-import --quiet
slow_closed="$(new_server slow_closed "[server]
time_budget_ms = 1")"
slow_open="$(new_server slow_open "[server]
time_budget_ms = 1
on_timeout = \"open\"")"
git push -q "$slow_closed" "$initial:refs/heads/main" && git push -q "$slow_open" "$initial:refs/heads/main"
expect_status nonzero "time budget, closed" -- git push "$slow_closed" big
expect_output "closed timeout explained" "time budget"
expect_output "closed timeout setting" "server.on_timeout = closed"
expect_status 0 "time budget, open" -- git push "$slow_open" big
expect_output "open timeout warns" "ACCEPTED without a complete scan"
expect_output "open timeout setting" "server.on_timeout = open"

finish
