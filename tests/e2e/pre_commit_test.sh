#!/usr/bin/env bash
# pre-commit through `git commit` with the hook installed: only staged
# content counts, and only what the commit introduces blocks.
source "$(dirname "$0")/lib.sh"

repo="$TEST_DIR/repo"
git init -q "$repo"
install_hook "$repo/.git" pre-commit
cd "$repo"
sid="$(fake_sid)"
token="$(fake_token)"

# First commit (no HEAD): a credential in it blocks.
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >settings.py
git add settings.py
expect_status 1 "first commit with a token" -- git commit -qm "first"
expect_output "first commit names the rule" "twilio-auth-token"
expect_output "first commit shows the redacted token" "$(redacted "$token")"
expect_no_output "first commit never prints the token" "$token"
expect_output "first commit headline" "commit blocked"
expect_status nonzero "nothing was committed" -- git rev-parse --verify -q HEAD

# A clean first commit passes.
printf 'TWILIO_AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]\n' >settings.py
git add settings.py
expect_status 0 "clean first commit" -- git commit -qm "first"

# Unstaged content does not count; staged content does.
printf 'auth_token = "%s"\naccount_sid = "%s"\n' "$token" "$sid" >config.py
expect_status 0 "unstaged credential is not scanned" -- git commit -q --allow-empty -m "empty"
echo 'x = 1' >clean.py
git add clean.py
expect_status 0 "staged clean file, dirty unstaged file" -- git commit -qm "clean"
git add config.py
echo 'y = 2' >config.py  # the work tree is clean again; the index is not
expect_status 1 "staged credential with a clean work tree" -- git commit -qm "dirty index"
expect_output "staged credential path" "config.py:1"
git reset -q config.py
rm config.py

# Partial staging: only the staged hunk counts.
printf 'a = 1\n%.0s' 1 >partial.py; for _ in $(seq 12); do echo >>partial.py; done; echo 'b = 2' >>partial.py
git add partial.py && git commit -qm "partial base"
{ printf 'a = 1\nTWILIO_AUTH_TOKEN = "%s"\n' "$token"; for _ in $(seq 11); do echo; done; echo 'b = 3'; } >partial.py
# Stage only the second hunk (b = 3).
printf 'n\ny\n' | git add -p partial.py >/dev/null 2>&1
expect_equal "partial staging staged only one hunk" "1" "$(git diff --cached --numstat | awk '{print $1}')"
expect_status 0 "unstaged hunk with a token does not block" -- git commit -qm "partial clean"
git add partial.py
expect_status 1 "staging the token hunk blocks" -- git commit -qm "partial dirty"
git reset -q --hard

# A credential already in HEAD does not block an unrelated edit, nor a rename.
printf 'TWILIO_AUTH_TOKEN = "%s"  # twilio-guard:allow legacy fixture\n' "$token" >legacy.py
git add legacy.py
expect_status 0 "allow marker lets a credential in" -- git commit -qm "legacy"
expect_output "allowed finding is shown" "allowed by marker"
# Remove the marker in a commit made without the hook, as history may hold.
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >legacy.py
git add legacy.py && git commit -qm "legacy without marker" --no-verify
printf 'TWILIO_AUTH_TOKEN = "%s"\nother = 1\n' "$token" >legacy.py
git add legacy.py
expect_status 0 "edit next to a credential HEAD already has" -- git commit -qm "edit legacy"
git mv legacy.py moved.py
expect_status 0 "rename of a committed credential" -- git commit -qm "rename"
git mv moved.py sub_moved.py && mkdir -p pkg && git mv sub_moved.py pkg/settings.py
printf 'other = 2\n' >>pkg/settings.py && git add pkg/settings.py
expect_status 0 "rename with an edit" -- git commit -qm "rename and edit"

# A token added next to an Account SID that HEAD already had blocks: the
# context comes from the whole staged file.
printf 'account_sid = "%s"\n' "$sid" >client.py
git add client.py && git commit -qm "sid only"
other_token="$(fake_token)"
printf 'account_sid = "%s"\nclient = Client(account_sid, "%s")\n' "$sid" "$other_token" >client.py
git add client.py
expect_status 1 "token next to an existing SID" -- git commit -qm "token"
expect_output "token next to SID is the token" "client.py:2"
expect_no_output "the SID HEAD had is not reported as blocking" "client.py:1:"
git reset -q --hard

# git commit -a uses a temporary index: the hook must read it.
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$other_token" >clean.py
expect_status 1 "commit -a with a token" -- git commit -qam "all"
# git commit PATH (only that path) uses another temporary index.
expect_status 1 "commit PATH with a token" -- git commit -qm "path" clean.py
git checkout -q -- clean.py

# Binary content is reported, not silently skipped; the commit passes.
printf 'bin\0ary TWILIO_AUTH_TOKEN="%s"\n' "$other_token" >blob.bin
git add blob.bin
expect_status 0 "binary file" -- git commit -qm "binary"
expect_output "binary file is reported" "binary, not scanned"

# A UTF-16 file is scanned as its text, and a token an edit adds to it is
# introduced: the earlier version is searched as text too.
utf16() { printf '\xff\xfe'; printf '%s' "$1" | iconv -f UTF-8 -t UTF-16LE; }
settings="$(for i in $(seq 40); do printf 'setting_%d = %d\r\n' "$i" "$((i * 7))"; done)"
utf16 "$settings" >wide.txt
git add wide.txt
expect_status 0 "clean UTF-16 file" -- git commit -qm "wide"
utf16 "$(printf '%s\r\nTWILIO_AUTH_TOKEN = "%s"\r\n%s' "${settings:0:300}" "$other_token" "${settings:300}")" >wide.txt
git add wide.txt
expect_status 1 "token added to a UTF-16 file" -- git commit -qm "wide token"
expect_output "the UTF-16 file's token is reported" "wide.txt:"
git reset -q --hard

# Nothing staged: exits at once and quietly.
expect_status 0 "nothing staged" -- "$TG_BIN" pre-commit
expect_equal "nothing staged is silent" "" "$OUT"

finish
