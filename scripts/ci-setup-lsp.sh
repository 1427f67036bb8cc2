#!/usr/bin/env bash
# Installs what the language-server client tests (tests/lsp/) need: a Python
# virtual environment under target/ with pytest-lsp, a real LSP client, and
# Neovim (Debian's, 0.7+) as a real editor. Idempotent: installs only what is
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvim >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
    else
        echo "ci-setup-lsp: nvim not found and cannot install it (needs root and apt-get); its test will be skipped" >&2
    fi
fi
VENV=target/lsp-venv
PYTEST_LSP_VERSION=1.0.1
if "$VENV/bin/python" -c "import pytest_lsp, sys; sys.exit(pytest_lsp.__version__ != '$PYTEST_LSP_VERSION')" 2>/dev/null; then
    exit 0
fi
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq python3-venv
fi
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "pytest-lsp==$PYTEST_LSP_VERSION"
"$VENV/bin/python" -c "import pytest_lsp; print('pytest-lsp', pytest_lsp.__version__, 'installed in $VENV')"
