#!/usr/bin/env bash
# A push over the network: git daemon with receive-pack on 127.0.0.1,
# started and stopped by this test, running the pre-receive hook.
source "$(dirname "$0")/lib.sh"

server="$(new_server server)"
started=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 40000))
  git daemon --enable=receive-pack --export-all --reuseaddr --base-path="$TEST_DIR" \
    --listen=127.0.0.1 --port="$port" --informative-errors "$TEST_DIR" 2>"$TEST_DIR/daemon.log" &
  pid=$!
  TEST_PIDS+=("$pid")
  for _ in $(seq 50); do
    if git ls-remote "git://127.0.0.1:$port/server.git" >/dev/null 2>&1; then started=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "$started" ]] && break
  kill "$pid" 2>/dev/null || true
done
if [[ -z "$started" ]]; then
  echo "FAIL: git daemon did not start" >&2
  cat "$TEST_DIR/daemon.log" >&2
  exit 1
fi
url="git://127.0.0.1:$port/server.git"

client="$TEST_DIR/client"
git clone -q "$url" "$client" 2>/dev/null
cd "$client"
echo "# app" >README.md && git add README.md && git commit -qm initial
expect_status 0 "clean push over git://" -- git push -q origin main

token="$(fake_token)"
printf 'TWILIO_AUTH_TOKEN = "%s"\n' "$token" >settings.py
git add settings.py && git commit -qm "leak"
leak="$(git rev-parse HEAD)"
expect_status nonzero "dirty push over git://" -- git push origin main
expect_output "pusher sees remote: lines" "remote: settings.py:1"
expect_output "commit named" "${leak:0:12}"
expect_output "hook declined" "pre-receive hook declined"
expect_no_output "never the full value" "$token"
expect_equal "server did not move" "$(git rev-parse origin/main)" "$(git -C "$server" rev-parse main)"

git reset -q --hard origin/main
echo "ok" >ok.txt && git add ok.txt && git commit -qm ok
expect_status 0 "clean push after the rejection" -- git push -q origin main

finish
