#!/usr/bin/env bash
# Builds one release archive of goleaklint, as .github/workflows/release.yml does for each target:
#
#   scripts/release-build.sh [--profile release|dev] TARGET OUTDIR
#
# writes OUTDIR/goleaklint-TARGET.tar.gz (OUTDIR/goleaklint-TARGET.zip for Windows targets) holding
#   goleaklint-TARGET/goleaklint[.exe]  goleaklint-TARGET/README.md
# and OUTDIR/<archive>.sha256 in `sha256sum` format ("<hex>  <archive name>"), which the Action's
# installer (scripts/action/install.sh) downloads and verifies. Prints the archive's path.
#
# Linux musl targets are linked statically (crt-static is musl's default). When TARGET is the
# host's triple cargo runs without --target, so a dry run reuses the suite's build cache
# (`--profile dev` skips the optimised build).
#
# GOLEAKLINT_PREBUILT_BIN=PATH packages that binary instead of building one: only for the host's
# target, for a dry run that already has a binary (tests/action/test_release.sh passes the one
# `cargo test` built). The release workflow leaves it unset, so every release is built here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile=release
if [ "${1:-}" = --profile ]; then
  profile="$2"
  shift 2
fi
[ "$#" -eq 2 ] || { echo "usage: $0 [--profile release|dev] TARGET OUTDIR" >&2; exit 2; }
target="$1"
mkdir -p "$2"
outdir="$(cd "$2" && pwd)"

host="$(rustc -vV | sed -n 's/^host: //p')"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
profile_dir="$profile"
[ "$profile" = dev ] && profile_dir=debug
cd "$root"
exe=goleaklint
case "$target" in *-windows-*) exe=goleaklint.exe ;; esac
if [ -n "${GOLEAKLINT_PREBUILT_BIN:-}" ]; then
  if [ "$target" != "$host" ]; then
    echo "$0: GOLEAKLINT_PREBUILT_BIN is a binary for the host ($host), not for $target" >&2
    exit 2
  fi
  if [ ! -f "$GOLEAKLINT_PREBUILT_BIN" ] || [ ! -x "$GOLEAKLINT_PREBUILT_BIN" ]; then
    echo "$0: GOLEAKLINT_PREBUILT_BIN=$GOLEAKLINT_PREBUILT_BIN is not an executable file" >&2
    exit 2
  fi
  prebuilt="$GOLEAKLINT_PREBUILT_BIN"
elif [ "$target" = "$host" ]; then
  cargo build --locked --profile "$profile" --bin goleaklint
  prebuilt="$target_dir/$profile_dir/$exe"
else
  cargo build --locked --profile "$profile" --bin goleaklint --target "$target"
  prebuilt="$target_dir/$target/$profile_dir/$exe"
fi

name="goleaklint-$target"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$prebuilt" "$stage/$name/$exe"
cp README.md "$stage/$name/README.md"

case "$target" in
  *-windows-*)
    archive="$name.zip"
    rm -f "$outdir/$archive"
    if command -v 7z >/dev/null 2>&1; then
      (cd "$stage" && 7z a -tzip -bd "$outdir/$archive" "$name" >/dev/null)
    else
      (cd "$stage" && zip -qr "$outdir/$archive" "$name")
    fi
    ;;
  *)
    archive="$name.tar.gz"
    tar -C "$stage" -czf "$outdir/$archive" "$name"
    ;;
esac

cd "$outdir"
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "$archive" >"$archive.sha256"
else
  shasum -a 256 "$archive" >"$archive.sha256"
fi
echo "$outdir/$archive"
