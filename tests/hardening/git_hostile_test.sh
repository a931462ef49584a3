#!/usr/bin/env bash
# The git hooks against hostile repositories and input: 100,000 files in one
# commit, a tree nested 1,000 levels deep, a shallow clone, a corrupt pack,
# malformed and truncated hook input, and 20 concurrent pushes into one
# repository. Every case must give the right verdict or fail closed with a
# message, never crash (no exit status from a signal), and no output may hold
# a planted credential or 8 consecutive characters of it.
source "$(dirname "$0")/../e2e/lib.sh"

token="$(fake_token)"
sid="$(fake_sid)"
ALL_OUTPUT="$TEST_DIR/all-output"
: >"$ALL_OUTPUT"
# Keep every output for the leak check at the end.
record() { printf '%s\n' "$OUT" >>"$ALL_OUTPUT"; }
expect_no_signal() {
  local what="$1" status="$2"
  if ((status < 128)); then pass; else fail_check "$what: ended by signal $((status - 128))"; fi
}
zero="0000000000000000000000000000000000000000"

server="$(new_server server)"
client="$TEST_DIR/client"
git clone -q "$server" "$client" 2>/dev/null
cd "$client"
echo "# app" >README.md && git add README.md && git commit -qm initial
expect_status 0 "initial push" -- git push -q origin main

# ---- 100,000 files in one commit ------------------------------------------
# Built with fast-import (no work tree): distinct blobs, one of them with a
# credential, deep in the list.
{
  echo "commit refs/heads/many"
  echo "committer Test <t@example.com> 1700000000 +0000"
  echo "data 5"
  echo "many"
  echo "from refs/heads/main"
  for ((i = 0; i < 100000; i++)); do
    if ((i == 87654)); then
      content="TWILIO_ACCOUNT_SID = \"$sid\"
TWILIO_AUTH_TOKEN = \"$token\""
    else
      content="value = $i"
    fi
    echo "M 100644 inline files/$((i / 1000))/f$i.txt"
    echo "data ${#content}"
    echo "$content"
  done
} | git fast-import --quiet
start=$SECONDS
expect_status nonzero "100,000 files: rejected" -- git push origin many
record
echo "100,000 files pushed and scanned in $((SECONDS - start)) s"
if grep -qF "time budget" <<<"$OUT"; then
  # A slow machine may exceed the default 4 s budget: rejected either way,
  # and the message must say it was the budget.
  expect_output "100,000 files: the budget is named" "server.on_timeout = closed"
else
  expect_output "100,000 files: the file is named" "files/87/f87654.txt:2"
  expect_output "100,000 files: the rule" "twilio-auth-token"
fi
expect_status 1 "100,000 files: ref not created" -- git -C "$server" rev-parse -q --verify refs/heads/many

# ---- a tree nested 1,000 levels deep ---------------------------------------
deep="$(printf 'd/%.0s' $(seq 1000))settings.py"
{
  echo "commit refs/heads/deep"
  echo "committer Test <t@example.com> 1700000000 +0000"
  echo "data 5"
  echo "deep"
  echo "from refs/heads/main"
  content="TWILIO_AUTH_TOKEN = \"$token\""
  echo "M 100644 inline $deep"
  echo "data ${#content}"
  echo "$content"
} | git fast-import --quiet
expect_status nonzero "1,000 levels: rejected" -- git push origin deep
record
expect_output "1,000 levels: the path is named" "d/d/d/d/"
expect_output "1,000 levels: the file" "settings.py:1"
expect_output "1,000 levels: the rule" "twilio-auth-token"

# ---- a shallow clone ---------------------------------------------------------
for i in 1 2 3; do echo "$i" >>README.md && git commit -qam "history $i"; done
git push -q origin main
shallow="$TEST_DIR/shallow"
git clone -q --depth 1 "file://$server" "$shallow" 2>/dev/null
expect_equal "the clone is shallow" "true" "$(git -C "$shallow" rev-parse --is-shallow-repository)"
(cd "$shallow" && printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >leak.py && git add leak.py && git commit -qm leak)
expect_status nonzero "shallow clone: credential rejected" -- git -C "$shallow" push origin main
record
expect_output "shallow clone: named" "leak.py:1"
(cd "$shallow" && git reset -q --hard HEAD~1 && echo ok >ok.txt && git add ok.txt && git commit -qm ok)
expect_status 0 "shallow clone: clean push accepted" -- git -C "$shallow" push -q origin main
record

