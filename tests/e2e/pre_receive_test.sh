#!/usr/bin/env bash
# pre-receive through `git push` into local bare repositories: every shape of
# push, objects in the quarantine, several refs, fail-closed behaviour.
source "$(dirname "$0")/lib.sh"

server="$(new_server server)"
client="$TEST_DIR/client"
git clone -q "$server" "$client" 2>/dev/null
cd "$client"
sid="$(fake_sid)"
token="$(fake_token)"
refs_of() { git -C "$server" for-each-ref --format='%(refname) %(objectname)' | sort; }

# A clean first push (a new branch into an empty repository) is accepted.
echo "# app" >README.md && git add README.md && git commit -qm "initial"
expect_status 0 "clean first push" -- git push -q origin main

# A new branch with a credential is rejected; the pusher sees remote: lines
# with the short commit id, path, line, type, redacted value, remediation.
git switch -q -c feature
printf 'import os\nTWILIO_AUTH_TOKEN = "%s"\n' "$token" >settings.py
git add settings.py && git commit -qm "add settings"
dirty_commit="$(git rev-parse HEAD)"
echo "more" >>README.md && git commit -qam "later clean commit"
expect_status nonzero "dirty new branch" -- git push origin feature
expect_output "remote prefix" "remote: "
expect_output "short commit id" "${dirty_commit:0:12}"
expect_output "path and line" "settings.py:2"
expect_output "credential type" "twilio-auth-token"
expect_output "redacted value" "$(redacted "$token")"
expect_no_output "never the full value" "$token"
expect_output "ref named" "refs/heads/feature"
expect_output "headline" "push rejected"
expect_output "remediation: rebase" "git rebase -i"
expect_output "remediation: amend" "git commit --amend"
expect_output "remediation: filter-repo" "git filter-repo"
expect_output "remediation: false positive" "twilio-guard:allow"
expect_status 1 "rejected branch did not land" -- git -C "$server" rev-parse -q --verify refs/heads/feature

# Added then removed within one push: still rejected, naming the adding commit.
git rm -q settings.py && git commit -qm "remove settings"
expect_status nonzero "added then removed" -- git push origin feature
expect_output "names the commit that added it" "${dirty_commit:0:12}"

# A force push that rewrites the credential away is accepted.
git reset -q --hard main
echo 'TWILIO_AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]' >settings.py
git add settings.py && git commit -qm "settings from the environment"
expect_status 0 "rewritten branch" -- git push -q --force origin feature
git switch -q main
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >leak.py
git add leak.py && git commit -qm "leak on main"
expect_status nonzero "fast-forward with a credential" -- git push origin main
git rm -q leak.py && echo "fixed" >fixed.txt && git add fixed.txt && git commit -q --amend -m "no leak"
expect_status 0 "force push after rewriting" -- git push -q --force origin main

# Branch deletion passes.
expect_status 0 "branch deletion" -- git push -q origin --delete feature
expect_status 1 "branch deleted" -- git -C "$server" rev-parse -q --verify refs/heads/feature

