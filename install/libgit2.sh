#!/usr/bin/env bash
# Prints the directory of libgit2's Debian source package, unpacked with
# Debian's patches applied, for cmake's TWILIO_GUARD_LIBGIT2_SOURCE (see
# cmake/libgit2.cmake for why twilio-guard builds its own libgit2).
#
# The source comes from `apt-get source` (install/deps.sh enables deb-src)
# and is kept under .cache/libgit2/VERSION/. Versions are tried newest first;
# one that cannot be downloaded is skipped for the next older one. When none
# can be had, a warning goes to stderr and the exit status is 1: the build
# then links the system's libgit2.
#
# Environment: TWILIO_GUARD_CACHE (default: .cache at the repository root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${TWILIO_GUARD_CACHE:-$root/.cache}/libgit2"

unpacked() { find "$1" -mindepth 1 -maxdepth 1 -type d -name 'libgit2-*' -print -quit; }

versions=()
if command -v apt-cache >/dev/null && command -v dpkg-source >/dev/null; then
  mapfile -t versions < <(apt-cache showsrc libgit2 2>/dev/null | sed -n 's/^Version: //p' | sort -ruV)
fi

skipped=()
for version in "${versions[@]}"; do
  dir="$cache/$version"
  if [ ! -d "$dir" ]; then
    mkdir -p "$cache"
    partial="$(mktemp -d "$cache/.fetch.XXXXXX")"
    chmod 755 "$partial"
    # apt-get source unpacks into the current directory; a version is moved to
    # its final name only once it is complete.
    if (cd "$partial" && apt-get source -qq "libgit2=$version") >/dev/null 2>&1; then
      mv "$partial" "$dir"
    else
      rm -rf "$partial"
      skipped+=("$version")
      continue
    fi
  fi
  source_dir="$(unpacked "$dir")"
  [ -n "$source_dir" ] || { skipped+=("$version"); continue; }
  if ((${#skipped[@]})); then
    echo "twilio-guard: warning: building libgit2 $version from source; the newer ${skipped[*]}" \
      "could not be fetched, so the fixes Debian made in it are missing" >&2
  fi
  echo "$source_dir"
  exit 0
done

echo "twilio-guard: warning: libgit2's Debian source could not be fetched (does apt have deb-src" \
  "entries? install/deps.sh adds them); linking the system libgit2 instead, whose start-up" \
  "reads the whole CA bundle" >&2
exit 1
