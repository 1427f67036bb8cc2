#!/usr/bin/env bash
# Installs what the test suite needs beyond the Rust toolchain, when missing.
#
# First it prints the plan, one line per item: what is already there, what it will install and
# from where, and what it will skip. Then, before installing anything, it checks that it can:
# system packages need root or password-less sudo (`sudo -n`); when neither is available it
# stops at once with the exact command to run, instead of prompting for a password halfway
# through the suite.
#
#   system (Debian/Ubuntu apt): golang-go (the `go vet -vettool` test), golang-1.19-src (Go's
#     test/ directory, which the grammar test parses), nodejs and npm (the
#     VS Code client, the Action's schemas), python3-venv (ensurepip, for the venv below), curl
#   target/lsp-venv (PyPI):      pytest-lsp, pre-commit (a real LSP client; the hook manifest check)
#   rustup components:           rustfmt, clippy
#   Neovim (apt, system-wide) only when asked: GOLEAKLINT_SETUP_NEOVIM=1, or CI is set (CI runs
#     every client test). Otherwise the Neovim checks are skipped, and the plan says so.
#
# Idempotent: a second run installs nothing. `scripts/setup.sh --plan` prints the plan and exits.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTEST_LSP_VERSION=1.0.1
PRE_COMMIT_VERSION=4.0.1
VENV=target/lsp-venv
PYTHON=${PYTHON:-python3}

say() { printf 'setup: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

apt_missing=()   # Debian packages to install
plan=()          # one line per prerequisite
note() { plan+=("$(printf '%-15s %s' "$1" "$2")"); }

# ---- what is there, what is missing ----
if have cargo; then note cargo "ok ($(cargo --version 2>/dev/null))"; else note cargo "MISSING: install Rust 1.85+ from https://rustup.rs"; fi
rust_components=()
cargo fmt --version >/dev/null 2>&1 || rust_components+=(rustfmt)
cargo clippy --version >/dev/null 2>&1 || rust_components+=(clippy)
if [ ${#rust_components[@]} -eq 0 ]; then
  note rustfmt+clippy "ok"
elif have rustup; then
  note rustfmt+clippy "install: rustup component add ${rust_components[*]}"
else
  note rustfmt+clippy "MISSING: ${rust_components[*]} (install them with your Rust toolchain)"
fi

if have go || [ -x /usr/lib/go/bin/go ]; then note go "ok"; else note go "install: golang-go (apt)"; apt_missing+=(golang-go); fi
# Go's own test/ directory, which the grammar test parses file by file.
if [ -d /usr/lib/go-1.19/test ] || [ -d /usr/share/go-1.19/test ]; then
  note go-test-dir "ok"
else
  note go-test-dir "install: golang-1.19-src (apt; Go's test/ directory, for the grammar test)"
  apt_missing+=(golang-1.19-src)
fi
if have node; then note node "ok ($(node --version))"; else note node "install: nodejs (apt)"; apt_missing+=(nodejs); fi
if have npm; then note npm "ok ($(npm --version))"; else note npm "install: npm (apt)"; apt_missing+=(npm); fi
if have curl; then note curl "ok"; else note curl "install: curl (apt)"; apt_missing+=(curl); fi
if ! have "$PYTHON"; then
  note python3 "install: python3 python3-venv (apt)"
  apt_missing+=(python3 python3-venv)
elif "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  note python3 "ok ($("$PYTHON" --version 2>&1), venv and ensurepip)"
else
  note python3 "install: python3-venv (apt; $PYTHON has no ensurepip, so it cannot create a venv)"
  apt_missing+=(python3-venv)
fi

venv_ok() {
  "$VENV/bin/python" - "$PYTEST_LSP_VERSION" "$PRE_COMMIT_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(version("pytest-lsp") != sys.argv[1] or version("pre-commit") != sys.argv[2])
PY
}
if venv_ok; then
  note venv "ok ($VENV: pytest-lsp $PYTEST_LSP_VERSION, pre-commit $PRE_COMMIT_VERSION)"
  need_venv=0
else
  note venv "install: pytest-lsp==$PYTEST_LSP_VERSION pre-commit==$PRE_COMMIT_VERSION (PyPI, into $VENV)"
  need_venv=1
fi

want_nvim=0 why_nvim=""
if [ "${GOLEAKLINT_SETUP_NEOVIM:-}" = 1 ]; then
  want_nvim=1 why_nvim="GOLEAKLINT_SETUP_NEOVIM=1"
elif [ -n "${CI:-}" ]; then
  want_nvim=1 why_nvim="CI is set"
fi
if have nvim; then
  note neovim "ok ($(nvim --version | head -n 1))"
elif [ "$want_nvim" = 1 ]; then
  note neovim "install: neovim (apt, system-wide; $why_nvim)"
  apt_missing+=(neovim)
else
  note neovim "skip: not installed, so the Neovim client checks are skipped (GOLEAKLINT_SETUP_NEOVIM=1 installs it)"
fi
note npm-tools "install when missing: editors/vscode/node_modules (npm ci), @action-validator/cli (npm, into target/)"

say "prerequisites:"
for line in "${plan[@]}"; do printf '  %s\n' "$line" >&2; done
[ "${1:-}" = --plan ] && exit 0

# ---- can we install? decide before touching anything ----
have cargo || { say "Rust is required: https://rustup.rs (then: rustup component add rustfmt clippy)"; exit 1; }
if [ ${#rust_components[@]} -gt 0 ]; then
  have rustup || { say "cargo fmt/clippy missing and no rustup: install ${rust_components[*]} with your Rust toolchain"; exit 1; }
fi
sudo=()
if [ ${#apt_missing[@]} -gt 0 ]; then
  apt_cmd="apt-get update && apt-get install -y --no-install-recommends ${apt_missing[*]}"
  if ! have apt-get; then
    say "no apt-get here: install ${apt_missing[*]} with your package manager, then re-run $0"
    exit 1
  elif [ "$(id -u)" -eq 0 ]; then
    :
  elif have sudo && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    say "installing ${apt_missing[*]} needs root and sudo would ask for a password. Run:"
    printf '  sudo sh -c '\''%s'\''\n' "$apt_cmd" >&2
    say "then re-run $0"
    exit 1
  fi
fi

# ---- install ----
if [ ${#rust_components[@]} -gt 0 ]; then
  say "rustup component add ${rust_components[*]}"
  rustup component add "${rust_components[@]}"
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi
if [ "$need_venv" = 1 ]; then
  say "creating $VENV with pytest-lsp $PYTEST_LSP_VERSION and pre-commit $PRE_COMMIT_VERSION"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "pytest-lsp==$PYTEST_LSP_VERSION" "pre-commit==$PRE_COMMIT_VERSION"
fi
