#!/usr/bin/env bash
# Regenerates grammar/tree-sitter-go/src (parser.c, grammar.json, node-types.json)
# from grammar.js with the tree-sitter CLI, whose version matches the runtime
# (`tree-sitter = "0.25"`, ABI 15). Needs Node.js. The generated files are
# committed, so building and testing goleaklint never needs the CLI.
# Then records grammar.js's digest, which tests/grammar.rs compares.
set -euo pipefail
cd "$(dirname "$0")/tree-sitter-go"
CLI_VERSION=0.25.10
if ! tree-sitter --version 2>/dev/null | grep -q " $CLI_VERSION"; then
  cargo install tree-sitter-cli --version "$CLI_VERSION" --locked
fi
tree-sitter generate
sha256sum grammar.js | cut -d' ' -f1 > src/grammar.js.sha256
