#!/usr/bin/env bash
# Installs goleaklint for the GitHub Action (action.yml); also runs locally.
#
# Order of preference:
#   1. GOLEAKLINT_BIN=/path/to/goleaklint  use that binary, install nothing (local tests).
#   2. GOLEAKLINT_SOURCE_DIR=/path/to/checkout  `cargo install --path` from a checkout of
#      goleaklint itself (its own CI, or `uses: ./`).
#   3. The release archive goleaklint-<target>.tar.gz (.zip on Windows) and its .sha256, as
#      scripts/release-build.sh writes them, downloaded with curl and verified with sha256sum (or
#      shasum -a 256). A checksum mismatch is fatal. Linux archives are the static musl builds.
#   4. If there is no archive for this platform/version (or the download fails):
#      `cargo install --locked --git https://github.com/goleaklint/goleaklint [--tag v<version>]`
#      into GOLEAKLINT_CARGO_ROOT when set (action.yml caches that directory by version and
#      target, so the build happens once). A pinned version with no `v<version>` tag is an error.
#
# `install.sh --resolve` installs nothing: it writes the outputs `cargo-root` and `cargo-cache-key`
# (the cache key of the cargo fallback: target plus tag, or the commit `latest` builds).
#
# Environment (all optional):
#   INPUT_VERSION                 "latest" (default) or a version, "1.2.3" or "v1.2.3"
#   GOLEAKLINT_INSTALL_DIR        where to install; the binary lands in <dir>/bin
#                                 (default: $RUNNER_TEMP/goleaklint, else a new temporary directory)
#   GOLEAKLINT_RELEASE_BASE_URL   the URL of the directory holding the release assets, instead of
#                                 https://github.com/goleaklint/goleaklint/releases/{latest/download,download/v<version>}
#                                 (file:// URLs work: curl reads them)
#   GOLEAKLINT_TARGET             the Rust target triple of the asset (default: from uname)
#   GOLEAKLINT_CARGO              the cargo command for the fallback (default: cargo)
#   GOLEAKLINT_NO_CARGO_FALLBACK  set to 1 to fail instead of building when no archive downloads
#   GOLEAKLINT_CARGO_ROOT         where the cargo fallback installs (and finds an earlier build)
#   GOLEAKLINT_REPO_URL           the git repository (default https://github.com/goleaklint/goleaklint)
#   GITHUB_PATH, GITHUB_OUTPUT    when set (in a workflow): the bin directory is added to PATH for
#                                 later steps, and the outputs `path`, `bin-dir`, `version`,
#                                 `built-with-cargo` (true/false) are written
#
# Prints the installed binary's path on the last line of stdout.
set -euo pipefail

REPO_URL="${GOLEAKLINT_REPO_URL:-https://github.com/goleaklint/goleaklint}"

log() { printf 'goleaklint-action: %s\n' "$*" >&2; }
die() {
  if [ "${GITHUB_ACTIONS:-}" = true ]; then
    printf '::error title=goleaklint install::%s\n' "$*" >&2
  else
    printf 'goleaklint-action: error: %s\n' "$*" >&2
  fi
  exit 1
}

# The Rust target triple of the release asset for this machine.
detect_target() {
  if [ -n "${GOLEAKLINT_TARGET:-}" ]; then
    printf '%s\n' "$GOLEAKLINT_TARGET"
    return
  fi
  local os arch
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no release archive for the processor '$arch'" ;;
  esac
  case "$os" in
    Linux) printf '%s-unknown-linux-musl\n' "$arch" ;;
    Darwin) printf '%s-apple-darwin\n' "$arch" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) printf '%s-pc-windows-msvc\n' "$arch" ;;
    *) die "no release archive for the system '$os'" ;;
  esac
}

exe_suffix() {
  case "${1:-}" in
    *-windows-*) printf '.exe' ;;
  esac
}

# The release asset's name for TARGET.
asset_name() {
  case "$1" in
    *-windows-*) printf 'goleaklint-%s.zip\n' "$1" ;;
    *) printf 'goleaklint-%s.tar.gz\n' "$1" ;;
  esac
}

# unpack ARCHIVE DIR
unpack() {
  case "$1" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$1" -d "$2"
      else
        powershell -NoProfile -Command "Expand-Archive -LiteralPath '$1' -DestinationPath '$2'"
      fi
      ;;
    *) tar -xzf "$1" -C "$2" ;;
  esac
}