# A new branch whose commits the server already has is accepted, even when
# that history predates the hook (nothing new is introduced).
mv "$server/hooks/pre-receive" "$server/hooks/pre-receive.off"
git switch -q -c legacy
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >legacy.py
git add legacy.py && git commit -qm "legacy leak"
git push -q origin legacy
mv "$server/hooks/pre-receive.off" "$server/hooks/pre-receive"
git branch -q legacy-copy legacy
expect_status 0 "new branch of known commits" -- git push -q origin legacy-copy
# ... and a commit on top that does not touch the credential passes too.
echo "note" >notes.txt && git add notes.txt && git commit -qm "notes"
expect_status 0 "clean commit on top of an old credential" -- git push -q origin legacy
# ... and a rename of the old credential is not new either.
git mv legacy.py renamed_legacy.py && git commit -qm "rename"
expect_status 0 "rename of an old credential" -- git push -q origin legacy
# ... and a copy of it at a new path brings no new blob: the hook scans what
# a push brings, so the server's own copy is not scanned again ...
cp renamed_legacy.py copied_legacy.py && git add copied_legacy.py && git commit -qm "copy"
expect_status 0 "copy of a blob the server already has" -- git push -q origin legacy
# ... unless server.scan_known_objects walks every new commit's trees.
walker="$(new_server walker "[server]
scan_known_objects = true")"
mv "$walker/hooks/pre-receive" "$walker/hooks/pre-receive.off"
git push -q "$walker" legacy~1:refs/heads/legacy
mv "$walker/hooks/pre-receive.off" "$walker/hooks/pre-receive"
expect_status nonzero "copy rejected with scan_known_objects" -- git push "$walker" legacy
expect_output "copy named" "copied_legacy.py"
# With every push kept as a pack (receive.unpackLimit), the walk reads a new
# blob from the quarantine's pack, where the server's own packs do not have it.
git -C "$walker" config receive.unpackLimit 1
git branch -q quarantined main
git switch -q quarantined
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$(fake_token)" >quarantined.py
git add quarantined.py && git commit -qm "quarantined leak"
expect_status nonzero "new blob in the quarantine's pack rejected" -- git push "$walker" quarantined
expect_output "its path named" "quarantined.py:1"
expect_status 0 "nothing stored" -- test -z "$(git -C "$walker" rev-parse -q --verify refs/heads/quarantined)"
# A binary file among clean ones: its notice names the path.
git switch -q main
printf 'PNG\0\1\2' >logo.png && git add logo.png && git commit -qm "logo"
expect_status 0 "binary file" -- git push origin main
expect_output "binary notice names the path" "logo.png: binary, not scanned"

# Evil merge: the merge resolution introduces content neither parent had.
git switch -q main
git switch -q -c left && echo "left" >left.txt && git add left.txt && git commit -qm left
git switch -q main
git switch -q -c right && echo "right" >right.txt && git add right.txt && git commit -qm right
git push -q origin left right
git merge -q --no-commit --no-ff left 2>/dev/null || true
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$(fake_token)" >>right.txt
git add right.txt
git commit -qm "merge left into right"
evil="$(git rev-parse HEAD)"
expect_status nonzero "evil merge" -- git push origin right
expect_output "evil merge commit named" "${evil:0:12}"
expect_output "evil merge path" "right.txt:2"
git reset -q --hard right@{1}
git merge -q --no-ff -m "honest merge" left
expect_status 0 "honest merge" -- git push -q origin right

# A credential in a commit message.
git switch -q main
echo "change" >>README.md
git commit -qam "rotate creds: TWILIO_AUTH_TOKEN=$(fake_token)"
expect_status nonzero "credential in a commit message" -- git push origin main
expect_output "commit message path" "<commit message>"
git commit -q --amend -m "rotate credentials"
expect_status 0 "clean commit message" -- git push -q origin main

# A credential in an annotated tag message.
git tag -a v1.0 -m "release with TWILIO_AUTH_TOKEN=$(fake_token)"
expect_status nonzero "credential in a tag message" -- git push origin v1.0
expect_output "tag message path" "<tag message v1.0>"
git tag -d v1.0 >/dev/null
git tag -a v1.0 -m "release 1.0"
expect_status 0 "clean annotated tag" -- git push -q origin v1.0

# Several refs in one push, only the second dirty: nothing lands.
git switch -q -c aaa-clean main && echo "a" >a.txt && git add a.txt && git commit -qm a
git switch -q -c zzz-dirty main
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$(fake_token)" >z.py && git add z.py && git commit -qm z
before="$(refs_of)"
expect_status nonzero "one dirty ref among several" -- git push origin aaa-clean zzz-dirty
expect_output "dirty ref named" "refs/heads/zzz-dirty"
expect_equal "no ref landed" "$before" "$(refs_of)"
expect_status nonzero "dirty ref pushed first" -- git push origin zzz-dirty:refs/heads/aaa-first aaa-clean
expect_equal "still no ref landed" "$before" "$(refs_of)"

# The allow marker works on the server.
git switch -q main
printf 'EXAMPLE = "%s"  # twilio-guard:allow documentation sample\nTWILIO_AUTH_TOKEN = EXAMPLE\n' "$(fake_token)" >doc.py
printf 'TWILIO_AUTH_TOKEN = "%s"  # twilio-guard:allow test fixture\n' "$(fake_token)" >fixture.py
git add doc.py fixture.py && git commit -qm "fixtures"
expect_status 0 "allow marker" -- git push origin main
expect_output "allowed finding shown" "allowed by marker"

