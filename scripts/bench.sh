#!/usr/bin/env bash
# Benchmark goleaklint on two real-world Go corpora installed from Debian packages:
#   stdlib : the Go 1.19 standard library   /usr/lib/go-1.19/src   (package golang-1.19-src)
#   gocode : Debian's Go library tree       /usr/share/gocode/src  (packages in scripts/debian-go-packages.txt)
#
# Usage: scripts/bench.sh [stdlib|gocode|all|peers]  (default: all)
#
#   peers: side by side on the standard library, in one run: `go vet -lostcancel`, staticcheck
#          `-checks SA1015` and goleaklint, each cold (its cache emptied first) and warm (its
#          cache filled by the run before), with the ratios. With hyperfine (Debian package),
#          each cell is a hyperfine run: warm cells get a warm-up run, cold cells empty the cache
#          in --prepare. Without it, one timed run per cell. RUNS (default 3 here) timed runs.
#          staticcheck is `staticcheck`, else Debian's `go-staticcheck`; STATICCHECK=path overrides.
#
# Environment:
#   RUNS=N             timed runs per cell (default 1; the median wall time is reported)
#   GOLEAKLINT=path    binary to benchmark; when set, `cargo build --release` is skipped
#                      (default: target/release/goleaklint, built first)
#   BENCH_NO_INSTALL=1 never call apt-get; corpora that are missing are skipped
#   BENCH_STRICT=1     exit 3 when a target (ratio / speedup) is missed
#   RATIO_TARGET       max "full / parse-only" wall-time ratio        (default 1.3)
#   SPEEDUP_TARGET     min "jobs N vs jobs 1" speedup                 (default 1.7)
#
# For each corpus (stdlib, gocode): one untimed warm-up run (warms the file cache), then, from inside the corpus
# directory, `goleaklint --format json --quiet --no-cache ./...` in parse-only (--parse-only) and full mode,
# each with --jobs 1 and --jobs $(nproc). Wall time is measured outside the process. The runs go in RUNS rounds,
# each round every cell once and each full run right after the parse-only run of its job count, so a slow spell of
# the machine slows both sides of a ratio; the "full / parse-only" ratio is the median of those pairs' ratios.
# Exit codes 0 and 1 (findings) of goleaklint are success; anything else is reported as an error.
# The JSON of the full all-cores run is kept as target/bench/<corpus>.json for false-positive review.
#
# Exit status: 0 ok, 1 some goleaklint run failed (exit code not 0/1, or unreadable JSON),
# 2 usage error / build failure, 3 target missed (only with BENCH_STRICT=1).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
PKG_LIST="$SCRIPT_DIR/debian-go-packages.txt"
OUT_DIR="$ROOT/target/bench"

STDLIB_DIR=/usr/lib/go-1.19/src
GOCODE_DIR=/usr/share/gocode/src

PEERS=0
RUNS_GIVEN="${RUNS:-}"
RUNS="${RUNS:-1}"
RATIO_TARGET="${RATIO_TARGET:-1.3}"
SPEEDUP_TARGET="${SPEEDUP_TARGET:-1.7}"

usage() { echo "usage: $0 [stdlib|gocode|all|peers]   (env: RUNS, GOLEAKLINT, BENCH_NO_INSTALL, BENCH_STRICT, STATICCHECK)" >&2; }
log() { echo "bench: $*" >&2; }

case "${1:-all}" in
  stdlib) CORPORA=(stdlib) ;;
  gocode) CORPORA=(gocode) ;;
  all) CORPORA=(stdlib gocode) ;;
  peers) CORPORA=(stdlib) PEERS=1 ;;
  -h|--help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac
if [[ $# -gt 1 ]]; then usage; exit 2; fi
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then log "RUNS must be a positive integer, got '$RUNS'"; exit 2; fi
command -v python3 >/dev/null || { log "python3 is required (reads the JSON output)"; exit 2; }

corpus_dir() { case "$1" in stdlib) echo "$STDLIB_DIR" ;; gocode) echo "$GOCODE_DIR" ;; esac; }

# ---------------------------------------------------------------- corpora installation
pkg_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == 'install ok installed' ]]; }

