#!/usr/bin/env bash
# Installs the Debian 12 packages twilio-guard builds and tests with, plus any
# package named as an argument (tests/bench/deps.sh passes its own).
# Also enables apt's deb-src entries (in a file of their own) so that
# install/libgit2.sh can fetch libgit2's Debian source.
# Idempotent: asks apt only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git dpkg-dev pre-commit
  libhyperscan-dev libgit2-dev libtomlplusplus-dev libfmt-dev libcli11-dev
  nlohmann-json3-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  # what libgit2 built from its Debian source links (install/libgit2.sh)
  libhttp-parser-dev zlib1g-dev
  # inflating pushed packs (hook/git/pack_reader.cpp)
  libdeflate-dev
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
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# No source index downloaded yet: update, after adding deb-src entries made
# from the system's deb entries unless some are configured already.
update=0
if ((${#missing[@]})); then update=1; fi
if [ -z "$(apt-get indextargets --format '$(FILENAME)' 'Created-By: Sources')" ]; then
  update=1
  apt_dir=/etc/apt/sources.list.d
  if ! grep -qsE '^(Types:.*\bdeb-src\b|deb-src )' /etc/apt/sources.list "$apt_dir"/*.list "$apt_dir"/*.sources; then
    echo "twilio-guard: enabling deb-src entries ($apt_dir/twilio-guard-src.*)" >&2
    if [ -f "$apt_dir/debian.sources" ]; then
      sed 's/^Types: deb$/Types: deb-src/' "$apt_dir/debian.sources" |
        "${sudo_cmd[@]}" tee "$apt_dir/twilio-guard-src.sources" >/dev/null
    else
      sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
        "${sudo_cmd[@]}" tee "$apt_dir/twilio-guard-src.list" >/dev/null
    fi
  fi
fi
if ((update)); then "${sudo_cmd[@]}" apt-get update -qq; fi
if ((${#missing[@]})); then
  echo "twilio-guard: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
