#!/usr/bin/env bash
# Installs what tests/bench/run.sh needs beyond the build dependencies:
# hyperfine, git-secrets (the reference scanner of the pre-commit comparison)
# and GNU time (peak memory of the hook).
set -euo pipefail
exec bash "$(dirname "$0")/../../install/deps.sh" hyperfine git-secrets time gdb
