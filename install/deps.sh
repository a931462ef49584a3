#!/usr/bin/env bash
# Installs the Debian 12 packages twilio-guard builds and tests with, plus any
# package named as an argument (tests/bench/deps.sh passes its own).
# Idempotent: asks apt only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git dpkg-dev pre-commit
  libhyperscan-dev libgit2-dev libtomlplusplus-dev libfmt-dev libcli11-dev
  nlohmann-json3-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  # libFuzzer: clang and its runtime (tests/fuzz; g++ has no libFuzzer)
  clang-14 libclang-rt-14-dev
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  echo "twilio-guard: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
