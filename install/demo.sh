#!/usr/bin/env bash
# The main job, shown in a scratch repository: twilio-guard installed as a
# pre-commit hook stops a commit that adds a Twilio Auth Token. The
# credentials are generated here and are not real.
set -euo pipefail
exec 2>&1  # one stream, in order
binary="$(realpath "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

random_hex() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

cd "$work"
export GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=Demo GIT_COMMITTER_EMAIL=demo@example.com XDG_CONFIG_HOME="$work/.config"
git init -q -b main app && cd app

say twilio-guard install
"$binary" install

cat > settings.py <<PY
import os
from twilio.rest import Client

TWILIO_ACCOUNT_SID = "AC$(random_hex)"
TWILIO_AUTH_TOKEN = "$(random_hex)"
client = Client(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)
PY
say git add settings.py '&&' git commit -m "Send SMS alerts"
git add settings.py
if git commit -q -m "Send SMS alerts"; then
  echo "demo failed: the commit was not blocked" >&2
  exit 1
fi

sed -i 's/^TWILIO_AUTH_TOKEN = .*/TWILIO_AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]/' settings.py
say "(token replaced by os.environ[\"TWILIO_AUTH_TOKEN\"])" git add settings.py '&&' git commit -m "Send SMS alerts"
git add settings.py
git commit -q -m "Send SMS alerts"
git log --oneline
echo
echo "The commit with the token was blocked; the fixed commit went through."
