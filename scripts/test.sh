#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust unit and integration tests,
# the language server driven by real LSP clients (pytest-lsp, Neovim), the
# GitHub Action's scripts, workflows and release build, the pre-commit hook
# manifest, and the editor setups.
#
# scripts/setup.sh runs first: it prints what is present and what it will install,
# and stops early (with the command to run) when it cannot install something.
# Each phase is announced as `==> [n/N] name` and timed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

phases=(
  "setup:scripts/setup.sh"
  "format:cargo fmt --all -- --check"
  "clippy:cargo clippy --all-targets --locked -- -D warnings"
  "cargo test:cargo test --locked --all-targets"
  "LSP clients (pytest-lsp, Neovim):run_lsp_clients"
  "GitHub Action scripts:bash tests/action/test_action.sh"
  "release build dry run (host target):bash tests/action/test_release.sh"
  "workflow and action schemas:scripts/validate-actions.sh"
  "pre-commit hook manifest:target/lsp-venv/bin/pre-commit validate-manifest .pre-commit-hooks.yaml"
  "VS Code client:run_vscode"
  "editor setups:editors/test/run.sh"
)

# The client tests run the debug binary that `cargo test` just built.
run_lsp_clients() {
  GOLEAKLINT_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/goleaklint" \
    target/lsp-venv/bin/python -m pytest -p no:cacheprovider tests/lsp
}
run_vscode() {
  (cd editors/vscode && npm ci --no-audit --no-fund >/dev/null && npm test && ./build.sh >/dev/null && rm -f goleaklint.vsix)
}

total=${#phases[@]}
n=0
suite_start=$SECONDS
for entry in "${phases[@]}"; do
  n=$((n + 1))
  name="${entry%%:*}"
  cmd="${entry#*:}"
  printf '\n==> [%d/%d] %s\n' "$n" "$total" "$name" >&2
  start=$SECONDS
  if ! eval "$cmd"; then
    printf '==> [%d/%d] %s FAILED after %ds: %s\n' "$n" "$total" "$name" $((SECONDS - start)) "$cmd" >&2
    exit 1
  fi
  printf '==> [%d/%d] %s ok (%ds)\n' "$n" "$total" "$name" $((SECONDS - start)) >&2
done
printf '\n==> all %d phases passed in %ds\n' "$total" $((SECONDS - suite_start)) >&2