# Small pushes arrive as loose objects, large ones as a pack (transfer.unpackLimit):
# both are read from the quarantine.
git -C "$server" config receive.unpackLimit 1
git switch -q -c packed main
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$(fake_token)" >packed.py && git add packed.py && git commit -qm packed
expect_status nonzero "credential arriving in a pack" -- git push origin packed
expect_output "pack path" "packed.py:1"
git -C "$server" config receive.unpackLimit 10000
expect_status nonzero "credential arriving as loose objects" -- git push origin packed
expect_output "loose path" "packed.py:1"
expect_equal "quarantine was discarded" "0" "$(find "$server/objects" -name 'tmp_objdir-*' | wc -l)"

# An edit of a file the server has arrives in a pack as a delta against the
# server's copy, which index-pack appends to the pack (a thin pack, fixed).
# That copy is not new: here it holds a credential from before the hook, and
# the edit that keeps it passes; an edit that adds another is rejected.
git switch -q -c thin main
mv "$server/hooks/pre-receive" "$server/hooks/pre-receive.off"
{ printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$(fake_token)"; for n in $(seq 300); do echo "setting_$n = $n"; done; } >old_settings.py
git add old_settings.py && git commit -qm "settings from before the hook"
git push -q origin thin
mv "$server/hooks/pre-receive.off" "$server/hooks/pre-receive"
old_blob="$(git rev-parse HEAD:old_settings.py)"
git -C "$server" config receive.unpackLimit 1
echo "setting_301 = 301" >>old_settings.py && git commit -qam "one more setting"
expect_status 0 "edit of a file the server has, its copy appended to the pack" -- git push origin thin
newest_pack="$(ls -t "$server"/objects/pack/*.idx | head -n 1)"
expect_equal "the server's copy was appended to the pushed pack" "1" \
  "$(git -C "$server" verify-pack -v "$newest_pack" | grep -c "^$old_blob blob")"
thin_token="$(fake_token)"
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$thin_token" >>old_settings.py && git commit -qam "second token"
expect_status nonzero "a credential added by a delta against the server's copy" -- git push origin thin
expect_output "thin: path and line" "old_settings.py:303"
expect_no_output "thin: never the full value" "$thin_token"
git -C "$server" config receive.unpackLimit 10000
# The push's summary counts what it brought: a clean edit and its commit,
# not the server's copy appended to the pack.
counter="$(new_server counter '[output]
format = "json"')"
mv "$counter/hooks/pre-receive" "$counter/hooks/pre-receive.off"
git switch -q -c counted main
for n in $(seq 300); do echo "option_$n = $n"; done >options.py
git add options.py && git commit -qm "options"
git push -q "$counter" counted
mv "$counter/hooks/pre-receive.off" "$counter/hooks/pre-receive"
git -C "$counter" config receive.unpackLimit 1
echo "option_301 = 301" >>options.py && git commit -qam "one more option"
expect_status 0 "clean edit against the server's copy" -- git push "$counter" counted
expect_output "summary: the edit and its commit only" '"scanned": 2,'
newest_pack="$(ls -t "$counter"/objects/pack/*.idx | head -n 1)"
expect_equal "the copy was appended to that pack" "1" \
  "$(git -C "$counter" verify-pack -v "$newest_pack" | grep -c "^$(git rev-parse HEAD~1:options.py) blob")"

# Many commits in one pack: the commit walk starts while the first pass is
# still reading the pack. It still names the commit that added the
# credential, and a later move of the file reports nothing new.
git -C "$server" config receive.unpackLimit 1
git switch -q -c many main
many_token="$(fake_token)"
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$many_token" >creds.py && git add creds.py && git commit -qm "add creds"
added_commit="$(git rev-parse HEAD)"
for n in $(seq 1 40); do
  printf 'value_%s = %s\n' "$n" "$n" >"module_$n.py" && git add "module_$n.py"
  if ((n == 20)); then mkdir -p config && git mv creds.py config/creds.py; fi
  git commit -qm "module $n"
done
expect_status nonzero "credential among many packed commits" -- git push origin many
expect_output "many: path of the adding commit" "creds.py:1"
expect_output "many: the adding commit" "${added_commit:0:12}"
expect_no_output "many: the move reports nothing new" "config/creds.py"
expect_no_output "many: never the full value" "$many_token"
git -C "$server" config receive.unpackLimit 10000

# A push too large to walk beside the first pass (over 50,000 objects) is
# walked after it, recording only the suspected blob: the same verdict, path,
# commit and silence about the later move.
huge_token="$(fake_token)"
awk -v base="$(git rev-parse main)" -v token="$huge_token" 'BEGIN {
  for (c = 1; c <= 3; c++) {
    printf "commit refs/heads/huge\ncommitter T <t@example.com> %d +0000\ndata <<EOM\nhuge %d\nEOM\n", 1700000000 + c, c
    if (c == 1) printf "from %s\n", base
    if (c == 2) printf "M 644 inline creds.py\ndata <<EOM\nTWILIO_AUTH_TOKEN = \"%s\"\nEOM\n", token
    if (c == 3) printf "D creds.py\nM 644 inline config/creds.py\ndata <<EOM\nTWILIO_AUTH_TOKEN = \"%s\"\nEOM\n", token
    for (i = 1; i <= 18000; i++) printf "M 644 inline d%d/f%d.txt\ndata <<EOM\nvalue %d %d\nEOM\n", c, i, c, i
  }
}' | git fast-import --quiet
huge_commit="$(git rev-parse huge~1)"
expect_status nonzero "credential in a push of 54,000 files" -- git push origin huge
expect_output "huge: path of the adding commit" "creds.py:1"
expect_output "huge: the adding commit" "${huge_commit:0:12}"
expect_no_output "huge: the move reports nothing new" "config/creds.py"
expect_no_output "huge: never the full value" "$huge_token"

