# Helpers for the configuration, installation and packaging end-to-end tests:
# everything of lib.sh (temporary directory, isolated HOME and git
# configuration, checks, fake credentials), plus no system configuration (a
# path of the test's own, absent until a test writes it), the user
# configuration under the test's HOME, and a few helpers of their own.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOURCE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export XDG_CONFIG_HOME="$HOME/.config"
export TWILIO_GUARD_SYSTEM_CONFIG="$TEST_DIR/system-config.toml"

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

# A settings file holding a fake Account SID and Auth Token.
write_credential_file() {
  printf 'import os\nTWILIO_ACCOUNT_SID = "%s"\nTWILIO_AUTH_TOKEN = "%s"\n' "$(fake_sid)" "$2" >"$1"
}
