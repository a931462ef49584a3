#!/usr/bin/env bash
# `twilio-guard install` / `uninstall` through the real git CLI: chaining to
# an existing hook (both run, either blocks), idempotence, byte-exact
# restore, core.hooksPath, bare repositories, --global.
source "$(dirname "$0")/config_install_lib.sh"

repo="$TEST_DIR/repo"
new_repo "$repo"
cd "$repo"
hooks="$repo/.git/hooks"

# The team's own pre-commit hook: records that it ran, fails when asked to.
cat >"$hooks/pre-commit" <<'HOOK'
#!/bin/sh
# the team's lint hook
echo ran >>"$(git rev-parse --git-dir)/team-hook-ran"
if [ -e "$(git rev-parse --git-dir)/team-hook-fails" ]; then
  echo "team hook: lint failed" >&2
  exit 1
fi
HOOK
chmod 750 "$hooks/pre-commit"
before="$(snapshot "$hooks")"
original_sum="$(sha256sum <"$hooks/pre-commit")"

expect_status 0 "install" -- "$TG_BIN" install
expect_output "says it chains" "the existing hook runs first"
expect_equal "existing hook kept byte for byte" "$original_sum" "$(sha256sum <"$hooks/pre-commit.twilio-guard-chained")"
expect_equal "existing hook keeps its mode" "750" "$(stat -c %a "$hooks/pre-commit.twilio-guard-chained")"
expect_equal "pre-push installed" "yes" "$([[ -x $hooks/pre-push ]] && echo yes)"
if grep -qF "$TG_BIN" "$hooks/pre-commit"; then pass; else fail_check "hook runs the absolute binary path"; fi
if sh -n "$hooks/pre-commit" && sh -n "$hooks/pre-push"; then pass; else fail_check "hook scripts are valid sh"; fi

after_first="$(snapshot "$hooks")"
expect_status 0 "install again" -- "$TG_BIN" install
expect_output "second install refreshes" "already installed"
expect_equal "install is idempotent" "$after_first" "$(snapshot "$hooks")"
expect_equal "no second chain" "" "$(ls "$hooks" | grep 'chained.twilio' || true)"

if has_command pre-commit; then
  # Clean commit: both hooks run, the commit lands.
  echo "hello" >hello.txt && git add hello.txt
  expect_status 0 "clean commit passes both hooks" -- git commit -qm "clean"
  expect_equal "team hook ran" "ran" "$(cat .git/team-hook-ran)"
  # twilio-guard blocks although the team hook passes.
  token="$(fake_token)"
  write_credential_file settings.py "$token" && git add settings.py
  expect_status nonzero "credential blocked" -- git commit -qm "credential"
  expect_output "names the rule" "twilio-auth-token"
  expect_no_output "never prints the credential" "$token"
  expect_equal "team hook ran on the blocked commit too" "2" "$(wc -l <.git/team-hook-ran | tr -d ' ')"
  git rm -q --cached settings.py && rm settings.py
  # The team hook blocks although twilio-guard passes.
  touch .git/team-hook-fails
  echo "more" >>hello.txt && git add hello.txt
  expect_status nonzero "team hook still blocks" -- git commit -qm "lint fails"
  expect_output "team hook message" "lint failed"
  rm .git/team-hook-fails
  expect_status 0 "commit after fixing lint" -- git commit -qm "lint passes"
else
  skip_check "this build has no pre-commit command: hooks not run through git commit"
fi

expect_status 0 "uninstall" -- "$TG_BIN" uninstall
rm -f .git/team-hook-ran
expect_equal "uninstall restores the hooks directory byte for byte" "$before" "$(snapshot "$hooks")"
expect_status 0 "uninstall again is harmless" -- "$TG_BIN" uninstall
expect_equal "still identical" "$before" "$(snapshot "$hooks")"

# A hook that is a symbolic link is chained and restored as the same link.
ln -s ../../tools/hook.sh "$hooks/pre-push"
before_link="$(snapshot "$hooks")"
"$TG_BIN" install pre-push >/dev/null
expect_equal "link kept" "../../tools/hook.sh" "$(readlink "$hooks/pre-push.twilio-guard-chained")"
"$TG_BIN" uninstall pre-push >/dev/null
expect_equal "link restored" "$before_link" "$(snapshot "$hooks")"
rm "$hooks/pre-push"

# A hook file someone else wrote later is left alone by uninstall.
"$TG_BIN" install pre-push >/dev/null
printf '#!/bin/sh\nexit 0\n' >"$hooks/pre-push"
expect_status 0 "uninstall with a foreign hook" -- "$TG_BIN" uninstall pre-push
expect_output "foreign hook left alone" "not installed by twilio-guard"
expect_equal "foreign hook intact" "$(printf '#!/bin/sh\nexit 0\n')" "$(cat "$hooks/pre-push")"
rm "$hooks/pre-push"

