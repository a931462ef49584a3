#!/usr/bin/env bash
# Runs the comparisons of issue 5 side by side and prints the ratios.
#
#   tests/bench/run.sh [--full] [--repo PATH] [--only LIST] [--rounds N]
#
#   --full        benchmark repositories at full scale (10,000-file working
#                 tree; a history of tens of thousands of commits and a few GB
#                 of unique blob content). Default: a quick run of a few
#                 minutes on small repositories.
#   --repo PATH   also run the push comparisons on the full history of the
#                 git repository at PATH (copied, never modified).
#   --only LIST   comma-separated subset of: engine,startup,precommit,push,ordinary-push;
#                 or memory (not in the default run, about 4 minutes): the hook's
#                 peak memory, and target 2's time ratios once each, on pushes
#                 whose packs are larger than its memory budget
#   --memory-mb N content of memory's largest push, in MB (default 800)
#   --rounds N    alternating rounds per comparison (default 5; 3 with --full;
#                 91 for the ordinary push, whose verdict needs a narrow interval)
#
# Environment: BUILD_DIR (default build), DATA_DIR (default
# $BUILD_DIR/bench-data; generated repositories go there and are reused when
# their parameters match). Needs hyperfine, git-secrets and GNU time
# (tests/bench/deps.sh installs them).
#
# Every comparison measures the reference in the same run on the same
# machine. Slow comparisons alternate their commands round by round (A B, B
# A, ...) so that background load hits both alike, and report medians; the
# ordinary push, and pre-commit against git-secrets, also report the median
# of their per-round (per-block) ratios with a 95% interval, which decides
# their verdicts.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
data_dir="${DATA_DIR:-$build_dir/bench-data}"
full=0
repo=""
only="engine,startup,precommit,push,ordinary-push"
rounds=""
memory_mb=800
while (($#)); do
  case "$1" in
    --full) full=1 ;;
    --repo) repo="$(cd "$2" && pwd)"; shift ;;
    --only) only="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --memory-mb) memory_mb="$2"; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
ordinary_push_rounds="${rounds:-91}"
[ -n "$rounds" ] || rounds=$((full ? 3 : 5))
wants() { [[ ",$only," == *",$1,"* ]]; }

for tool in hyperfine git /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool missing; run tests/bench/deps.sh" >&2; exit 2; }
done

# ---- build -----------------------------------------------------------------
BUILD_DIR="$build_dir" BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" bash "$root/install/build.sh" >/dev/null
tg="$build_dir/hook/twilio-guard"
gen="$build_dir/tests/bench/tg-bench-gen"
mkdir -p "$data_dir"

has_command() { "$tg" --help 2>/dev/null | grep -qE "^ +$1( |$)"; }

# ---- helpers ---------------------------------------------------------------
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$data_dir/home"
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

