#!/usr/bin/env bash
# Server-side installation and trust: a bare repository with
# `twilio-guard install`, pushes over the file transport and over
# `git daemon`, the GitLab/Gitea pre-receive.d template, the GitHub Enterprise
# script under its 5-second limit, and a pushed .twilio-guard.toml that tries
# to switch the hook off.
source "$(dirname "$0")/config_install_lib.sh"

if ! has_command pre-receive; then
  skip_check "this build has no pre-receive command"
  # Still prove the templates are valid shell.
  for script in "$SOURCE_ROOT"/install/server/*/*.sh "$SOURCE_ROOT"/install/server/gitlab/pre-receive.d/twilio-guard; do
    if [[ -f $script ]] && sh -n "$script"; then pass; else fail_check "$script is not valid sh"; fi
  done
  finish
  exit 0
fi

server="$TEST_DIR/server.git"
git init -q --bare "$server"
expect_status 0 "install pre-receive" -- "$TG_BIN" install --repo "$server"

client="$TEST_DIR/client"
git clone -q "$server" "$client" 2>/dev/null
cd "$client"
echo "# app" >README.md && git add README.md && git commit -qm "initial"
expect_status 0 "clean push" -- git push -q origin main

# A pushed .twilio-guard.toml that disables the rule, turns off blocking,
# allowlists every path and asks for fail-open: the server obeys none of it.
token="$(fake_token)"
cat >.twilio-guard.toml <<'TOML'
[rules.twilio-auth-token]
enabled = false
blocking = false
severity = "info"
[[allow.paths]]
pattern = "**"
reason = "let me push"
[allow]
markers = ["anything"]
[server]
on_error = "open"
allow_bypass_option = true
TOML
write_credential_file settings.py "$token"
git add .twilio-guard.toml settings.py && git commit -qm "credential with a permissive config"
expect_status nonzero "hostile pushed config is not obeyed" -- git push origin main
expect_output "rejected for the credential" "twilio-auth-token"
expect_no_output "never the full value" "$token"
expect_status nonzero "bypass option not honoured" -- git push -o twilio-guard.bypass=please origin main

# Even a server that trusts repository allowlists ignores the catch-all.
printf '[server]\ntrust_repository_allowlists = true\n' >"$TWILIO_GUARD_SYSTEM_CONFIG"
expect_status nonzero "trusted server still rejects **" -- git push origin main
rm "$TWILIO_GUARD_SYSTEM_CONFIG"

# The same through git daemon on 127.0.0.1.
git reset -q --hard origin/main
port=$((20000 + RANDOM % 20000))
git daemon --reuseaddr --base-path="$TEST_DIR" --export-all --enable=receive-pack \
  --listen=127.0.0.1 --port="$port" --pid-file="$TEST_DIR/daemon.pid" "$TEST_DIR" &
daemon=$!
trap 'kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do [[ -s $TEST_DIR/daemon.pid ]] && break; sleep 0.1; done
sleep 0.3
git remote add daemon "git://127.0.0.1:$port/server.git"
write_credential_file app.py "$token" && git add app.py && git commit -qm "credential over git daemon"
expect_status nonzero "git daemon push rejected" -- git push daemon main
expect_output "remote says why" "twilio-auth-token"
git reset -q --hard HEAD~1
echo "ok" >ok.txt && git add ok.txt && git commit -qm "clean over git daemon"
expect_status 0 "clean git daemon push accepted" -- git push -q daemon main

# GitLab and Gitea run every executable in hooks/pre-receive.d/ with the same
# input; this runner does what they do (Gitea's own hooks/pre-receive is it).
gitlab="$TEST_DIR/gitlab.git"
git init -q --bare "$gitlab"
mkdir -p "$gitlab/custom_hooks/pre-receive.d"
sed "s|/usr/bin/twilio-guard|$TG_BIN|" "$SOURCE_ROOT/install/server/gitlab/pre-receive.d/twilio-guard" \
  >"$gitlab/custom_hooks/pre-receive.d/twilio-guard"
chmod +x "$gitlab/custom_hooks/pre-receive.d/twilio-guard"
cat >"$gitlab/hooks/pre-receive" <<'HOOK'
#!/bin/sh
input=$(cat)
for hook in "$GIT_DIR"/custom_hooks/pre-receive.d/*; do
  [ -x "$hook" ] || continue
  printf '%s\n' "$input" | "$hook" "$@" || exit 1
done
HOOK
chmod +x "$gitlab/hooks/pre-receive"
git remote add gitlab "$gitlab"
expect_status 0 "clean push to GitLab layout" -- git push -q gitlab main
write_credential_file gl.py "$token" && git add gl.py && git commit -qm "credential to GitLab"
expect_status nonzero "GitLab server hook rejects" -- git push gitlab main
expect_output "GitLab: rule named" "twilio-auth-token"
git reset -q --hard HEAD~1

# GitHub Enterprise Server: the script runs with a 5-second limit.
ghes="$TEST_DIR/ghes.git"
git init -q --bare "$ghes"
sed "s|/usr/bin/twilio-guard|$TG_BIN|" "$SOURCE_ROOT/install/server/ghes/twilio-guard.sh" >"$ghes/hooks/twilio-guard.sh"
chmod +x "$ghes/hooks/twilio-guard.sh"
printf '#!/bin/sh\nexec timeout 5 "$(dirname "$0")/twilio-guard.sh"\n' >"$ghes/hooks/pre-receive"
chmod +x "$ghes/hooks/pre-receive"
git remote add ghes "$ghes"
expect_status 0 "clean push to GHES layout" -- git push -q ghes main
write_credential_file gh.py "$token" && git add gh.py && git commit -qm "credential to GHES"
start=$(date +%s)
expect_status nonzero "GHES script rejects within the limit" -- git push ghes main
expect_output "GHES: rule named" "twilio-auth-token"
if (($(date +%s) - start < 5)); then pass; else fail_check "GHES push took 5 s or more"; fi

finish
