#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each one for a while.
#
#   tests/fuzz/run.sh [--ci] [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); TARGET names (default: all). Each target
# starts from its committed seeds (corpus/<target>/) and saved crash inputs
# (regressions/<target>/) and grows a working corpus in the build directory,
# kept between runs. A crash, leak, timeout or failed invariant stops that
# target, leaves the input under $FUZZ_BUILD_DIR/artifacts/<target>/ and
# makes the script exit 1 after the other targets have run.
#
# --ci: fixed seed, quiet output, working corpus started afresh.
#
# Environment: FUZZ_BUILD_DIR (default build-fuzz), CXX (default
# clang++-14), FUZZ_JOBS (parallel fuzzing processes per target, default 1),
# TWILIO_GUARD_LIBGIT2_SOURCE (libgit2 source to build, as install/build.sh
# does; empty: the system libgit2; unset: install/libgit2.sh fetches it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ci=0
if [ "${1:-}" = "--ci" ]; then
  ci=1
  shift
fi
seconds="${1:-60}"
[ $# -gt 0 ] && shift
all_targets=(scanner codec jwt blob push_input pack tree config)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
build_dir="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
jobs="${FUZZ_JOBS:-1}"

if [ -z "${TWILIO_GUARD_LIBGIT2_SOURCE+set}" ]; then
  TWILIO_GUARD_LIBGIT2_SOURCE="$(bash "$root/install/libgit2.sh")" || TWILIO_GUARD_LIBGIT2_SOURCE=""
fi
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="${CXX:-clang++-14}" -DTWILIO_GUARD_FUZZ=ON -DTWILIO_GUARD_TESTS=OFF \
  -DTWILIO_GUARD_LIBGIT2_SOURCE="$TWILIO_GUARD_LIBGIT2_SOURCE" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target "${targets[@]/#/fuzz_}"

failed=()
for target in "${targets[@]}"; do
  work="$build_dir/corpus/$target"
  artifacts="$build_dir/artifacts/$target"
  [ "$ci" -eq 1 ] && rm -rf "$work"
  mkdir -p "$work" "$artifacts"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=65536
           -artifact_prefix="$artifacts/" -print_final_stats=1)
  [ -f "$root/tests/fuzz/$target.dict" ] && options+=(-dict="$root/tests/fuzz/$target.dict")
  [ "$ci" -eq 1 ] && options+=(-seed=1 -close_fd_mask=1)
  [ "$jobs" -gt 1 ] && options+=(-jobs="$jobs" -workers="$jobs")
  seeds=("$root/tests/fuzz/corpus/$target")
  [ -d "$root/tests/fuzz/regressions/$target" ] && seeds+=("$root/tests/fuzz/regressions/$target")
  echo "== fuzz_$target: ${seconds}s"
  if "$build_dir/tests/fuzz/fuzz_$target" "${options[@]}" "$work" "${seeds[@]}" \
      > "$build_dir/fuzz_$target.log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$build_dir/fuzz_$target.log" || true
  else
    failed+=("$target")
    tail -n 60 "$build_dir/fuzz_$target.log"
    echo "fuzz_$target FAILED: input saved under $artifacts/" >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found failures in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: no failure in ${targets[*]} (${seconds}s each)"