# core.hooksPath, relative to the top of the working tree, from a subdirectory.
mkdir -p .githooks sub/dir
printf '#!/bin/sh\nexit 0\n' >.githooks/pre-push && chmod +x .githooks/pre-push
git config core.hooksPath .githooks
hooks_path_before="$(snapshot .githooks)"
git_hooks_before="$(snapshot "$hooks")"
expect_status 0 "install with core.hooksPath" -- "$TG_BIN" install --repo sub/dir
expect_output "installs where git looks" "$repo/.githooks/pre-commit"
expect_equal ".git/hooks untouched" "$git_hooks_before" "$(snapshot "$hooks")"
expect_equal "chained in the hooks path" "yes" "$([[ -x .githooks/pre-push.twilio-guard-chained ]] && echo yes)"
if has_command pre-commit; then
  token="$(fake_token)"
  write_credential_file sub/dir/config.py "$token" && git add sub/dir/config.py
  expect_status nonzero "hook in core.hooksPath blocks" -- git commit -qm "credential"
  git rm -q --cached sub/dir/config.py && rm sub/dir/config.py
fi
expect_status 0 "uninstall with core.hooksPath" -- "$TG_BIN" uninstall
expect_equal "hooks path restored" "$hooks_path_before" "$(snapshot .githooks)"

# An absolute core.hooksPath that does not exist yet: created, then removed.
git config core.hooksPath "$TEST_DIR/shared-hooks"
expect_status 0 "install into a new hooks directory" -- "$TG_BIN" install
expect_equal "directory created" "yes" "$([[ -x $TEST_DIR/shared-hooks/pre-commit ]] && echo yes)"
expect_status 0 "uninstall from it" -- "$TG_BIN" uninstall
expect_equal "directory removed again" "no" "$([[ -e $TEST_DIR/shared-hooks ]] && echo yes || echo no)"
git config --unset core.hooksPath

# A bare repository gets pre-receive.
git init -q --bare "$TEST_DIR/server.git"
expect_status 0 "install into a bare repository" -- "$TG_BIN" install --repo "$TEST_DIR/server.git"
expect_output "pre-receive by default" "hooks/pre-receive: installed"
expect_equal "only pre-receive" "pre-receive" "$(ls "$TEST_DIR/server.git/hooks" | grep -v sample)"
# Nothing to chain: git starts twilio-guard itself, without a shell.
expect_equal "pre-receive starts the binary directly" "#!$(readlink -f "$TG_BIN") run-hook" \
  "$(head -n 1 "$TEST_DIR/server.git/hooks/pre-receive")"

if has_command pre-receive; then
  # Without a chained hook git runs twilio-guard directly; with one, a script
  # runs both on the same pushed refs and either rejects the push.
  token="$(fake_token)"
  git checkout -q -b server-push
  echo "clean" >server-clean.txt && git add server-clean.txt && git commit -qm "clean for the server" --no-verify
  expect_status 0 "clean push through the installed hook" -- git push -q "$TEST_DIR/server.git" HEAD:refs/heads/one
  write_credential_file server-leak.py "$token" && git add server-leak.py
  git commit -qm "credential for the server" --no-verify
  expect_status nonzero "credential push rejected without a chained hook" -- \
    git push -q "$TEST_DIR/server.git" HEAD:refs/heads/two
  expect_output "rejected by twilio-guard" "twilio-auth-token"
  expect_no_output "the pusher never sees the credential" "$token"

  git init -q --bare "$TEST_DIR/chained.git"
  cat >"$TEST_DIR/chained.git/hooks/pre-receive" <<'HOOK'
