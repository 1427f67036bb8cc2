#!/usr/bin/env bash
# Installs what the language-server client tests (tests/lsp/) need: a Python
# virtual environment under target/ with pytest-lsp, a real LSP client.
# Idempotent: does nothing when the environment is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
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
