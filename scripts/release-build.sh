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
# (`--profile dev` skips the optimised build: tests/action/test_release.sh does that).
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
if [ "$target" = "$host" ]; then
  cargo build --locked --profile "$profile" --bin goleaklint
  built="$target_dir/$profile_dir"
else
  cargo build --locked --profile "$profile" --bin goleaklint --target "$target"
  built="$target_dir/$target/$profile_dir"
fi

exe=goleaklint
case "$target" in *-windows-*) exe=goleaklint.exe ;; esac
name="goleaklint-$target"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$built/$exe" "$stage/$name/$exe"
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