#!/bin/sh
# the server's notifier
cat >>"$(dirname "$0")/../notifier-input"
HOOK
  chmod +x "$TEST_DIR/chained.git/hooks/pre-receive"
  expect_status 0 "install over a server's own pre-receive" -- "$TG_BIN" install --repo "$TEST_DIR/chained.git"
  expect_status 0 "clean push through both hooks" -- git push -q "$TEST_DIR/chained.git" HEAD~1:refs/heads/one
  expect_equal "the chained hook got the pushed refs" "refs/heads/one" \
    "$(awk '{ print $3 }' "$TEST_DIR/chained.git/notifier-input")"
  expect_status nonzero "credential push rejected with a chained hook" -- \
    git push -q "$TEST_DIR/chained.git" HEAD:refs/heads/two
  expect_output "rejected by twilio-guard after the chained hook" "twilio-auth-token"
  expect_no_output "nor through the chained script" "$token"
  expect_equal "the chained hook saw that push too" "2" "$(wc -l <"$TEST_DIR/chained.git/notifier-input" | tr -d ' ')"
  if grep -q 'pre-receive "$@" <"$input"' "$TEST_DIR/chained.git/hooks/pre-receive"; then pass; else
    fail_check "the chaining script gives twilio-guard the pushed refs on stdin"
  fi

  # The binary the hooks name is gone: every hook still refuses, none lets a
  # change through. A direct hook fails to start; pre-push keeps its shell
  # (git push waits forever on a pre-push hook it cannot start).
  gone="$TEST_DIR/gone/twilio-guard"
  mkdir -p "$(dirname "$gone")" && cp "$TG_BIN" "$gone"
  git init -q --bare "$TEST_DIR/gone.git"
  gone_work="$TEST_DIR/gone-work"
  new_repo "$gone_work"
  "$gone" install --repo "$TEST_DIR/gone.git" >/dev/null
  "$gone" install --repo "$gone_work" >/dev/null
  expect_equal "pre-commit is direct too" "#!$gone run-hook" "$(head -n 1 "$gone_work/.git/hooks/pre-commit")"
  expect_equal "pre-push keeps its shell" "#!/bin/sh" "$(head -n 1 "$gone_work/.git/hooks/pre-push")"
  rm "$gone"
  expect_status nonzero "binary gone: the push is rejected" -- \
    timeout 60 git push -q "$TEST_DIR/gone.git" HEAD~1:refs/heads/one
  expect_output "git cannot run the hook" "cannot run hooks/pre-receive"
  expect_output "and declines the push" "pre-receive hook declined"
  (cd "$gone_work" && echo "more" >>README.md && git add README.md)
  expect_status nonzero "binary gone: the commit is refused" -- git -C "$gone_work" commit -qm "after removal"
  expect_output "git cannot run pre-commit" "cannot run .git/hooks/pre-commit"
  git -C "$gone_work" commit -qm "without the hook" --no-verify
  expect_status nonzero "binary gone: pre-push refuses, and returns" -- \
    timeout 60 git -C "$gone_work" push -q "$TEST_DIR/gone.git" HEAD:refs/heads/two
  expect_output "pre-push names the missing binary" "$gone is missing"

  # A binary path the kernel would split at a blank keeps the shell script.
  spaced="$TEST_DIR/with space/twilio-guard"
  mkdir -p "$(dirname "$spaced")" && cp "$TG_BIN" "$spaced"
  git init -q --bare "$TEST_DIR/spaced.git"
  "$spaced" install --repo "$TEST_DIR/spaced.git" >/dev/null
  expect_equal "a path with a blank keeps the shell" "#!/bin/sh" "$(head -n 1 "$TEST_DIR/spaced.git/hooks/pre-receive")"
  expect_status 0 "clean push through it" -- git push -q "$TEST_DIR/spaced.git" HEAD~1:refs/heads/one
  expect_status nonzero "credential push rejected through it" -- git push -q "$TEST_DIR/spaced.git" HEAD:refs/heads/two
  expect_output "by twilio-guard" "twilio-auth-token"
  git checkout -q -
else
  skip_check "this build has no pre-receive command"
fi

# Usage errors.
expect_status 2 "unknown hook" -- "$TG_BIN" install post-commit
expect_output "names the hook" "unknown hook \"post-commit\""
mkdir "$TEST_DIR/not-a-repo"
expect_status 2 "not a repository" -- "$TG_BIN" install --repo "$TEST_DIR/not-a-repo"
expect_output "says so" "not in a git repository"

# --global: every repository of the user, their own hooks still run.
other="$TEST_DIR/other"
new_repo "$other"
cp "$repo/.git/hooks/pre-commit" "$other/.git/hooks/pre-commit"
expect_status 0 "install --global" -- "$TG_BIN" install --global
expect_equal "global core.hooksPath set" "$XDG_CONFIG_HOME/twilio-guard/hooks" "$(git config --global core.hooksPath)"
if has_command pre-commit; then
  cd "$other"
  echo "x" >x.txt && git add x.txt
  expect_status 0 "global hook: clean commit" -- git commit -qm "clean"
  expect_equal "repository's own hook still runs" "ran" "$(cat .git/team-hook-ran)"
  token="$(fake_token)"
  write_credential_file app.py "$token" && git add app.py
  expect_status nonzero "global hook blocks" -- git commit -qm "credential"
  cd "$repo"
fi
expect_status 0 "uninstall --global" -- "$TG_BIN" uninstall --global
expect_status 1 "global core.hooksPath unset" -- git config --global core.hooksPath
expect_equal "global hooks directory removed" "no" "$([[ -e $XDG_CONFIG_HOME/twilio-guard/hooks ]] && echo yes || echo no)"

# A global core.hooksPath the user already had is respected.
mkdir -p "$HOME/my-hooks"
git config --global core.hooksPath "~/my-hooks"
expect_status 0 "install --global into the user's hooks path" -- "$TG_BIN" install --global
expect_equal "installed there" "yes" "$([[ -x $HOME/my-hooks/pre-commit ]] && echo yes)"
expect_status 0 "uninstall --global from it" -- "$TG_BIN" uninstall --global
expect_equal "user's setting kept" "~/my-hooks" "$(git config --global core.hooksPath)"
expect_equal "user's directory kept, empty" "" "$(ls -A "$HOME/my-hooks")"

finish