# ---- malformed and truncated hook input ------------------------------------
tip="$(git -C "$server" rev-parse main)"
run_pre_receive() {  # INPUT-FILE: runs the hook by hand in the server
  set +e
  OUT="$(cd "$server" && "$TG_BIN" pre-receive <"$1" 2>&1)"
  STATUS=$?
  set -e
  record
}
inputs="$TEST_DIR/inputs"
mkdir -p "$inputs"
printf '%s %s' "$zero" "${tip:0:17}" >"$inputs/truncated-id"
printf '%s %s refs/heads/x' "$zero" "$tip" | head -c 60 >"$inputs/truncated-line"
printf '%s %s refs/heads/x\n%s' "$zero" "$tip" "$zero" >"$inputs/second-line-cut"
printf '%s %s refs/heads/\0evil\n' "$zero" "$tip" >"$inputs/nul-in-ref"
printf '%s %s refs/heads/x extra\n' "$zero" "$tip" >"$inputs/extra-field"
printf '%s  %s refs/heads/x\n' "$zero" "$tip" >"$inputs/double-space"
printf '\xff\xfe%s %s refs/heads/x\n' "$zero" "$tip" >"$inputs/binary-prefix"
head -c 5000000 /dev/zero | tr '\0' 'a' >"$inputs/one-huge-line"
printf 'G%.0s' $(seq 39) >"$inputs/not-hex"
for input in "$inputs"/*; do
  name="$(basename "$input")"
  run_pre_receive "$input"
  if ((STATUS != 0)); then pass; else fail_check "$name: accepted"; fi
  expect_no_signal "$name" "$STATUS"
  expect_output "$name: says why" "twilio-guard: error:"
  expect_output "$name: rejects" "push rejected"
done
# Empty input (nothing pushed) and blank lines are not errors.
: >"$inputs/../empty"
run_pre_receive "$inputs/../empty"
expect_equal "empty input accepted" "0" "$STATUS"

# ---- a corrupt pack --------------------------------------------------------
corrupt="$TEST_DIR/corrupt.git"
git clone -q --bare "$server" "$corrupt" 2>/dev/null
git -C "$corrupt" repack -adq
pack="$(ls "$corrupt"/objects/pack/*.pack)"
chmod u+w "$pack"
size="$(stat -c %s "$pack")"
# Overwrite the middle of the pack (object data, not the header).
head -c 512 /dev/urandom | dd of="$pack" bs=1 seek=$((size / 2)) conv=notrunc status=none
corrupt_tip="$(git -C "$corrupt" rev-parse main)"
set +e
OUT="$(cd "$corrupt" && printf '%s %s refs/heads/check\n' "$zero" "$corrupt_tip" | "$TG_BIN" pre-receive 2>&1)"
STATUS=$?
set -e
record
expect_no_signal "corrupt pack" "$STATUS"
if ((STATUS != 0)); then
  expect_output "corrupt pack: says why" "twilio-guard: error:"
  expect_output "corrupt pack: rejects" "push rejected"
else
  # The damage missed every object the push needs: then it must be a clean scan.
  expect_equal "corrupt pack: clean when readable" "0" "$STATUS"
fi

# ---- 20 concurrent pushes into one repository --------------------------------
# Half carry a credential (each a different one) and must be rejected, half are
# clean and must be accepted; each on its own branch.
cd "$TEST_DIR"
pids=()
for i in $(seq 1 20); do
  work="$TEST_DIR/par$i"
  git clone -q "$server" "$work" 2>/dev/null
  (
    cd "$work"
    git switch -q -c "branch$i"
    if ((i % 2 == 0)); then
      printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$(fake_token)" >"secret$i.py"
    else
      echo "clean $i" >"clean$i.txt"
    fi
    git add . && git commit -qm "push $i"
  )
done
for i in $(seq 1 20); do
  (
    set +e
    cd "$TEST_DIR/par$i"
    git push origin "branch$i" >"$TEST_DIR/par$i.out" 2>&1
    echo $? >"$TEST_DIR/par$i.status"
  ) &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
for i in $(seq 1 20); do
  status="$(cat "$TEST_DIR/par$i.status")"
  cat "$TEST_DIR/par$i.out" >>"$ALL_OUTPUT"
  if ((i % 2 == 0)); then
    if ((status != 0)) && grep -qF "secret$i.py:1" "$TEST_DIR/par$i.out"; then pass; else
      fail_check "concurrent push $i with a credential: status $status"; cat "$TEST_DIR/par$i.out" >&2; fi
    expect_status 1 "concurrent push $i: ref not created" -- git -C "$server" rev-parse -q --verify "refs/heads/branch$i"
  else
    if ((status == 0)); then pass; else fail_check "concurrent clean push $i: status $status"; cat "$TEST_DIR/par$i.out" >&2; fi
    expect_status 0 "concurrent push $i: ref created" -- git -C "$server" rev-parse -q --verify "refs/heads/branch$i"
  fi
done

# ---- 20 concurrent pushes with bypasses into one repository, one audit log ----
# Every push carries a credential; the even ones ask for the bypass and must
# pass, each leaving exactly one valid JSON line in the audit log; the odd
# ones must be rejected and leave none.
if config_files_supported; then
  audit="$TEST_DIR/audit.jsonl"
  bypass_server="$(new_server bypass "[server]
allow_bypass_option = true
audit_log = \"$audit\"")"
  git -C "$client" push -q "$bypass_server" main
  pids=()
  for i in $(seq 1 20); do
    work="$TEST_DIR/bp$i"
    git clone -q "$bypass_server" "$work" 2>/dev/null
    (cd "$work" && git switch -q -c "bp$i" && printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$(fake_token)" >"s$i.py" &&
      git add . && git commit -qm "bypass $i")
  done
  for i in $(seq 1 20); do
    (
      set +e
      cd "$TEST_DIR/bp$i"
      if ((i % 2 == 0)); then
        git push -o "twilio-guard.bypass=reason $i" origin "bp$i" >"$TEST_DIR/bp$i.out" 2>&1
      else
        git push origin "bp$i" >"$TEST_DIR/bp$i.out" 2>&1
      fi
      echo $? >"$TEST_DIR/bp$i.status"
    ) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  for i in $(seq 1 20); do
    status="$(cat "$TEST_DIR/bp$i.status")"
    cat "$TEST_DIR/bp$i.out" >>"$ALL_OUTPUT"
    if ((i % 2 == 0)); then
      expect_equal "bypass push $i accepted" "0" "$status"
      expect_status 0 "bypass push $i: ref created" -- git -C "$bypass_server" rev-parse -q --verify "refs/heads/bp$i"
    else
      if ((status != 0)); then pass; else fail_check "push $i without bypass accepted"; fi
      expect_status 1 "push $i: ref not created" -- git -C "$bypass_server" rev-parse -q --verify "refs/heads/bp$i"
    fi
  done
  expect_equal "one audit line per bypass" "10" "$(wc -l <"$audit")"
  if python3 - "$audit" <<'PY'
import json, sys
reasons = []
for line in open(sys.argv[1]):
    record = json.loads(line)
    assert record["kind"] == "push-option", record
    assert record["rule"] == "twilio-auth-token", record
    reasons.append(record["reason"])
assert sorted(reasons) == sorted(f"reason {i}" for i in range(2, 21, 2)), reasons
PY
  then pass; else fail_check "audit lines are not one valid JSON object per bypass"; fi
  cat "$audit" >>"$ALL_OUTPUT"

  # An audit log that cannot be written: the bypass does not pass.
  broken="$(new_server broken "[server]
allow_bypass_option = true
audit_log = \"$TEST_DIR/no-such-directory/audit.jsonl\"")"
  git -C "$client" push -q "$broken" main
  expect_status nonzero "unwritable audit log: rejected" -- git -C "$TEST_DIR/bp2" push -o "twilio-guard.bypass=reason" "$broken" bp2
  record
  expect_output "unwritable audit log: says so" "audit log"
  expect_output "unwritable audit log: fails closed" "push rejected"
  expect_status 1 "unwritable audit log: ref not created" -- git -C "$broken" rev-parse -q --verify refs/heads/bp2
else
  skip_check "configuration files are not supported by this build: no bypass or audit log to test"
fi

# ---- nothing leaked ---------------------------------------------------------
leaked=0
for secret in "$token"; do
  for ((i = 0; i + 8 <= ${#secret}; i++)); do
    if grep -qaF -- "${secret:i:8}" "$ALL_OUTPUT"; then leaked=1; fi
  done
done
if ((leaked == 0)); then pass; else fail_check "an output shows 8 or more characters of a credential"; fi

finish
