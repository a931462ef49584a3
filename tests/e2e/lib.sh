# Shared helpers for the end-to-end tests: each test script sources this,
# gets its own temporary directory (removed on exit), an isolated git
# configuration, and generated fake credentials.
set -euo pipefail

TG_BIN="${1:?usage: $0 PATH-TO-twilio-guard}"
TG_BIN="$(cd "$(dirname "$TG_BIN")" && pwd)/$(basename "$TG_BIN")"
TEST_DIR="$(mktemp -d "${TMPDIR:-/tmp}/twilio-guard-e2e.XXXXXX")"
# Tests that start processes add their ids here; they are stopped on exit.
TEST_PIDS=()
cleanup() {
  local pid
  for pid in "${TEST_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TEST_DIR"
}
trap cleanup EXIT

# No user or system configuration, no inherited repository.
export HOME="$TEST_DIR/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global protocol.file.allow always

failures=0
checks=0
pass() { checks=$((checks + 1)); }
fail_check() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*" >&2; }
finish() {
  if ((failures > 0)); then
    echo "$failures of $checks checks failed" >&2
    exit 1
  fi
  echo "all $checks checks passed"
}

# 32 random hex digits: a fake token that passes plausibility checks.
hex32() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
fake_sid() { echo "AC$(hex32)"; }
fake_token() { hex32; }
# The redacted form twilio-guard prints: four characters at each end.
redacted() { echo "${1:0:4}...${1: -4}"; }

# expect_status WANT DESCRIPTION -- COMMAND...: runs COMMAND, keeps its
# stderr+stdout in $OUT, checks the exit status.
expect_status() {
  local want="$1" what="$2"
  shift 3
  set +e
  OUT="$("$@" 2>&1)"
  local got=$?
  set -e
  if [[ "$want" == nonzero ]]; then
    if ((got != 0)); then pass; else fail_check "$what: expected failure, got 0"; echo "$OUT" >&2; fi
  elif ((got == want)); then
    pass
  else
    fail_check "$what: expected status $want, got $got"
    echo "$OUT" >&2
  fi
}
expect_output() {
  local what="$1" needle="$2"
  if grep -qF -- "$needle" <<<"$OUT"; then pass; else fail_check "$what: output lacks '$needle'"; echo "$OUT" >&2; fi
}
expect_no_output() {
  local what="$1" needle="$2"
  if grep -qF -- "$needle" <<<"$OUT"; then fail_check "$what: output has '$needle'"; echo "$OUT" >&2; else pass; fi
}
expect_equal() {
  local what="$1" want="$2" got="$3"
  if [[ "$want" == "$got" ]]; then pass; else fail_check "$what: expected '$want', got '$got'"; fi
}

# install_hook REPO_GIT_DIR HOOK [ARGS...]: a hook script that runs the binary.
install_hook() {
  local dir="$1" hook="$2"
  shift 2
  mkdir -p "$dir/hooks"
  printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$TG_BIN" "$hook $*" >"$dir/hooks/$hook"
  chmod +x "$dir/hooks/$hook"
}

# new_repo DIR: a work tree with one commit of a harmless file.
new_repo() {
  git init -q "$1"
  (cd "$1" && echo "# readme" >README.md && git add README.md && git commit -qm "initial")
}

# True when this build reads configuration files (server settings need one).
config_files_supported() {
  local probe="$TEST_DIR/probe.toml"
  : >"$probe"
  "$TG_BIN" scan --config "$probe" "$probe" >/dev/null 2>&1
}
skip_check() { echo "SKIP: $*" >&2; }

# new_server NAME [CONFIG-TOML]: a bare repository whose pre-receive hook
# runs twilio-guard (with --config when CONFIG-TOML is given). Prints its path.
new_server() {
  local server="$TEST_DIR/$1.git"
  git init -q --bare "$server"
  git -C "$server" config receive.advertisePushOptions true
  if [[ -n "${2:-}" ]]; then
    printf '%s\n' "$2" >"$TEST_DIR/$1.toml"
    install_hook "$server" pre-receive --config "$TEST_DIR/$1.toml"
  else
    install_hook "$server" pre-receive
  fi
  echo "$server"
}
