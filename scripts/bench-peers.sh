#!/usr/bin/env bash
# Side by side on the Go standard library, in one run: `go vet -lostcancel`,
# `staticcheck -checks SA1015` and goleaklint, each cold (its cache emptied)
# and warm (its cache filled by the previous run), with the ratios.
# Uses hyperfine (warm-up runs, several timed runs) when installed, else one
# timed run per cell.
#
# Usage: scripts/bench-peers.sh           env: GOLEAKLINT=path (default target/release/goleaklint,
#                                              built first), RUNS (default 3)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STDLIB=/usr/lib/go-1.19/src
RUNS="${RUNS:-3}"
[[ -d $STDLIB ]] || { echo "bench-peers: $STDLIB missing (package golang-1.19-src)" >&2; exit 2; }
if [[ -z ${GOLEAKLINT:-} ]]; then
  (cd "$ROOT" && cargo build --release --locked) >&2
  GOLEAKLINT="$ROOT/target/release/goleaklint"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/goleaklint-peers.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS=-mod=mod GOPATH="$WORK/gopath"
GL_CACHE="$WORK/gl-cache" GO_CACHE="$WORK/go-build" SC_CACHE="$WORK/staticcheck"

# name | prepare-for-cold | command
cells=(
  "go vet -lostcancel|rm -rf $GO_CACHE|cd $STDLIB && GOCACHE=$GO_CACHE go vet -lostcancel std >/dev/null 2>&1 || true"
  "staticcheck SA1015|rm -rf $SC_CACHE|cd $STDLIB && GOCACHE=$GO_CACHE STATICCHECK_CACHE=$SC_CACHE staticcheck -checks SA1015 std >/dev/null 2>&1 || true"
  "goleaklint|rm -rf $GL_CACHE|cd $STDLIB && XDG_CACHE_HOME=$GL_CACHE $GOLEAKLINT --quiet --format json ./... >/dev/null 2>&1 || true"
)

declare -A T
measure() { # measure NAME MODE PREPARE CMD -> seconds (mean)
  local name="$1" mode="$2" prep="$3" cmd="$4" json="$WORK/h.json"
  if command -v hyperfine >/dev/null; then
    if [[ $mode == cold ]]; then
      hyperfine -N --runs "$RUNS" --prepare "bash -c '$prep'" --export-json "$json" "bash -c '$cmd'" >&2
    else
      hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$json" "bash -c '$cmd'" >&2
    fi
    python3 -c 'import json,sys; print(f"{json.load(open(sys.argv[1]))["results"][0]["mean"]:.3f}")' "$json"
  else
    [[ $mode == cold ]] && bash -c "$prep"
    [[ $mode == warm ]] && bash -c "$cmd"
    local t0 t1
    t0=$(date +%s.%N); bash -c "$cmd"; t1=$(date +%s.%N)
    python3 -c "print(f'{$t1 - $t0:.3f}')"
  fi
}

for c in "${cells[@]}"; do
  IFS='|' read -r name prep cmd <<<"$c"
  echo "bench-peers: $name cold" >&2
  T["$name cold"]=$(measure "$name" cold "$prep" "$cmd")
  echo "bench-peers: $name warm" >&2
  T["$name warm"]=$(measure "$name" warm "$prep" "$cmd")
done

printf '\n%-20s %10s %10s %12s %16s\n' tool "cold s" "warm s" "cold/warm" "vs goleaklint warm"
for c in "${cells[@]}"; do
  IFS='|' read -r name _ _ <<<"$c"
  python3 - "$name" "${T["$name cold"]}" "${T["$name warm"]}" "${T["goleaklint warm"]}" <<'PY'
import sys
name, cold, warm, glw = sys.argv[1], *map(float, sys.argv[2:])
print(f"{name:<20} {cold:>10.2f} {warm:>10.2f} {cold / warm:>11.1f}x {warm / glw:>15.1f}x")
PY
done
