#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests, then
# the language server driven by a real LSP client (tests/lsp/, pytest-lsp).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked --all-targets
# The client tests run the debug binary that `cargo test` just built.
scripts/ci-setup-lsp.sh
GOLEAKLINT_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/goleaklint" \
    target/lsp-venv/bin/python -m pytest -p no:cacheprovider tests/lsp
