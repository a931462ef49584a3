#!/usr/bin/env bash
# pre-push through `git push` with the hook installed in the clone: only the
# commits the remote lacks are scanned; deletions pass.
source "$(dirname "$0")/lib.sh"

server="$TEST_DIR/server.git"
git init -q --bare "$server"
client="$TEST_DIR/client"
git clone -q "$server" "$client" 2>/dev/null
cd "$client"
token="$(fake_token)"

# History pushed before the hook was installed holds a credential.
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >old.py
git add old.py && git commit -qm "old leak"
git push -q origin main
install_hook "$client/.git" pre-push

# A clean commit on top: the old credential is not re-scanned.
echo "clean" >clean.txt && git add clean.txt && git commit -qm "clean"
expect_status 0 "clean commit on top of pushed history" -- git push -q origin main
# A new branch of commits the remote has: nothing to send, nothing blocks.
git branch -q copy
expect_status 0 "new branch of pushed commits" -- git push -q origin copy

# A credential in a commit to be pushed blocks, naming commit and ref.
printf 'auth_token = "%s"\naccount = "AC%s"\n' "$(fake_token)" "$(hex32)" >new.py
git add new.py && git commit -qm "new leak"
leak="$(git rev-parse HEAD)"
echo "after" >>clean.txt && git commit -qam "after"
expect_status nonzero "push of a dirty commit" -- git push origin main
expect_output "headline" "push blocked"
expect_output "commit named" "${leak:0:12}"
expect_output "path named" "new.py:1"
expect_output "remediation for commits" "git rebase -i"
expect_equal "the remote did not move" "$(git rev-parse origin/main)" "$(git -C "$server" rev-parse main)"

# New branch with the dirty commit: blocked too (the remote lacks it).
git switch -q -c topic
expect_status nonzero "new branch with a dirty commit" -- git push origin topic

# Rewriting the commit away lets the push through.
git switch -q main
git reset -q --hard origin/main
echo "fixed" >fixed.txt && git add fixed.txt && git commit -qm fixed
expect_status 0 "clean push after rewrite" -- git push -q origin main

# Deletion passes.
expect_status 0 "branch deletion" -- git push -q origin --delete copy

# Pushing to a URL (no remote-tracking refs) still works.
expect_status 0 "push to a URL" -- git push -q "$server" main:refs/heads/by-url

# Malformed input is an error, never an empty push.
expect_status 3 "malformed pre-push input" -- sh -c "echo 'garbage' | '$TG_BIN' pre-push origin '$server'"
expect_output "malformed named" "malformed hook input"

finish