# A pushed pack over 32 MB is mapped instead of read into memory whole
# (new_objects.cpp, k_read_whole_bytes): a credential pushed with 64 MB of
# poorly compressible text (letters g-z only, so that nothing in it looks
# like hex or base64 of a credential) is found and attributed, and the same
# push without it is accepted.
git -C "$server" config receive.unpackLimit 1
git switch -q -c big main
mkdir -p data
for n in 1 2 3 4 5 6 7 8; do
  head -c 8000000 /dev/urandom | tr '\000-\377' 'g-zg-zg-zg-zg-zg-zg-zg-zg-zg-zg-zg-zg-zg-z' | fold -w 100 >"data/part_$n.txt"
done
git add data && git commit -qm "data"
big_token="$(fake_token)"
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$big_token" >big_creds.py && git add big_creds.py && git commit -qm "big creds"
big_commit="$(git rev-parse HEAD)"
expect_status nonzero "credential in a pack over 32 MB" -- git push origin big
expect_output "big: path and line" "big_creds.py:1"
expect_output "big: the adding commit" "${big_commit:0:12}"
expect_no_output "big: never the full value" "$big_token"
git reset -q --hard HEAD~1
expect_status 0 "a clean pack over 32 MB" -- git push -q origin big
newest_pack="$(ls -t "$server"/objects/pack/*.pack | head -n 1)"
if (($(stat -c %s "$newest_pack") > 32 * 1024 * 1024)); then pass; else fail_check "the pushed pack is not over 32 MB"; fi
git -C "$server" config receive.unpackLimit 10000

# Malformed input and internal errors fail closed, naming the cause.
expect_status nonzero "malformed input" -- sh -c "cd '$server' && echo 'not a ref update' | '$TG_BIN' pre-receive"
expect_output "malformed input named" "malformed hook input on line 1"
expect_output "malformed input rejects" "push rejected"
missing="$(hex32)$(hex32 | cut -c1-8)"
expect_status nonzero "missing objects" -- sh -c "cd '$server' && echo '$(printf '0%.0s' $(seq 40)) $missing refs/heads/x' | '$TG_BIN' pre-receive"
expect_output "missing object named" "$missing"
expect_status 0 "empty input" -- sh -c "cd '$server' && '$TG_BIN' pre-receive </dev/null"
expect_status nonzero "not a repository" -- sh -c "cd '$TEST_DIR' && echo '' | GIT_DIR='$TEST_DIR/nowhere' '$TG_BIN' pre-receive"

finish
