#!/usr/bin/env bash
# Installs what the test suite needs beyond the Rust toolchain and Node.js, when
# missing, from Debian's packages: the go command (for the `go vet -vettool`
# integration test), Go's test/ directory (golang-1.19-src, for the grammar
# test) and Neovim (a real LSP client for the editor tests), then
# pytest-lsp from PyPI.
# Idempotent, and silent when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
command -v go >/dev/null 2>&1 || [ -x /usr/lib/go/bin/go ] || missing+=(golang-go)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
# Go's own test/ directory, which the grammar test parses file by file.
[ -d /usr/share/go-1.19/test ] || [ -d /usr/lib/go-1.19/test ] || missing+=(golang-1.19-src)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v node >/dev/null 2>&1 || { echo "setup: Node.js is required for the editor and Action checks" >&2; exit 1; }

# pytest-lsp, a real LSP client library, in a virtual environment under target/.
VENV=target/lsp-venv
PYTEST_LSP_VERSION=1.0.1
if ! "$VENV/bin/python" -c "import pytest_lsp, sys; sys.exit(pytest_lsp.__version__ != '$PYTEST_LSP_VERSION')" 2>/dev/null; then
  PYTHON=${PYTHON:-python3}
  if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    $sudo apt-get update -qq && $sudo apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pytest-lsp==$PYTEST_LSP_VERSION"
  echo "setup: pytest-lsp $PYTEST_LSP_VERSION installed in $VENV" >&2
fi
