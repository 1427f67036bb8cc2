#!/usr/bin/env bash
# Installs what the test suite needs beyond the Rust toolchain, when missing:
# Neovim (a real LSP client for the editor tests) from Debian's packages.
# Idempotent and quiet when everything is already there.
set -euo pipefail
missing=()
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v node >/dev/null 2>&1 || { echo "setup: Node.js is required for the editor and Action checks" >&2; exit 1; }
