#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust unit and integration tests,
# the language server driven by real LSP clients (pytest-lsp, Neovim), the
# GitHub Action's scripts and schemas, and the editor setups.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked --all-targets
# The client tests run the debug binary that `cargo test` just built.
GOLEAKLINT_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/goleaklint" \
    target/lsp-venv/bin/python -m pytest -p no:cacheprovider tests/lsp
bash tests/action/test_action.sh
scripts/validate-actions.sh
(cd editors/vscode && npm ci --no-audit --no-fund >/dev/null && npm test && ./build.sh >/dev/null && rm -f goleaklint.vsix)
editors/test/run.sh
