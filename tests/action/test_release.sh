#!/usr/bin/env bash
# A dry run of the release build for the host target: scripts/release-build.sh, the script
# .github/workflows/release.yml calls for every target, here with the dev profile (the suite
# has just built it). Checks the archive's layout and checksum, then installs it with the
# Action's installer from a file:// "release" and runs the installed binary.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "PASS $1"; }
bad() { echo "FAIL $1" >&2; failed=1; }

host="$(rustc -vV | sed -n 's/^host: //p')"
archive="$("$root/scripts/release-build.sh" --profile dev "$host" "$tmp/dist" 2>"$tmp/build.log" | tail -n 1)"
if [ "$archive" = "$tmp/dist/goleaklint-$host.tar.gz" ] && [ -f "$archive" ]; then
  ok "release-build.sh writes goleaklint-$host.tar.gz"
else
  bad "release-build.sh wrote '$archive': $(tail -n 20 "$tmp/build.log")"
  exit 1
fi

layout="$(tar -tzf "$archive" | sort | tr '\n' ' ')"
if [ "$layout" = "goleaklint-$host/ goleaklint-$host/README.md goleaklint-$host/goleaklint " ]; then
  ok "archive layout: goleaklint-$host/{goleaklint,README.md}"
else
  bad "archive layout: $layout"
fi
tar -xzf "$archive" -C "$tmp" && [ -x "$tmp/goleaklint-$host/goleaklint" ] && ok "the binary is executable" || bad "the binary is not executable"

if [ "$(cat "$archive.sha256")" = "$(cd "$tmp/dist" && sha256sum "goleaklint-$host.tar.gz")" ] &&
  (cd "$tmp/dist" && sha256sum --quiet -c "goleaklint-$host.tar.gz.sha256"); then
  ok "the .sha256 is sha256sum's line for the archive"
else
  bad "the .sha256 does not match: $(cat "$archive.sha256")"
fi

out="$(env -u GITHUB_OUTPUT -u GITHUB_PATH -u GOLEAKLINT_BIN -u GOLEAKLINT_SOURCE_DIR \
  GOLEAKLINT_RELEASE_BASE_URL="file://$tmp/dist" GOLEAKLINT_TARGET="$host" GOLEAKLINT_NO_CARGO_FALLBACK=1 \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst" INPUT_VERSION=latest bash "$root/scripts/action/install.sh" 2>"$tmp/install.log")"
version="$("$tmp/inst/bin/goleaklint" --version 2>/dev/null)"
want="goleaklint $(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
if [ "$out" = "$tmp/inst/bin/goleaklint" ] && [ "$version" = "$want" ] && grep -q "checksum OK" "$tmp/install.log"; then
  ok "install.sh verifies and installs the archive ($version)"
else
  bad "install.sh: out=$out version=$version want=$want: $(cat "$tmp/install.log")"
fi
[ "$failed" -eq 0 ]
