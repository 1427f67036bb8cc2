#!/usr/bin/env bash
# Validates action.yml and the example workflow(s) against GitHub's schemas with
# npm's @action-validator/cli (offline once installed). The validator is installed
# once into target/action-validator/ (ignored by git) and reused.
#
#   scripts/validate-actions.sh [FILE...]   default: action.yml examples/workflows/*.yml
#
# Exits non-zero when a file does not validate or the validator cannot be installed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="0.6.0"
prefix="$repo/target/action-validator"
bin="$prefix/node_modules/.bin/action-validator"

if [ ! -x "$bin" ] || ! grep -q "\"version\": \"$version\"" "$prefix/node_modules/@action-validator/cli/package.json" 2>/dev/null; then
  command -v npm >/dev/null 2>&1 || { echo "validate-actions: npm is needed to install @action-validator/cli" >&2; exit 2; }
  mkdir -p "$prefix"
  echo "validate-actions: installing @action-validator/cli@$version into ${prefix#"$repo"/}" >&2
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
    "@action-validator/cli@$version" "@action-validator/core@$version" >&2
fi

cd "$repo"
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=(action.yml)
  for f in examples/workflows/*.yml examples/workflows/*.yaml .github/workflows/*.yml .github/workflows/*.yaml; do
    [ -e "$f" ] && files+=("$f")
  done
fi

failed=0
for f in "${files[@]}"; do
  if "$bin" "$f"; then
    echo "ok      $f"
  else
    echo "INVALID $f"
    failed=$((failed + 1))
  fi
done
echo "validate-actions: ${#files[@]} file(s), $failed invalid"
[ "$failed" -eq 0 ]
