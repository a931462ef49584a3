#!/usr/bin/env bash
# A scratch repository where committing a fake Twilio Auth Token is stopped.
# The credential is generated here and is not real.
set -euo pipefail
binary="$(realpath "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

random_hex() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

cd "$work"
cat > settings.py <<PY
import os
from twilio.rest import Client

TWILIO_ACCOUNT_SID = "AC$(random_hex)"
TWILIO_AUTH_TOKEN = "$(random_hex)"
client = Client(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)
PY

echo "\$ twilio-guard scan settings.py"
set +e
"$binary" scan settings.py
status=$?
set -e
echo
echo "twilio-guard exited with status $status (1: blocking credential found)."
[ "$status" -eq 1 ]