APT_UPDATED=0
apt_install() { # apt_install PKG... : tolerant; reports the packages that failed
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      log "not root and no password-less sudo: cannot install $*"; return 0; fi
  fi
  if ! command -v apt-get >/dev/null; then log "apt-get not found: cannot install $*"; return 0; fi
  if [[ $APT_UPDATED -eq 0 ]]; then
    "${sudo[@]}" apt-get update -qq || log "apt-get update failed (continuing)"
    APT_UPDATED=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  log "installing: $*"
  if "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then return 0; fi
  # One unknown / broken package makes the whole batch fail: retry one by one.
  local p failed=()
  for p in "$@"; do
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 || failed+=("$p")
  done
  if [[ ${#failed[@]} -gt 0 ]]; then log "could not install (skipped): ${failed[*]}"; fi
  return 0
}

ensure_corpus() {
  local corpus="$1" missing=() p
  case "$corpus" in
    stdlib) [[ -d $STDLIB_DIR ]] || missing=(golang-1.19-src) ;;
    gocode)
      [[ -f $PKG_LIST ]] || { log "missing $PKG_LIST"; return 0; }
      while read -r p; do
        p="${p%%#*}"; p="${p//[[:space:]]/}"
        [[ -n $p ]] || continue
        pkg_installed "$p" || missing+=("$p")
      done <"$PKG_LIST" ;;
  esac
  [[ ${#missing[@]} -gt 0 ]] || return 0
  if [[ ${BENCH_NO_INSTALL:-0} == 1 ]]; then
    log "$corpus: ${#missing[@]} package(s) missing, BENCH_NO_INSTALL=1 so not installing: ${missing[*]}"
    return 0
  fi
  apt_install "${missing[@]}"
}

for c in "${CORPORA[@]}"; do ensure_corpus "$c"; done

# ---------------------------------------------------------------- binary
if [[ -n ${GOLEAKLINT:-} ]]; then
  given="$GOLEAKLINT"
  if [[ $GOLEAKLINT != */* ]]; then GOLEAKLINT="$(command -v "$GOLEAKLINT" || true)"; fi
  [[ -n $GOLEAKLINT && -f $GOLEAKLINT && -x $GOLEAKLINT ]] || { log "GOLEAKLINT is not an executable file: '$given'"; exit 2; }
  BIN="$(cd "$(dirname "$GOLEAKLINT")" && pwd)/$(basename "$GOLEAKLINT")"
  log "using GOLEAKLINT=$BIN (cargo build skipped)"
else
  log "cargo build --release"
  (cd "$ROOT" && cargo build --release) || { log "cargo build --release failed"; exit 2; }
  BIN="$ROOT/target/release/goleaklint"
  [[ -x $BIN ]] || { log "$BIN not found after the build"; exit 2; }
fi

# ---------------------------------------------------------------- peers
now() { # seconds with sub-second precision; EPOCHREALTIME avoids forking date
  if [[ -n ${EPOCHREALTIME:-} ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}
if [[ $PEERS == 1 ]]; then
  RUNS="${RUNS_GIVEN:-3}"
  [[ -d $STDLIB_DIR ]] || { log "$STDLIB_DIR missing (package golang-1.19-src)"; exit 2; }
  GO="$(command -v go || echo /usr/lib/go/bin/go)"
  SC="${STATICCHECK:-$(command -v staticcheck || command -v go-staticcheck || echo /usr/bin/go-staticcheck)}"
  [[ -x $GO ]] || { log "go not found (package golang-go)"; exit 2; }
  [[ -x $SC ]] || { log "staticcheck not found (package go-staticcheck)"; exit 2; }
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/goleaklint-peers.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  GL_CACHE="$WORK/gl-cache" GO_CACHE="$WORK/go-build" SC_CACHE="$WORK/staticcheck"
  export GOFLAGS=-mod=mod GOPATH="$WORK/gopath"
  # name | empties its cache (cold) | the command (exit codes ignored: findings are not failures)
  cells=(
    "go vet -lostcancel|rm -rf $GO_CACHE|cd $STDLIB_DIR && GOCACHE=$GO_CACHE $GO vet -lostcancel std >/dev/null 2>&1 || true"
    "staticcheck SA1015|rm -rf $GO_CACHE $SC_CACHE|cd $STDLIB_DIR && GOCACHE=$GO_CACHE STATICCHECK_CACHE=$SC_CACHE $SC -checks SA1015 std >/dev/null 2>&1 || true"
    "goleaklint|rm -rf $GL_CACHE|cd $STDLIB_DIR && XDG_CACHE_HOME=$GL_CACHE $BIN --quiet --format json ./... >/dev/null 2>&1 || true"
  )
  declare -A T
  measure() { # measure MODE PREPARE CMD -> mean seconds on stdout
    local mode="$1" prep="$2" cmd="$3" json="$WORK/h.json" t0 t1 i total=0
    if command -v hyperfine >/dev/null; then
      if [[ $mode == cold ]]; then
        hyperfine -N --runs "$RUNS" --prepare "bash -c '$prep'" --export-json "$json" "bash -c '$cmd'" >&2
      else
        hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$json" "bash -c '$cmd'" >&2
      fi
      python3 -c 'import json,sys; m = json.load(open(sys.argv[1]))["results"][0]["mean"]; print(f"{m:.3f}")' "$json"
      return
    fi
    [[ $mode == warm ]] && bash -c "$cmd" # fills the cache
    for ((i = 1; i <= RUNS; i++)); do
      [[ $mode == cold ]] && bash -c "$prep"
      t0="$(now)"; bash -c "$cmd"; t1="$(now)"
      total="$(python3 -c "print($total + $t1 - $t0)")"
    done
    python3 -c "print(f'{$total / $RUNS:.3f}')"
  }
  for c in "${cells[@]}"; do
    IFS='|' read -r name prep cmd <<<"$c"
    log "$name cold ($RUNS run(s))"
    T["$name cold"]="$(measure cold "$prep" "$cmd")"
    log "$name warm ($RUNS run(s))"
    T["$name warm"]="$(measure warm "$prep" "$cmd")"
  done
  echo
  echo "side by side on $STDLIB_DIR  nproc=$(nproc)  runs/cell=$RUNS (mean wall)  hyperfine=$(command -v hyperfine >/dev/null && echo yes || echo no)"
  printf '%-20s %9s %9s %10s %18s %18s\n' tool "cold s" "warm s" "cold/warm" "cold/gl cold" "warm/gl warm"
  for c in "${cells[@]}"; do
    IFS='|' read -r name _ _ <<<"$c"
    python3 - "$name" "${T["$name cold"]}" "${T["$name warm"]}" "${T["goleaklint cold"]}" "${T["goleaklint warm"]}" <<'PY'
import sys
name, cold, warm, glc, glw = sys.argv[1], *map(float, sys.argv[2:])
r = lambda a, b: f"{a / b:.1f}x" if b > 0 else "-"
print(f"{name:<20} {cold:>9.2f} {warm:>9.2f} {r(cold, warm):>10} {r(cold, glc):>18} {r(warm, glw):>18}")
PY
  done
  exit 0
fi

# ---------------------------------------------------------------- runs
NPROC="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
JOBS_LIST=(1)
[[ $NPROC -gt 1 ]] && JOBS_LIST+=("$NPROC")

mkdir -p "$OUT_DIR"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/goleaklint-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
LAST_RC=0
RESULTS="$WORK/results.tsv" # corpus mode jobs rc wall_median wall_min walls json stderr
: >"$RESULTS"

# run_once CORPUS DIR MODE JOBS: one timed run of a cell; its wall time is appended to the
# cell's .walls file and a failing exit code to its .rc file.
run_once() {
  local corpus="$1" dir="$2" mode="$3" jobs="$4" rc t0 t1 wall args=(--format json --quiet --no-cache --jobs "$jobs")
  [[ $mode == parse-only ]] && args+=(--parse-only)
  local base="$WORK/$corpus-$mode-j$jobs"
  [[ -s $base.rc ]] && return 0 # an earlier run of this cell failed: not run again
  rc=0
  t0="$(now)"
  (cd "$dir" && "$BIN" "${args[@]}" ./...) >"$base.json" 2>"$base.stderr" || rc=$?
  t1="$(now)"
  wall="$(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.3f}")' "$t0" "$t1")"
  # Exit 2 with a complete report means some files could not be read or parsed (they
  # are listed under "errors") and nothing was found: a finished run, not a failure.
  if [[ $rc -eq 2 ]] && python3 -c 'import json, sys; sys.exit(0 if "stats" in json.load(open(sys.argv[1])) else 1)' "$base.json" 2>/dev/null; then
    log "  $corpus $mode jobs=$jobs: exit 2 with a complete report (file errors listed in the JSON)"
    rc=0
  fi
  echo "$wall" >>"$base.walls"
  echo "$rc" >"$base.last-rc"
  log "  $corpus $mode jobs=$jobs run $(wc -l <"$base.walls")/$RUNS: $wall s (exit $rc)"
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "$rc" >"$base.rc"
    log "  ERROR: goleaklint exited $rc in $dir: goleaklint ${args[*]} ./..."
    log "  --- stderr (last 20 lines) ---"
    tail -n 20 "$base.stderr" | sed 's/^/    /' >&2 || true
  fi
}

# finish_cell CORPUS MODE JOBS: the cell's median and minimum wall time, and every run's
# wall time in run order (to pair a full run with the parse-only run beside it), as one
# row of $RESULTS.
finish_cell() {
  local corpus="$1" mode="$2" jobs="$3" rc stats
  local base="$WORK/$corpus-$mode-j$jobs"
  rc="$(cat "$base.last-rc")"
  [[ -s $base.rc ]] && rc="$(cat "$base.rc")"
  LAST_RC=$rc
  stats="$(python3 -c '
import statistics, sys
w = [float(x) for x in open(sys.argv[1]).read().split()]
print(f"{statistics.median(w):.3f}\t{min(w):.3f}\t" + ",".join(f"{x:.3f}" for x in w))' "$base.walls")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$corpus" "$mode" "$jobs" "$rc" "$stats" "$base.json" "$base.stderr" >>"$RESULTS"
}

for corpus in "${CORPORA[@]}"; do
  dir="$(corpus_dir "$corpus")"
  if [[ ! -d $dir ]]; then
    log "$corpus: $dir does not exist, skipped"
    printf '%s\tmissing\t-\t-\t-\t-\t-\t-\t-\n' "$corpus" >>"$RESULTS"
    continue
  fi
  log "$corpus: warm-up run (untimed, parse-only, jobs=$NPROC) in $dir"
  (cd "$dir" && "$BIN" --format json --quiet --no-cache --parse-only --jobs "$NPROC" ./...) >/dev/null 2>&1 || true
  # Rounds: each round runs every cell once, a full run right after its parse-only run, so
  # a slow spell of the machine slows both sides of a ratio rather than one cell.
  for ((round = 1; round <= RUNS; round++)); do
    for jobs in "${JOBS_LIST[@]}"; do
      for mode in parse-only full; do
        run_once "$corpus" "$dir" "$mode" "$jobs"
      done
    done
  done
  for jobs in "${JOBS_LIST[@]}"; do
    for mode in parse-only full; do
      finish_cell "$corpus" "$mode" "$jobs"
    done
  done
  # the last cell run is the full analysis on all cores: keep its JSON for false-positive review
  full_json="$WORK/$corpus-full-j${JOBS_LIST[-1]}.json"
  if [[ $LAST_RC -eq 0 || $LAST_RC -eq 1 ]]; then
    cp "$full_json" "$OUT_DIR/$corpus.json"
    log "$corpus: kept $OUT_DIR/$corpus.json"
  else
    log "$corpus: full run failed (exit $LAST_RC), $OUT_DIR/$corpus.json not updated"
  fi
done

# ---------------------------------------------------------------- report
set +e
python3 - "$RESULTS" "$NPROC" "$RUNS" "$RATIO_TARGET" "$SPEEDUP_TARGET" "$BIN" <<'PY'
import json, statistics, sys

results, nproc, runs, ratio_target, speedup_target, binary = sys.argv[1:7]
nproc, runs = int(nproc), int(runs)
ratio_target, speedup_target = float(ratio_target), float(speedup_target)

rows, missing = [], []
errors = misses = 0
for line in open(results):
    corpus, mode, jobs, rc, wall, wall_min, walls, jpath, epath = line.rstrip("\n").split("\t")
    if mode == "missing":
        missing.append(corpus)
        continue
    r = dict(corpus=corpus, mode=mode, jobs=int(jobs), rc=int(rc), wall=float(wall),
             wall_min=float(wall_min), walls=[float(w) for w in walls.split(",")],
             stats=None, errs=None, note="")
    try:
        doc = json.load(open(jpath))
        r["stats"] = doc.get("stats") or {}
        r["errs"] = len(doc.get("errors") or [])
        r["diags"] = len(doc.get("diagnostics") or [])
    except Exception as e:  # no / truncated JSON
        empty = not open(jpath, "rb").read(1)
        r["note"] = "no JSON on stdout" if empty else f"unreadable JSON ({type(e).__name__}: {e})"
    if r["rc"] not in (0, 1) or r["stats"] is None:
        errors += 1
    rows.append(r)

def fmt(x, nd=1):
    return "-" if x is None else f"{x:,.{nd}f}"

print()
print(f"goleaklint benchmark  binary={binary}  nproc={nproc}  runs/cell={runs} (median wall)")
hdr = f"{'corpus':<8} {'mode':<10} {'jobs':>4} {'files':>8} {'lines':>12} {'MB':>8} {'wall s':>8} {'files/s':>9} {'MB/s':>7}  exit"
print(hdr)
print("-" * len(hdr))
for r in rows:
    s = r["stats"] or {}
    files, lines, nbytes = s.get("files"), s.get("lines"), s.get("bytes")
    mb = nbytes / 1e6 if isinstance(nbytes, (int, float)) else None
    w = r["wall"]
    fps = files / w if files is not None and w > 0 else None
    mbs = mb / w if mb is not None and w > 0 else None
    flag = "" if r["rc"] in (0, 1) else "  <-- ERROR"
    print(f"{r['corpus']:<8} {r['mode']:<10} {r['jobs']:>4} {fmt(files, 0):>8} {fmt(lines, 0):>12} "
          f"{fmt(mb):>8} {w:>8.2f} {fmt(fps, 0):>9} {fmt(mbs):>7}  {r['rc']}{flag}")
    if r["note"]:
        print(f"{'':<8} {r['note']}")
    if r["errs"]:
        print(f"{'':<8} (JSON \"errors\" array: {r['errs']} entries)")
for c in missing:
    print(f"{c:<8} (corpus not installed, skipped)")

corpora = []
for r in rows:
    if r["corpus"] not in corpora:
        corpora.append(r["corpus"])
cell = {(r["corpus"], r["mode"], r["jobs"]): r for r in rows}
ok = lambda r: r is not None and r["rc"] in (0, 1) and r["wall"] > 0

for c in corpora:
    jobs_seen = sorted({r["jobs"] for r in rows if r["corpus"] == c})
    print()
    print(f"{c}: ratios")
    for j in jobs_seen:
        p, f = cell.get((c, "parse-only", j)), cell.get((c, "full", j))
        if ok(p) and ok(f):
            # Each full run against the parse-only run of its round, the median over the rounds.
            pairs = [b / a for a, b in zip(p["walls"], f["walls"]) if a > 0]
            ratio = statistics.median(pairs) if pairs else f["wall"] / p["wall"]
            good = ratio <= ratio_target
            misses += not good
            spread = f"  rounds {min(pairs):.2f}..{max(pairs):.2f}" if len(pairs) > 1 else ""
            print(f"  full / parse-only  jobs {j:>2}: {ratio:5.2f}  (target <= {ratio_target})  {'ok' if good else 'MISS'}{spread}")
        else:
            print(f"  full / parse-only  jobs {j:>2}: n/a (a run failed)")
    for j in jobs_seen:
        if j == 1:
            continue
        for mode in ("parse-only", "full"):
            one, n = cell.get((c, mode, 1)), cell.get((c, mode, j))
            if ok(one) and ok(n):
                sp = one["wall"] / n["wall"]
                good = sp >= speedup_target
                misses += not good
                print(f"  speedup jobs {j} vs 1  {mode:<10}: {sp:5.2f}  (target >= {speedup_target})  {'ok' if good else 'MISS'}")
            else:
                print(f"  speedup jobs {j} vs 1  {mode:<10}: n/a (a run failed)")
    if len(jobs_seen) < 2:
        print("  (single core: no speedup measured)")

    # findings of the full run on all cores
    j = max(jobs_seen)
    f = cell.get((c, "full", j))
    print()
    print(f"{c}: findings per rule (full, jobs {j})")
    if f is None or f["stats"] is None:
        print("  n/a")
        continue
    findings = f["stats"].get("findings") or {}
    if not findings:
        print("  none")
    for rule, n in sorted(findings.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {rule:<40} {n:>7,}")
    if findings:
        print(f"  {'total':<40} {sum(findings.values()):>7,}")
    if f.get("diags") is not None:
        print(f"  ({f['diags']:,} diagnostics in the JSON; {f['errs']:,} errors; packages: {f['stats'].get('packages', '-')})")

print()
if errors:
    print(f"{errors} run(s) FAILED (goleaklint exit code not 0/1, or no readable JSON)")
if misses:
    print(f"{misses} target(s) MISSED")
if not errors and not misses:
    print("all runs succeeded, all targets met")
sys.exit(1 if errors else (10 if misses else 0))
PY
status=$?
set -e
case $status in
  0) exit 0 ;;
  10) if [[ ${BENCH_STRICT:-0} == 1 ]]; then exit 3; else exit 0; fi ;;
  *) exit 1 ;;
esac
