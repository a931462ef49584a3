#!/usr/bin/env bash
# Installs what tests/bench/run.sh needs beyond the build dependencies
# (install/deps.sh): hyperfine, git-secrets (the reference scanner of the
# pre-commit comparison) and GNU time (peak memory of the hook).
set -euo pipefail
packages=(hyperfine git-secrets time)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  echo "twilio-guard bench: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
