#!/usr/bin/env bash
# Configures and builds into BUILD_DIR (default: build). Extra arguments go to
# cmake, e.g. -DTWILIO_GUARD_SANITIZE=ON. libgit2 is built from Debian's
# source (install/libgit2.sh fetches it), or is the system's if that fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
libgit2_source="$(bash "$root/install/libgit2.sh")" || libgit2_source=""
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DTWILIO_GUARD_LIBGIT2_SOURCE="$libgit2_source" "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