section() { printf '\n== %s\n' "$*"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { # verdict VALUE OP LIMIT
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    ok = (op == "<=") ? v <= l : v >= l; printf "%s (target %s %s)", ok ? "MEETS" : "MISSES", op, l }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# hyperfine_medians CSV: prints "median_seconds" of each command, one per line.
hyperfine_medians() { awk -F, 'NR > 1 { print $4 }' "$1"; }

# alternate NAME... : runs the shell functions run_<NAME> in turn, `rounds`
# times, each preceded by prep_<NAME> when defined (not timed). Each round
# starts one command further along (A B C, B C A, C A B, ...), so that no
# command always runs right after the same other one. Wall times go to
# $times_dir/<NAME>, one line per round (kept until the next call, for med
# and paired_ratio); medians are printed.
times_dir=""
trap '[ -z "$times_dir" ] || rm -rf "$times_dir"' EXIT
alternate() {
  [ -z "$times_dir" ] || rm -rf "$times_dir"
  times_dir="$(mktemp -d "$data_dir/times.XXXXXX")"
  local round turn name t0 t1
  for ((round = 0; round <= rounds; ++round)); do
    for ((turn = 0; turn < $#; ++turn)); do
      name="${*:$(((round + turn) % $# + 1)):1}"
      if declare -F "prep_$name" >/dev/null; then "prep_$name"; fi
      t0=$EPOCHREALTIME
      "run_$name"
      t1=$EPOCHREALTIME
      # Round 0 warms the caches and is not counted.
      ((round == 0)) || awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$times_dir/$name"
    done
  done
  for name in "$@"; do printf '  %-28s median %8.3f s  (%s)\n' "$name" "$(median <"$times_dir/$name")" "$(tr '\n' ' ' <"$times_dir/$name")"; done
}
med() { median <"$times_dir/$1"; }

# paired_ratio A B: "MEDIAN LOW HIGH" of the per-round ratios A/B. A round's
# runs are seconds apart, so a slow drift of the machine (on a shared VM,
# tens of percent over a minute) cancels in each ratio. LOW..HIGH is a
# distribution-free 95% interval for that median (order statistics: the
# widest k with P(Binomial(n, 1/2) < k) <= 2.5%); "n/a" for both with fewer
# than 6 rounds.
paired_ratio() {
  paste "$times_dir/$1" "$times_dir/$2" | awk '$2 > 0 { print $1 / $2 }' | sort -g | awk '
    { v[NR] = $1 }
    END {
      n = NR
      if (n == 0) { print "n/a n/a n/a"; exit }
      middle = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      k = 0; below = 0; p = 0.5 ^ n
      for (i = 0; i < n && below + p <= 0.025; ++i) { below += p; k = i + 1; p = p * (n - i) / (i + 1) }
      if (k == 0) printf "%.3f n/a n/a\n", middle
      else printf "%.3f %.3f %.3f\n", middle, v[k], v[n + 1 - k]
    }'
}

# interval_verdict MEDIAN LOW HIGH OP LIMIT: for a target "OP LIMIT" (OP is
# <= or >=), MEETS when the whole interval LOW..HIGH is on the target's
# side, MISSES when the median is not, and AT THE LIMIT when the interval
# reaches past the limit.
interval_verdict() {
  awk -v m="$1" -v lo="$2" -v hi="$3" -v op="$4" -v l="$5" 'BEGIN {
    far = (op == "<=") ? hi : lo
    ok = (op == "<=") ? m <= l : m >= l
    past = (op == "<=") ? far > l : far < l
    if (!ok) v = "MISSES"; else if (far == "n/a") v = "MEETS at the median (too few rounds for an interval)"
    else if (past) v = "AT THE LIMIT"; else v = "MEETS"
    printf "%s (target %s %s)", v, op, l }'
}

# make_history DIR ARGS...: a bare repository from tg-bench-gen history ARGS,
# reused when ARGS match. Repacked with a fresh delta search (-f), as gc
# leaves a real repository: fast-import deltas each blob against the one it
# wrote before, whatever its path, and kept 91% of them whole; pushes from
# such a pack carry no thin deltas, so no server copies appended to the
# pushed pack (BENCHMARKS.md).
make_history() {
  local dir="$1"; shift
  local key="$* (repack -f)"
  if [ -f "$dir/bench-args" ] && [ "$(cat "$dir/bench-args")" = "$key" ]; then return; fi
  rm -rf "$dir"
  git init -q --bare "$dir"
  echo "  generating $dir ($*)" >&2
  "$gen" history "$@" | git -C "$dir" fast-import --quiet
  git -C "$dir" repack -adfq
  echo "$key" >"$dir/bench-args"
}

# ---- 4. engine ---------------------------------------------------------------
if wants engine; then
  section "Engine (target 4): Scanner::scan, one thread"
  out="$data_dir/engine.txt"
  "$build_dir/tests/bench/engine_bench" --benchmark_color=false \
    --benchmark_filter='BM_Scan/|BM_ScanFiles|BM_DatabaseLoad|BM_DatabaseCompile' \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>/dev/null >"$out"
  # Console lines: NAME_median  TIME UNIT  CPU UNIT  ITERATIONS [bytes_per_second=3.1G/s ...] [LABEL]
  # Rates are CPU time based (one core), in binary units.
  awk '
    $1 ~ /_median$/ {
      name = $1; sub(/_median$/, "", name)
      rate = ""
      for (i = 7; i <= NF; ++i) if ($i ~ /^bytes_per_second=/) rate = $i
      if (rate != "") {
        sub(/^bytes_per_second=/, "", rate); sub(/\/s$/, "", rate)
        scale = 1
        if (rate ~ /k$/) scale = 1024; else if (rate ~ /M$/) scale = 1048576; else if (rate ~ /G$/) scale = 1073741824
        sub(/[kMG]$/, "", rate)
        mbs = rate * scale / 1e6
        target = (name ~ /with_credentials/) ? 0 : (name ~ /ordinary|ScanFiles/) ? 1500 : 200
        if (target == 0) printf "  %-40s %9.0f MB/s  (no target: a credential every 64 KB)\n", name, mbs
        else printf "  %-40s %9.0f MB/s  %5.2fx target (%d MB/s) %s\n", name, mbs, mbs / target, target,
          ((mbs >= target) ? "MEETS" : "MISSES")
      } else {
        printf "  %-40s %9s %s CPU  %s\n", name, $4, $5, (NF >= 7 ? $NF : "")
      }
    }' "$out"
fi

# ---- start-up ------------------------------------------------------------------
if wants startup; then
  section "Start-up (target 4): twilio-guard scan of one small file, whole process"
  small="$data_dir/small.py"
  "$gen" corpus python 2048 >"$small"
  # The embedded database must be loaded, never compiled (compiling costs
  # ~20 ms). The binary is static, so a breakpoint tells.
  compiles="$(gdb -batch -ex 'break hs_compile_multi' -ex run -ex 'info breakpoints' \
    --args "$tg" scan "$small" 2>/dev/null | grep -c 'breakpoint already hit' || true)"
  if [[ $compiles != 0 ]]; then
    echo "  WARNING: the binary compiled the pattern database (embedded database not used)"
  else
    echo "  embedded database loaded (hs_compile_multi never called)"
  fi
  hyperfine -N --warmup 20 --runs 300 --style none --export-csv "$data_dir/startup.csv" \
    "$tg scan $small" "$tg --version" "git --version" "true" >/dev/null 2>&1 ||
    hyperfine --warmup 20 --runs 300 --style none --export-csv "$data_dir/startup.csv" \
      "$tg scan $small" "$tg --version" "git --version" "true" >/dev/null
  mapfile -t m < <(hyperfine_medians "$data_dir/startup.csv")
  mapfile -t c < <(awk -F, 'NR > 1 { print $5 + $6 }' "$data_dir/startup.csv")
  labels=("twilio-guard scan small.py" "twilio-guard --version" "git --version" "true (process spawn)")
  for i in "${!labels[@]}"; do
    printf '  %-34s %7.2f ms wall median, %7.2f ms CPU mean\n' "${labels[$i]}" \
      "$(awk -v s="${m[$i]}" 'BEGIN { print s * 1000 }')" "$(awk -v s="${c[$i]}" 'BEGIN { print s * 1000 }')"
  done
  printf '  scan small.py / git --version = %s\n' "$(ratio "${m[0]}" "${m[2]}")"
fi

# ---- 1. pre-commit --------------------------------------------------------------
if wants precommit; then
  section "pre-commit (target 1): 10 staged files in a 10,000-file repository"
  files=$((full ? 10000 : 10000))
  work="$data_dir/precommit"
  make_history "$data_dir/precommit-source.git" --files "$files" --commits 0 --size 6000 --plant 0
  if [ ! -d "$work/.git" ] || [ "$(cat "$work/.git/bench-args" 2>/dev/null)" != "$files" ]; then
    rm -rf "$work"
    git clone -q "$data_dir/precommit-source.git" "$work"
    echo "$files" >"$work/.git/bench-args"
  fi
  git -C "$work" reset -q --hard
  # Ten ordinary edits, staged: the state every comparison below sees.
  mapfile -t staged < <(git -C "$work" ls-files | awk 'NR % 997 == 1' | head -10)
  for path in "${staged[@]}"; do
    "$gen" corpus ordinary 400 >>"$work/$path"
    printf '\n' >>"$work/$path"
  done
  git -C "$work" add -- "${staged[@]}"
  git -C "$work" diff --cached --quiet && { echo "run.sh: nothing staged" >&2; exit 1; }

  # git-secrets with Twilio patterns, in its own configuration file.
  secrets_cfg="$data_dir/git-secrets.gitconfig"
  rm -f "$secrets_cfg"
  for pattern in 'AC[0-9a-f]{32}' 'SK[0-9a-f]{32}' \
    '[Tt][Ww][Ii][Ll][Ii][Oo].{0,20}[0-9a-f]{32}' '[Aa][Uu][Tt][Hh].?[Tt][Oo][Kk][Ee][Nn].{0,10}[0-9a-f]{32}'; do
    git config --file "$secrets_cfg" --add secrets.patterns "$pattern"
  done
  git -C "$work" config include.path "$secrets_cfg"

  commands=("git diff --cached --quiet")
  names=("git diff --cached --quiet")
  if has_command pre-commit; then
    commands+=("$tg pre-commit"); names+=("twilio-guard pre-commit")
  else
    echo "  twilio-guard pre-commit: not in this build yet (pending)"
  fi
  if command -v git-secrets >/dev/null; then
    commands+=("git secrets --pre_commit_hook"); names+=("git-secrets pre-commit")
  fi
  (cd "$work" && hyperfine -N -i --warmup 5 --runs $((rounds * 20)) --style none \
    --export-csv "$data_dir/precommit.csv" "${commands[@]}" >/dev/null 2>&1 ||
    hyperfine -i --warmup 5 --runs $((rounds * 20)) --style none \
      --export-csv "$data_dir/precommit.csv" "${commands[@]}" >/dev/null)
  mapfile -t m < <(hyperfine_medians "$data_dir/precommit.csv")
  # CPU time (user + system, mean): steadier than wall time on a shared machine.
  mapfile -t c < <(awk -F, 'NR > 1 { print $5 + $6 }' "$data_dir/precommit.csv")
  for i in "${!names[@]}"; do
    printf '  %-30s median %8.2f ms wall, %8.2f ms CPU\n' "${names[$i]}" \
      "$(awk -v s="${m[$i]}" 'BEGIN { print s * 1000 }')" "$(awk -v s="${c[$i]}" 'BEGIN { print s * 1000 }')"
  done
  if has_command pre-commit; then
    r="$(ratio "${m[1]}" "${m[0]}")"
    echo "  twilio-guard / git diff --cached --quiet = $r wall ($(ratio "${c[1]}" "${c[0]}") CPU)  $(verdict "$r" '<=' 1.5)"
    if ((${#m[@]} > 2)); then
      r="$(ratio "${m[2]}" "${m[1]}")"
      echo "  git-secrets / twilio-guard               = $r wall ($(ratio "${c[2]}" "${c[1]}") CPU)  (ratio of the medians above)"
      # The run above measures each command in one stretch: twilio-guard's
      # 100 runs take a second, git-secrets' 15 s, and the VM's speed drifts
      # between them. So the verdict comes from blocks that each time both,
      # one right after the other (the order alternating), and from the
      # median of the blocks' ratios with its 95% interval.
      blocks=$((rounds * 3))
      [ -z "$times_dir" ] || rm -rf "$times_dir"
      times_dir="$(mktemp -d "$data_dir/times.XXXXXX")"
      block_median() { # block_median RUNS COMMAND: hyperfine's median, in seconds
        (cd "$work" && { hyperfine -N -i --warmup 3 --runs "$1" --style none \
          --export-csv "$data_dir/precommit-block.csv" "$2" ||
          hyperfine -i --warmup 3 --runs "$1" --style none \
            --export-csv "$data_dir/precommit-block.csv" "$2"; } >/dev/null 2>&1) &&
          hyperfine_medians "$data_dir/precommit-block.csv"
      }
      time_block() { # time_block FIRST: both commands, FIRST (guard or secrets) first
        local guard secrets
        if [ "$1" = guard ]; then
          guard="$(block_median 20 "$tg pre-commit")" && secrets="$(block_median 3 "git secrets --pre_commit_hook")"
        else
          secrets="$(block_median 3 "git secrets --pre_commit_hook")" && guard="$(block_median 20 "$tg pre-commit")"
        fi || return 1
        echo "$guard" >>"$times_dir/guard"
        echo "$secrets" >>"$times_dir/secrets"
      }
      for ((block = 0; block < blocks; ++block)); do
        if ((block % 2)); then first=secrets; else first=guard; fi
        time_block "$first" || { echo "  run.sh: hyperfine failed in a block of the git-secrets comparison" >&2; exit 1; }
      done
      read -r middle low high <<<"$(paired_ratio secrets guard)"
      echo "    in $blocks blocks (twilio-guard 20 runs, git-secrets 3, one after the other):" \
        "median $middle, 95% interval $low-$high  $(interval_verdict "$middle" "$low" "$high" '>=' 20)"
    fi
  fi
  git -C "$work" config --unset include.path || true
fi

# ---- 2. and 3. pushes -------------------------------------------------------------
# push_suite LABEL SOURCE_GIT_DIR: the large push (whole history into an empty
# bare repository) and the ordinary push (200 commits onto its main).
push_suite() {
  local label="$1" source="$2"
  local branch hook_bin="$tg"
  branch="$(git -C "$source" symbolic-ref --short HEAD 2>/dev/null || echo main)"
  git -C "$source" rev-parse -q --verify "$branch^{commit}" >/dev/null ||
    branch="$(git -C "$source" for-each-ref --format='%(refname:short)' refs/heads | head -1)"
  local commits size
  commits="$(git -C "$source" rev-list --count "$branch")"
  size="$(git -C "$source" count-objects -vH | awk -F': ' '/size-pack/ { print $2 }')"
  local dst="$data_dir/push-dst.git" hook_log="$data_dir/hook-time"
  local have_hook=0
  has_command pre-receive && have_hook=1

  # install_hook BARE_REPO [shipped|clocked]: the hook under GNU time, which
  # logs its wall time (to 10 ms) and peak RSS; "shipped": the hook
  # `twilio-guard install --repo` writes, as users get it, for ratios without
  # a wrapper's own milliseconds; "clocked": a bash wrapper that logs, to
  # the microsecond, when it started the hook and when the hook ended (the
  # hook's process creation is counted, bash's own start is not).
  install_hook() {
    if [ "${2:-}" = shipped ]; then
      "$hook_bin" install --repo "$1" >/dev/null
      return
    fi
    if [ "${2:-}" = clocked ]; then
      printf '#!/bin/bash\nt0=$EPOCHREALTIME\n"%s" pre-receive\nstatus=$?\nt1=$EPOCHREALTIME\necho "$t0 $t1" >>"%s"\nexit $status\n' \
        "$hook_bin" "$hook_log" >"$1/hooks/pre-receive"
      chmod +x "$1/hooks/pre-receive"
      return
    fi
    printf '#!/bin/sh\nexec /usr/bin/time -a -o "%s" -f "%%e %%M" "%s" pre-receive\n' "$hook_log" "$hook_bin" \
      >"$1/hooks/pre-receive"
    chmod +x "$1/hooks/pre-receive"
  }

  if wants push; then
    section "pre-receive, large push (target 2): $label, $commits commits on $branch, pack $size"
    # Unique blob content the hook has to read.
    local blob_bytes
    blob_bytes="$(git -C "$source" rev-list --objects "$branch" | git -C "$source" cat-file --batch-check='%(objecttype) %(objectsize) %(rest)' |
      awk '$1 == "blob" { s += $2 } END { print s }')"
    echo "  unique blob content: $(awk -v b="$blob_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')"
    : >"$hook_log"
    # %(rest) makes cat-file take the object id up to the first space of
    # each `<id> <path>` line; without it every blob and tree is "missing".
    run_catfile() { git -C "$source" rev-list --objects --all |
      git -C "$source" cat-file --batch='%(objectname) %(objecttype) %(objectsize) %(rest)' >/dev/null; }
    prep_push_plain() { rm -rf "$dst"; git init -q --bare "$dst"; }
    run_push_plain() { git -C "$source" push -q "$dst" "$branch:refs/heads/$branch" 2>/dev/null; }
    prep_push_hook() { rm -rf "$dst"; git init -q --bare "$dst"; install_hook "$dst"; }
    # The hook reads the whole history here, without its time budget
    # (server.time_budget_ms, 4 s by default): with it, a push of a few GB
    # would be rejected as timed out after 4 s, and the ratios would measure
    # the budget instead of the scan.
    local no_budget="$data_dir/no-time-budget.toml"
    printf '[server]\ntime_budget_ms = 0\n' >"$no_budget"
    run_push_hook() { TWILIO_GUARD_SYSTEM_CONFIG="$no_budget" git -C "$source" push -q "$dst" "$branch:refs/heads/$branch" >/dev/null 2>&1 || true; }
    # The hook alone, as git runs it after receiving: every object present
    # but no ref pointing at them yet, stdin the ref update.
    local zero new
    zero="$(git -C "$source" rev-parse "$branch" | sed 's/./0/g')"
    new="$(git -C "$source" rev-parse "$branch")"
    prep_hook_alone() {
      [ -d "$data_dir/push-full.git" ] && return
      git init -q --bare "$data_dir/push-full.git"
      git -C "$source" push -q "$data_dir/push-full.git" "$branch:refs/heads/$branch"
      git -C "$data_dir/push-full.git" update-ref -d "refs/heads/$branch"
    }
    run_hook_alone() { (cd "$data_dir/push-full.git" && echo "$zero $new refs/heads/$branch" |
      TWILIO_GUARD_SYSTEM_CONFIG="$no_budget" /usr/bin/time -a -o "$hook_log.alone" -f '%e %M' "$hook_bin" pre-receive >/dev/null 2>&1) || true; }
    rm -rf "$data_dir/push-full.git"; : >"$hook_log.alone"
    if ((have_hook)); then
      alternate catfile push_plain push_hook hook_alone
      local hook_wall hook_rss
      hook_wall="$(tail -n "$rounds" "$hook_log.alone" | awk '{ print $1 }' | median)"
      hook_rss="$(awk '{ print $2 }' "$hook_log" "$hook_log.alone" | sort -g | tail -1)"
      local hook_in_push
      hook_in_push="$(tail -n "$rounds" "$hook_log" | awk '{ print $1 }' | median)"
      echo "  hook alone (median)         $hook_wall s; inside the push $hook_in_push s"
      r="$(ratio "$hook_wall" "$(med catfile)")"
      echo "  hook / rev-list|cat-file    = $r  $(verdict "$r" '<=' 1)"
      r="$(ratio "$hook_in_push" "$(med push_plain)")"
      echo "  hook in push / push without = $r  $(verdict "$r" '<=' 1)"
      echo "  hook peak RSS               = $((hook_rss / 1024)) MB  $(verdict $((hook_rss / 1024)) '<=' 256)"
    else
      echo "  twilio-guard pre-receive: not in this build yet (pending); references only"
      alternate catfile push_plain
    fi
    rm -rf "$dst" "$data_dir/push-full.git"
  fi

  if wants ordinary-push; then
    local rounds="$ordinary_push_rounds"  # for alternate and the logs below
    # Two windows of 200 commits. "clean": the 200 commits before the first
    # planted credential, as in a repository that never held one; the hook
    # scans the pushed objects and is done. "tip": the last 200 commits,
    # which edit files that still hold a planted credential; every such
    # blob is a finding to attribute, so the hook also walks the commits.
    local first_plant
    first_plant="$(git -C "$source" log --reverse --format=%H -G 'TWILIO_AUTH_TOKEN=' "$branch" | awk 'NR == 1')"
    local windows=()
    if [ -n "$first_plant" ] && (($(git -C "$source" rev-list --count "$first_plant") > 201)); then
      windows+=("clean:$first_plant~1")
    else
      echo "  (no 200 commits before the first planted credential: clean window skipped)"
    fi
    windows+=("tip:$branch")
    local window kind tip
    for window in "${windows[@]}"; do
      kind="${window%%:*}" tip="${window#*:}"
      section "pre-receive, ordinary push (target 3): $label, 200 commits ($kind window)"
      if (($(git -C "$source" rev-list --count "$tip") <= 200)); then
        echo "  history too short for a 200-commit push; skipped"
        continue
      fi
      local base="$data_dir/push-base.git"
      rm -rf "$base"; git init -q --bare "$base"
      git -C "$source" push -q "$base" "$tip~200:refs/heads/$branch"
      : >"$hook_log"
      prep_small_plain() { rm -rf "$dst"; cp -al "$base" "$dst"; }
      run_small_plain() { git -C "$source" push -q "$dst" "$tip:refs/heads/$branch" 2>/dev/null; }
      prep_small_hook() { rm -rf "$dst"; cp -al "$base" "$dst"; install_hook "$dst" shipped; }
      run_small_hook() { git -C "$source" push -q "$dst" "$tip:refs/heads/$branch" >/dev/null 2>&1 || true; }
      prep_small_timed() { rm -rf "$dst"; cp -al "$base" "$dst"; install_hook "$dst" clocked; }
      run_small_timed() { run_small_hook; }
      # What any pre-receive hook costs git: starting a shell that does nothing.
      prep_small_noop() {
        rm -rf "$dst"; cp -al "$base" "$dst"
        printf '#!/bin/sh\nexit 0\n' >"$dst/hooks/pre-receive"; chmod +x "$dst/hooks/pre-receive"
      }
      run_small_noop() { run_small_hook; }
      if ((have_hook)); then
        # A hook that fails fast would time well: check its answer first.
        # Clean window: accepted. Tip window: rejected for a credential,
        # not for an error.
        prep_small_hook
        local answer accepted=1
        answer="$(git -C "$source" push "$dst" "$tip:refs/heads/$branch" 2>&1)" || accepted=0
        if { [ "$kind" = clean ] && ((!accepted)); } || grep -q "twilio-guard: error" <<<"$answer" ||
          { [ "$kind" = tip ] && ! grep -qE "push rejected: [0-9]+ blocking" <<<"$answer"; }; then
          echo "  the hook did not answer as expected for this window; its output (credentials are redacted):" >&2
          tail -n 20 <<<"$answer" >&2
          exit 1
        fi
        alternate small_plain small_hook small_timed small_noop
        r="$(ratio "$(med small_hook)" "$(med small_plain)")"
        echo "  push with hook / without    = $r  (ratio of the medians)"
        local middle low high
        read -r middle low high <<<"$(paired_ratio small_hook small_plain)"
        echo "    per round: median $middle, 95% interval $low-$high  $(interval_verdict "$middle" "$low" "$high" '<=' 1.10)"
        echo "  no-op hook / without        = $(ratio "$(med small_noop)" "$(med small_plain)")  (what any hook costs)"
        read -r middle low high <<<"$(paired_ratio small_noop small_plain)"
        echo "    per round: median $middle, 95% interval $low-$high"
        echo "  hook itself (median)        $(tail -n "$rounds" "$hook_log" | awk '{ printf "%.2f\n", ($2 - $1) * 1000 }' | median) ms;" \
          "push with hook - without, per round (median): $(paste "$times_dir/small_hook" "$times_dir/small_plain" |
          awk '{ printf "%.2f\n", ($1 - $2) * 1000 }' | median) ms"
      else
        echo "  twilio-guard pre-receive: not in this build yet (pending); reference only"
        alternate small_plain
      fi
      rm -rf "$dst" "$base"
    done
  fi
}

# ---- 2. peak memory on large packs ---------------------------------------------------
# Whatever the push's size, the hook's peak RSS stays under 256 MB. Pushes
# into an empty bare repository, their packs larger than that: a few hundred
# files of base64 text that does not compress (the pack as large as the
# content), a million one-line files in 200 commits (an entry header on every
# page of the pack, and the hook's memory for each object), and those with a
# fake credential on top (the walk that attributes it). The
# hook inside each push, and alone on its objects with no quarantine: the
# commit walk, as with server.scan_known_objects (libgit2 reads the pack).
if wants memory && has_command pre-receive; then
  section "pre-receive at scale (target 2): peak memory under 256 MB whatever the push size; one run each"
  memory_push() { # memory_push LABEL SOURCE [BRANCH], pushed as main
    local label="$1" source="$2" branch="${3:-main}" dst="$data_dir/memory-dst.git" log="$data_dir/memory-hook-time" t0 t1
    rm -rf "$dst" && git init -q --bare "$dst" && : >"$log"
    printf '#!/bin/sh\nexec /usr/bin/time -a -o "%s" -f "%%e %%M" "%s" pre-receive\n' "$log" "$tg" >"$dst/hooks/pre-receive"
    chmod +x "$dst/hooks/pre-receive"
    t0=$EPOCHREALTIME
    git -C "$source" push -q "$dst" "$branch:refs/heads/main" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    # Target 2's first time reference: the same push without the hook. It
    # also stores the objects for the hook alone (a rejected push did not).
    local p0 p1 c0 c1
    rm -rf "$dst" && git init -q --bare "$dst"
    p0=$EPOCHREALTIME
    git -C "$source" push -q "$dst" "$branch:refs/heads/main" >/dev/null 2>&1
    p1=$EPOCHREALTIME
    local tip pack_mb
    tip="$(git -C "$source" rev-parse "$branch")"
    pack_mb="$(du -m "$dst"/objects/pack/*.pack | awk '{ s += $1 } END { print s }')"
    git -C "$dst" update-ref -d refs/heads/main
    local alone_status=0
    (cd "$dst" && echo "${tip//?/0} $tip refs/heads/main" |
      /usr/bin/time -a -o "$log" -f '%e %M' "$tg" pre-receive >/dev/null 2>&1) || alone_status=$?
    # GNU time writes "Command exited with non-zero status N" before a line
    # of its format when the hook rejects.
    read -r in_wall in_rss <<<"$(grep -E '^[0-9.]+ [0-9]+$' "$log" | sed -n 1p)"
    read -r alone_wall alone_rss <<<"$(grep -E '^[0-9.]+ [0-9]+$' "$log" | sed -n 2p)"
    # The second: git reading the same objects.
    c0=$EPOCHREALTIME
    git -C "$source" rev-list --objects "$branch" |
      git -C "$source" cat-file --batch='%(objectname) %(objecttype) %(objectsize) %(rest)' >/dev/null
    c1=$EPOCHREALTIME
    local push_plain catfile
    push_plain="$(awk -v a="$p0" -v b="$p1" 'BEGIN { printf "%.2f", b - a }')"
    catfile="$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')"
    echo "  $label: pack $pack_mb MB; push with the hook $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s," \
      "without $push_plain s; rev-list | cat-file $catfile s"
    echo "    hook in the push  $in_wall s, peak RSS $((in_rss / 1024)) MB  $(verdict $((in_rss / 1024)) '<=' 256);" \
      "/ push without = $(ratio "$in_wall" "$push_plain")  $(verdict "$(ratio "$in_wall" "$push_plain")" '<=' 1)"
    echo "    hook alone        $alone_wall s, peak RSS $((alone_rss / 1024)) MB  $(verdict $((alone_rss / 1024)) '<=' 256)" \
      "$( ((alone_status == 0)) || echo "(exit $alone_status: 1 rejects a credential, 3 is the time budget's rejection)")"
    echo "    hook alone / rev-list | cat-file = $(ratio "$alone_wall" "$catfile")" \
      "$( ((alone_status == 3)) && echo "(of a scan stopped early)" || verdict "$(ratio "$alone_wall" "$catfile")" '<=' 1)"
    rm -rf "$dst"
  }
  large_files="$data_dir/memory-large-files"
  if [ "$(cat "$large_files/bench-args" 2>/dev/null)" != "$memory_mb" ]; then
    rm -rf "$large_files" && git init -q "$large_files"
    for ((i = 0; i < memory_mb * 3 / 8; ++i)); do head -c 2000000 /dev/urandom | base64 -w 76 >"$large_files/f$i.txt"; done
    git -C "$large_files" add . && git -C "$large_files" commit -qm "large files"
    echo "$memory_mb" >"$large_files/bench-args"
  fi
  memory_push "large files" "$large_files"
  many_files="$data_dir/memory-many-files.git"
  if [ ! -f "$many_files/bench-args" ]; then
    rm -rf "$many_files" && git init -q --bare "$many_files"
    head -c 225000000 /dev/urandom | base64 -w 300 | awk '{
      c = int((NR - 1) / 5000); f = (NR - 1) % 5000
      if (f == 0) printf "commit refs/heads/main\ncommitter bench <bench@example.com> 1700000000 +0000\ndata 11\ncommit %03d\n", c
      printf "M 644 inline d%d/f%d.txt\ndata %d\n%s\n\n", c, f, length($0) + 1, $0
    }' | git -C "$many_files" fast-import --quiet
    echo many >"$many_files/bench-args"
  fi
  memory_push "a million files" "$many_files"
  # The same with a fake credential in one more commit: the pass suspects
  # it, and the walk that names its path and commit must stay bounded too.
  if ! git -C "$many_files" rev-parse -q --verify refs/heads/leak >/dev/null; then
    printf 'commit refs/heads/leak\ncommitter bench <bench@example.com> 1700000001 +0000\ndata 5\nleak\nfrom %s\nM 644 inline settings.py\ndata <<EOM\nTWILIO_AUTH_TOKEN = "%s"\nEOM\n' \
      "$(git -C "$many_files" rev-parse main)" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" |
      git -C "$many_files" fast-import --quiet
  fi
  memory_push "a million files and a credential" "$many_files" leak
fi

if wants push || wants ordinary-push; then
  if ((full)); then
    history_args=(--files 10000 --commits 40000 --edits 4 --size 16384 --plant 5)
  else
    history_args=(--files 2000 --commits 2000 --edits 3 --size 8192 --plant 3)
  fi
  make_history "$data_dir/history.git" "${history_args[@]}"
  push_suite "synthetic history" "$data_dir/history.git"
  if [ -n "$repo" ]; then
    rm -rf "$data_dir/user-repo.git"
    git clone -q --mirror "$repo" "$data_dir/user-repo.git"
    push_suite "$(basename "$repo")" "$data_dir/user-repo.git"
    rm -rf "$data_dir/user-repo.git"
  fi
fi
