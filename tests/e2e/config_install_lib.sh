# Helpers for the configuration, installation and packaging end-to-end tests:
# each script sources this and gets its own temporary directory (removed on
# exit), an isolated HOME and git configuration, no system configuration,
# and generated fake credentials.
set -euo pipefail

SOURCE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TG_BIN="${1:?usage: $0 PATH-TO-twilio-guard}"
TG_BIN="$(cd "$(dirname "$TG_BIN")" && pwd)/$(basename "$TG_BIN")"
TEST_DIR="$(mktemp -d "${TMPDIR:-/tmp}/twilio-guard-e2e.XXXXXX")"
cleanup() { rm -rf "$TEST_DIR"; }
trap cleanup EXIT

export HOME="$TEST_DIR/home"
export XDG_CONFIG_HOME="$HOME/.config"
export TWILIO_GUARD_SYSTEM_CONFIG="$TEST_DIR/system-config.toml"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

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

hex32() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
fake_sid() { echo "AC$(hex32)"; }
fake_token() { hex32; }
redacted() { echo "${1:0:4}...${1: -4}"; }

# expect_status WANT DESCRIPTION -- COMMAND...: runs COMMAND, keeps its
# output (stdout and stderr) in $OUT, checks the exit status (or "nonzero").
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

# True when this build has the git hook command $1 (pre-commit, pre-receive).
has_command() { "$TG_BIN" --help 2>/dev/null | grep -qE "^ +$1( |$)"; }
skipped=0
skip_check() { skipped=$((skipped + 1)); echo "SKIP: $*" >&2; }

# snapshot DIR: every entry's name, type, mode and content hash, sorted; to
# prove that a directory is byte for byte what it was.
snapshot() {
  (cd "$1" && find . -mindepth 1 -printf '%p %y %m %l\n' | sort &&
    find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# new_repo DIR: a work tree with one commit of a harmless file.
new_repo() {
  git init -q "$1"
  (cd "$1" && echo "# readme" >README.md && git add README.md && git commit -qm "initial")
}

# A settings file holding a fake Account SID and Auth Token.
write_credential_file() {
  printf 'import os\nTWILIO_ACCOUNT_SID = "%s"\nTWILIO_AUTH_TOKEN = "%s"\n' "$(fake_sid)" "$2" >"$1"
}