# tag_exists VERSION: 0 when the repository has the tag v<VERSION>, 1 when it certainly does
# not, 2 when git cannot tell (no git, no network).
tag_exists() {
  command -v git >/dev/null 2>&1 || return 2
  local rc=0
  git ls-remote --exit-code --tags "$REPO_URL" "refs/tags/v$1" >/dev/null 2>&1 || rc=$?
  case "$rc" in
    0) return 0 ;;
    2) return 1 ;;
    *) return 2 ;;
  esac
}

# "latest", "1.2.3" or "v1.2.3" -> "latest" or "1.2.3".
normalize_version() {
  local v="${1:-latest}"
  v="${v#"${v%%[![:space:]]*}"}"
  v="${v%"${v##*[![:space:]]}"}"
  [ -z "$v" ] && v=latest
  printf '%s\n' "${v#v}"
}

# The URL of the directory holding the release assets of VERSION.
release_base_url() {
  local version="$1"
  if [ -n "${GOLEAKLINT_RELEASE_BASE_URL:-}" ]; then
    printf '%s\n' "${GOLEAKLINT_RELEASE_BASE_URL%/}"
  elif [ "$version" = latest ]; then
    printf '%s/releases/latest/download\n' "$REPO_URL"
  else
    printf '%s/releases/download/v%s\n' "$REPO_URL" "$version"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is available to verify the download"
  fi
}

# verify_sha256 FILE SUMFILE: SUMFILE holds the expected hex digest as its first word
# (`sha256sum` format, "<hex>  <name>", or the bare digest). Returns 1 on mismatch.
verify_sha256() {
  local file="$1" sumfile="$2" expected actual
  expected="$(tr -d '\r' <"$sumfile" | awk 'NF { print tolower($1); exit }')"
  if ! printf '%s' "$expected" | grep -Eq '^[0-9a-f]{64}$'; then
    log "$(basename "$sumfile") does not hold a SHA-256 digest"
    return 1
  fi
  actual="$(sha256_of "$file")"
  if [ "$actual" != "$expected" ]; then
    log "checksum mismatch for $(basename "$file"): expected $expected, got $actual"
    return 1
  fi
  log "checksum OK ($actual)"
}

fetch() {
  curl --fail --silent --show-error --location --retry 3 --retry-delay 2 --output "$2" "$1"
}

# download_release VERSION TARGET BIN_DIR: downloads, verifies and unpacks the archive.
# Returns 2 when the archive could not be downloaded (the caller may fall back to cargo);
# exits when the checksum does not match or the archive holds no binary.
download_release() {
  local version="$1" target="$2" bin_dir="$3"
  local asset exe base work
  asset="$(asset_name "$target")"
  exe="goleaklint$(exe_suffix "$target")"
  base="$(release_base_url "$version")"
  work="$(mktemp -d)"
  log "downloading $base/$asset"
  if ! fetch "$base/$asset" "$work/$asset" || ! fetch "$base/$asset.sha256" "$work/$asset.sha256"; then
    rm -rf "$work"
    return 2
  fi
  if ! verify_sha256 "$work/$asset" "$work/$asset.sha256"; then
    rm -rf "$work"
    die "the downloaded $asset does not match its published checksum; refusing to install it"
  fi
  mkdir -p "$work/unpacked"
  unpack "$work/$asset" "$work/unpacked"
  local found
  found="$(find "$work/unpacked" -type f -name "$exe" | head -n 1)"
  if [ -z "$found" ]; then
    rm -rf "$work"
    die "$asset holds no $exe"
  fi
  mkdir -p "$bin_dir"
  cp "$found" "$bin_dir/$exe"
  chmod +x "$bin_dir/$exe"
  rm -rf "$work"
}

# cargo_install VERSION ROOT: builds goleaklint into ROOT/bin.
cargo_install() {
  local version="$1" root="$2" cargo="${GOLEAKLINT_CARGO:-cargo}"
  if [ -z "${GOLEAKLINT_SOURCE_DIR:-}" ] && [ "$version" != latest ]; then
    local rc=0
    tag_exists "$version" || rc=$?
    [ "$rc" -ne 1 ] || die "goleaklint $version does not exist: $REPO_URL has no tag v$version (the releases are listed at $REPO_URL/releases)"
  fi
  command -v "$cargo" >/dev/null 2>&1 || die "no release archive could be downloaded and cargo is not installed"
  if [ -n "${GOLEAKLINT_SOURCE_DIR:-}" ]; then
    log "building from the checkout $GOLEAKLINT_SOURCE_DIR with cargo"
    "$cargo" install --locked --path "$GOLEAKLINT_SOURCE_DIR" --root "$root" --force
  elif [ "$version" = latest ]; then
    log "building the latest goleaklint from $REPO_URL with cargo"
    "$cargo" install --locked --git "$REPO_URL" --root "$root" --force goleaklint
  else
    log "building goleaklint v$version from $REPO_URL with cargo"
    "$cargo" install --locked --git "$REPO_URL" --tag "v$version" --root "$root" --force goleaklint
  fi
}

# --resolve: the cache key of the cargo fallback, written to GITHUB_OUTPUT (and stdout).
resolve() {
  local version target id="" root="${GOLEAKLINT_CARGO_ROOT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/goleaklint-cargo}"
  version="$(normalize_version "${INPUT_VERSION:-latest}")"
  target="$(detect_target)"
  if [ -n "${GOLEAKLINT_BIN:-}${GOLEAKLINT_SOURCE_DIR:-}" ]; then
    id=""
  elif [ "$version" != latest ]; then
    id="v$version"
  elif command -v git >/dev/null 2>&1; then
    id="$(git ls-remote "$REPO_URL" HEAD 2>/dev/null | cut -c1-40 || true)"
  fi
  local key=""
  [ -n "$id" ] && key="goleaklint-cargo-$target-$id"
  {
    printf 'cargo-root=%s\n' "$root"
    printf 'cargo-cache-key=%s\n' "$key"
  } | tee -a "${GITHUB_OUTPUT:-/dev/null}"
}

main() {
  local version target exe root bin_dir built_with_cargo=false
  if [ "${1:-}" = --resolve ]; then
    resolve
    return
  fi
  version="$(normalize_version "${INPUT_VERSION:-latest}")"
  target="$(detect_target)"
  exe="goleaklint$(exe_suffix "$target")"
  root="${GOLEAKLINT_INSTALL_DIR:-}"
  if [ -z "$root" ]; then
    if [ -n "${RUNNER_TEMP:-}" ]; then
      root="$RUNNER_TEMP/goleaklint"
    else
      root="$(mktemp -d)/goleaklint"
    fi
  fi
  bin_dir="$root/bin"
  mkdir -p "$bin_dir"

  if [ -n "${GOLEAKLINT_BIN:-}" ]; then
    [ -x "$GOLEAKLINT_BIN" ] || die "GOLEAKLINT_BIN=$GOLEAKLINT_BIN is not an executable file"
    log "using GOLEAKLINT_BIN=$GOLEAKLINT_BIN (nothing installed)"
    ln -sf "$(cd "$(dirname "$GOLEAKLINT_BIN")" && pwd)/$(basename "$GOLEAKLINT_BIN")" "$bin_dir/$exe"
  elif [ -n "${GOLEAKLINT_SOURCE_DIR:-}" ]; then
    cargo_install "$version" "$root"
  else
    local rc=0
    download_release "$version" "$target" "$bin_dir" || rc=$?
    if [ "$rc" -ne 0 ]; then
      if [ "${GOLEAKLINT_NO_CARGO_FALLBACK:-}" = 1 ]; then
        die "could not download $(asset_name "$target") for version $version"
      fi
      local cargo_root="${GOLEAKLINT_CARGO_ROOT:-$root}"
      if [ -x "$cargo_root/bin/$exe" ] && [ "$cargo_root" != "$root" ]; then
        log "no release archive for $target ($version); using the cached cargo build in $cargo_root"
      else
        log "no release archive for $target ($version); falling back to cargo install"
        cargo_install "$version" "$cargo_root"
        built_with_cargo=true
      fi
      if [ "$cargo_root" != "$root" ]; then
        cp "$cargo_root/bin/$exe" "$bin_dir/$exe"
      fi
    fi
  fi

  local path="$bin_dir/$exe"
  [ -x "$path" ] || die "installation left no $path"
  local installed
  installed="$("$path" --version 2>/dev/null | head -n 1 || true)"
  log "installed ${installed:-goleaklint} at $path"

  if [ -n "${GITHUB_PATH:-}" ]; then
    printf '%s\n' "$bin_dir" >>"$GITHUB_PATH"
  fi
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
      printf 'path=%s\n' "$path"
      printf 'bin-dir=%s\n' "$bin_dir"
      printf 'version=%s\n' "$installed"
      printf 'built-with-cargo=%s\n' "$built_with_cargo"
    } >>"$GITHUB_OUTPUT"
  fi
  printf '%s\n' "$path"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
