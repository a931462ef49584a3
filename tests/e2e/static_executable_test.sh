#!/usr/bin/env bash
# The static executable (cmake/dependencies.cmake): no program interpreter,
# no shared library, and a scan that needs no file of the system: in an
# empty root holding only the binary (when chroot is allowed), it still
# finds a staged-style fake credential and blocks on it.
#   static_executable_test.sh PATH-TO-twilio-guard
source "$(dirname "$0")/lib.sh"

headers="$(readelf -l -d "$TG_BIN")"
if grep -q "INTERP" <<<"$headers"; then fail_check "the binary asks for a program interpreter"; else pass; fi
if grep -q "(NEEDED)" <<<"$headers"; then
  fail_check "the binary loads shared libraries: $(grep "(NEEDED)" <<<"$headers" | tr -s ' ')"
else
  pass
fi
if grep -q "DYN (Position-Independent Executable" <<<"$(readelf -h "$TG_BIN")"; then
  pass
else
  fail_check "the binary is not position-independent (no address randomisation)"
fi

root="$TEST_DIR/root"
mkdir -p "$root/bin" "$root/work"
cp "$TG_BIN" "$root/bin/twilio-guard"
token="$(fake_token)"
printf 'TWILIO_ACCOUNT_SID = "%s"\nTWILIO_AUTH_TOKEN = "%s"\n' "$(fake_sid)" "$token" >"$root/work/settings.py"
if chroot "$root" /bin/twilio-guard --version >/dev/null 2>&1; then
  expect_status 1 "scan in an empty root" -- chroot "$root" /bin/twilio-guard scan /work/settings.py
  expect_output "finding in an empty root" "$(redacted "$token")"
  expect_no_output "credential never in full" "$token"
else
  echo "SKIP: chroot not permitted here" >&2
fi
finish
