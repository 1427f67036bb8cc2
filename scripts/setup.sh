#!/usr/bin/env bash
# Installs what the test suite needs beyond the Rust toolchain and Node.js, when
# missing, from Debian's packages: the go command (for the `go vet -vettool`
# integration test) and Neovim (a real LSP client for the editor tests).
# Idempotent, and silent when everything is already there.
set -euo pipefail
missing=()
command -v go >/dev/null 2>&1 || [ -x /usr/lib/go/bin/go ] || missing+=(golang-go)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v node >/dev/null 2>&1 || { echo "setup: Node.js is required for the editor and Action checks" >&2; exit 1; }
