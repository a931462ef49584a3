#!/usr/bin/env bash
# The README's two commands.
#   quickstart.sh demo   install, build, and show a commit being blocked
#   quickstart.sh test   install, build, and run every test through ctest,
#                        then again under AddressSanitizer + UBSan
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-demo}"

bash "$root/install/deps.sh"

case "$mode" in
  demo)
    bash "$root/install/build.sh"
    exec bash "$root/install/demo.sh" "$root/build/hook/twilio-guard"
    ;;
  test)
    werror=OFF
    [ "${CI:-}" = "true" ] && werror=ON
    BUILD_DIR="$root/build" bash "$root/install/build.sh" -DTWILIO_GUARD_WERROR=$werror
    ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"
    BUILD_DIR="$root/build-sanitize" BUILD_TYPE=Debug bash "$root/install/build.sh" \
      -DTWILIO_GUARD_SANITIZE=ON -DTWILIO_GUARD_WERROR=$werror
    LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp" \
      ctest --test-dir "$root/build-sanitize" --output-on-failure -j "$(nproc)"
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
