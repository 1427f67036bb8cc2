#!/usr/bin/env bash
# A dry run of the release build for the host target: scripts/release-build.sh, the script
# .github/workflows/release.yml calls for every target. It packages the debug binary `cargo test`
# has just built (GOLEAKLINT_PREBUILT_BIN; without one it builds with the dev profile). Checks
# the archive's layout and checksum, then installs it with the Action's installer from a
# file:// "release" and runs the installed binary.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "PASS $1"; }
bad() { echo "FAIL $1" >&2; failed=1; }

host="$(rustc -vV | sed -n 's/^host: //p')"
built="${CARGO_TARGET_DIR:-$root/target}/debug/goleaklint"
prebuilt=()
if [ -x "$built" ]; then
  prebuilt=(env GOLEAKLINT_PREBUILT_BIN="$built")
  echo "packaging the binary the suite built: $built"
else
  echo "no binary at $built: release-build.sh builds one (dev profile)"
fi
archive="$(${prebuilt[@]+"${prebuilt[@]}"} "$root/scripts/release-build.sh" --profile dev "$host" "$tmp/dist" 2>"$tmp/build.log" | tail -n 1)"
if [ "$archive" = "$tmp/dist/goleaklint-$host.tar.gz" ] && [ -f "$archive" ]; then
  ok "release-build.sh writes goleaklint-$host.tar.gz"
else
  bad "release-build.sh wrote '$archive': $(tail -n 20 "$tmp/build.log")"
  exit 1
fi
if [ "${#prebuilt[@]}" -gt 0 ]; then
  if ! grep -q "cargo build\|Compiling\|Finished" "$tmp/build.log" &&
    tar -xzOf "$archive" "goleaklint-$host/goleaklint" | cmp -s - "$built"; then
    ok "the archive holds the suite's binary, with no rebuild"
  else
    bad "GOLEAKLINT_PREBUILT_BIN was not used: $(tail -n 5 "$tmp/build.log")"
  fi
fi
if grep -q GOLEAKLINT_PREBUILT_BIN "$root/.github/workflows/release.yml"; then
  bad "the release workflow must build its binaries: it sets GOLEAKLINT_PREBUILT_BIN"
else
  ok "the release workflow leaves GOLEAKLINT_PREBUILT_BIN unset"
fi
for wrong in "$tmp/no-such-binary" "$root/README.md"; do
  if GOLEAKLINT_PREBUILT_BIN="$wrong" "$root/scripts/release-build.sh" "$host" "$tmp/wrong" >/dev/null 2>"$tmp/wrong.log"; then
    bad "release-build.sh accepted GOLEAKLINT_PREBUILT_BIN=$wrong"
  elif grep -q "not an executable file" "$tmp/wrong.log"; then
    ok "release-build.sh refuses GOLEAKLINT_PREBUILT_BIN=$(basename "$wrong")"
  else
    bad "release-build.sh with GOLEAKLINT_PREBUILT_BIN=$wrong: $(cat "$tmp/wrong.log")"
  fi
done
if GOLEAKLINT_PREBUILT_BIN="$built" "$root/scripts/release-build.sh" x86_64-pc-windows-msvc "$tmp/wrong" >/dev/null 2>"$tmp/cross.log" ||
  ! grep -q "binary for the host" "$tmp/cross.log"; then
  [ "$host" = x86_64-pc-windows-msvc ] || bad "release-build.sh packaged a host binary for another target: $(cat "$tmp/cross.log")"
else
  ok "release-build.sh refuses a prebuilt binary for another target"
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
