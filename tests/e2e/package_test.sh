#!/usr/bin/env bash
# Packaging: `cmake --install` into a prefix, and the Debian package built
# with CPack, unpacked with `dpkg -x` (no system changes), whose binary then
# blocks a commit of a staged fake credential.
#   package_test.sh PATH-TO-twilio-guard BUILD-DIR
source "$(dirname "$0")/config_install_lib.sh"
build_dir="${2:?usage: $0 PATH-TO-twilio-guard BUILD-DIR}"

# cmake --install to an arbitrary prefix.
prefix="$TEST_DIR/prefix"
expect_status 0 "cmake --install" -- cmake --install "$build_dir" --prefix "$prefix"
for file in bin/twilio-guard share/man/man1/twilio-guard.1.gz share/doc/twilio-guard/examples/config.toml \
  share/twilio-guard/server/gitlab/pre-receive.d/twilio-guard; do
  if [[ -e $prefix/$file ]]; then pass; else fail_check "cmake --install lacks $file"; fi
done
expect_status 0 "installed binary runs" -- "$prefix/bin/twilio-guard" --version

# The Debian package.
expect_status 0 "cpack -G DEB" -- cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$TEST_DIR/pkg"
deb="$(ls "$TEST_DIR"/pkg/twilio-guard_*.deb 2>/dev/null | head -1)"
if [[ -n $deb ]]; then pass; else fail_check "no .deb built"; echo "$OUT" >&2; finish; fi
expect_status 0 "package metadata" -- dpkg-deb --info "$deb"
expect_output "package name" "Package: twilio-guard"
# Dependencies follow the binary: what it loads is a package dependency,
# what is linked in is not: Hyperscan, toml++ and fmt always; libgit2,
# libcrypto and libstdc++ as the build chose (cmake/dependencies.cmake).
needed=" $(readelf -d "$TG_BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
depends=",$(sed -n 's/^ Depends: //p' <<<"$OUT" | sed 's/ ([^)]*)//g; s/ //g'),"
for library in libhs libtomlplusplus libfmt; do
  if [[ $needed == *" $library.so"* ]]; then fail_check "the binary loads $library"; else pass; fi
done
for pair in libc.so:libc6 libhs.so:libhyperscan5 libtomlplusplus.so:libtomlplusplus3 libfmt.so:libfmt9 \
  libcrypto.so:libssl3 libgit2.so:libgit2-1.5 libstdc++.so:libstdc++6; do
  library="${pair%%:*}" package="${pair#*:}"
  loads=no depends_on=no
  [[ $needed == *" $library"* ]] && loads=yes
  [[ $depends == *",$package,"* ]] && depends_on=yes
  expect_equal "depends on $package as the binary loads $library" "$loads" "$depends_on"
done
expect_output "depends on git" "git"
expect_status 0 "package contents" -- dpkg-deb --contents "$deb"
for file in ./usr/bin/twilio-guard ./usr/share/man/man1/twilio-guard.1.gz \
  ./usr/share/doc/twilio-guard/examples/config.toml ./usr/share/doc/twilio-guard/README.md \
  ./usr/share/twilio-guard/server/ghes/twilio-guard.sh; do
  expect_output "package holds $file" "$file"
done

root="$TEST_DIR/root"
dpkg -x "$deb" "$root"
packaged="$root/usr/bin/twilio-guard"
expect_status 0 "packaged --version" -- "$packaged" --version
expect_output "version names the rule set" "rules "
expect_status 0 "man page is readable" -- sh -c "gzip -dc '$root/usr/share/man/man1/twilio-guard.1.gz' | grep -q '^.SH NAME'"
expect_status 0 "packaged example configuration checks" -- "$packaged" config --check "$root/usr/share/doc/twilio-guard/examples/config.toml"
for command in scan install uninstall config; do
  expect_status 0 "$command --help" -- "$packaged" "$command" --help
done

# Its binary blocks a commit of a staged fake credential.
repo="$TEST_DIR/repo"
new_repo "$repo"
cd "$repo"
token="$(fake_token)"
write_credential_file settings.py "$token"
git add settings.py
if has_command pre-commit; then
  expect_status 0 "packaged binary installs the hooks" -- "$packaged" install
  if grep -qF "$packaged" .git/hooks/pre-commit; then pass; else fail_check "hook runs the packaged binary"; fi
  expect_status nonzero "commit blocked by the packaged binary" -- git commit -qm "credential"
  expect_output "rule named" "twilio-auth-token"
  expect_no_output "never the full value" "$token"
  expect_status 1 "nothing was committed" -- git rev-parse -q --verify HEAD~1
else
  skip_check "this build has no pre-commit command: scanning the staged file instead"
  expect_status 1 "packaged binary blocks the staged credential" -- "$packaged" scan settings.py
  expect_no_output "never the full value" "$token"
fi

finish
