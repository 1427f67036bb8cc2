#!/usr/bin/env bash
# Builds editors/vscode/goleaklint.vsix (used by CI and by release jobs).
# Needs Node.js >= 18.19 (Debian 12's) and npm; works offline once the npm cache holds the packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund
npx vsce package --out goleaklint.vsix
