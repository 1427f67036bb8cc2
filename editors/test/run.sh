#!/usr/bin/env bash
# Checks the editor setups against a fake language server (fake_lsp.py), or
# against the real one with GOLEAKLINT_CMD=path/to/goleaklint (then only
# startup, initializationOptions and shutdown are checked strictly).
#   - Neovim (editors/nvim/goleaklint.lua) when `nvim` is installed
#   - Emacs eglot, lsp-mode and flymake (editors/emacs/goleaklint.el) when `emacs`
#     is installed (with Debian's elpa-go-mode, elpa-eglot, elpa-lsp-mode; a
#     missing package is a skip)
# Prints `N passed, N failed, N skipped`; exits non-zero when a check fails.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
editors="$(dirname "$here")"
cmd="${GOLEAKLINT_CMD:-$here/fake_lsp.py}"
passed=0 failed=0 skipped=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
skip() { echo "SKIP $1${2:+: $2}"; skipped=$((skipped + 1)); }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ws="$tmp/ws"
mkdir -p "$ws/cmd/app" "$ws/.git"
printf 'module example.com/ws\n\ngo 1.22\n' >"$ws/go.mod"
printf 'package main\n\nfunc main() {}\n' >"$ws/cmd/app/main.go"
printf 'package main\n\nfunc helper() {}\n' >"$ws/cmd/app/helper.go"

# check NAME PYTHON-EXPRESSION: evaluated with `log` (the server's messages) and `res`.
check() {
  local name="$1" expr="$2" log="$3" res="${4:-}"
  if python3 - "$log" "$res" "$expr" <<'PY'
import json, sys
log_file, res_file, expr = sys.argv[1:4]
log = [json.loads(l) for l in open(log_file)] if log_file else []
res = json.load(open(res_file)) if res_file else {}
def msgs(m): return [e for e in log if e.get("method") == m]
ok = eval(expr)
if not ok:
    print("  expression:", expr, file=sys.stderr)
    print("  log:", json.dumps(log)[:2000], file=sys.stderr)
    print("  result:", json.dumps(res)[:2000], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
  then pass "$name"; else fail "$name"; fi
}

# ---- Neovim ----
if command -v nvim >/dev/null 2>&1; then
  log="$tmp/nvim.log" res="$tmp/nvim.json"
  : >"$log"
  FAKE_SERVER_LOG="$log" RESULT_FILE="$res" GOLEAKLINT_LUA="$editors/nvim/goleaklint.lua" \
    GOLEAKLINT_CMD="$cmd" GO_FILE="$ws/cmd/app/main.go" GO_FILE2="$ws/cmd/app/helper.go" \
    timeout 60 nvim --headless -u NONE -i NONE -n -c "luafile $here/nvim_check.lua" >"$tmp/nvim.out" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ] || [ ! -s "$res" ]; then
    fail "nvim: runs the snippet" "exit $rc: $(cat "$tmp/nvim.out" "$res" 2>/dev/null | head -c 2000)"
  else
    pass "nvim: runs the snippet ($(nvim --version | head -1))"
    check "nvim: filetype go, one client named goleaklint rooted at go.mod" \
      "res['filetype'] == 'go' and [c['name'] for c in res['clients']] == ['goleaklint'] and res['clients'][0]['root_dir'] == '$ws'" "" "$res"
    check "nvim: second buffer reuses the client" "res['active_clients'] == 1 and res['second_buffer_clients'] == 1" "" "$res"
    if [ -z "${GOLEAKLINT_CMD:-}" ]; then
      check "nvim: diagnostics shown" "res['got_diagnostics'] and 'goroutine may block forever sending on ch' in res['messages']" "" "$res"
      check "nvim: started as '<cmd> lsp' in the module root" \
        "msgs('argv')[0]['params'] == ['lsp'] and msgs('argv')[0]['cwd'] == '$ws'" "$log"
      check "nvim: initializationOptions are the settings" \
        "msgs('initialize')[0]['params']['initializationOptions'] == {'enable': [], 'disable': ['unused-suppression'], 'tests': False, 'configFile': 'lint.toml'}" "$log"
      check "nvim: settings pushed as settings.goleaklint" \
        "any(m['params']['settings'].get('goleaklint', {}).get('disable') == ['unused-suppression'] for m in msgs('workspace/didChangeConfiguration'))" "$log"
      check "nvim: both buffers opened on the server" \
        "sorted(m['params']['textDocument']['uri'].rsplit('/', 1)[1] for m in msgs('textDocument/didOpen')) == ['helper.go', 'main.go']" "$log"
      check "nvim: clean shutdown then exit" "len(msgs('shutdown')) == 1 and len(msgs('exit')) == 1" "$log"
    fi
    check "nvim: client stopped" "res['stopped']" "" "$res"
  fi
else
  skip "nvim" "nvim not installed"
fi

# ---- Emacs ----
if command -v emacs >/dev/null 2>&1; then
  for mode in eglot lsp-mode flymake; do
    log="$tmp/emacs-$mode.log" res="$tmp/emacs-$mode.json" clilog="$tmp/emacs-cli.log"
    : >"$log"; : >"$clilog"
    FAKE_SERVER_LOG="$log" FAKE_CLI_LOG="$clilog" FAKE_CLI="$here/fake_cli.py" RESULT_FILE="$res" \
      GOLEAKLINT_EL="$editors/emacs/goleaklint.el" GOLEAKLINT_CMD="$cmd" GO_FILE="$ws/cmd/app/main.go" \
      CLIENT="$mode" timeout 120 emacs --batch -Q -l "$here/emacs_check.el" >"$tmp/emacs.out" 2>&1
    rc=$?
    if [ "$rc" -eq 77 ]; then
      skip "emacs $mode" "$(tail -1 "$tmp/emacs.out")"
      continue
    fi
    if [ "$rc" -ne 0 ] || [ ! -s "$res" ]; then
      fail "emacs $mode: runs the setup" "exit $rc: $(tail -c 2000 "$tmp/emacs.out")"
      continue
    fi
    pass "emacs $mode: runs the setup ($(emacs --version | head -1))"
    if [ "$mode" = flymake ]; then
      check "emacs flymake: runs '<cmd> --format json' with the settings as flags in the module root" \
        "[json.loads(l) for l in open('$clilog')][0] == {'argv': ['--format', 'json', '--quiet', '--color', 'never', '--disable', 'unused-suppression', '--tests=false', './cmd/app'], 'cwd': '$ws'}" "" ""
      check "emacs flymake: the file's finding shown, on its line, as a warning; other files' not" \
        "res['messages'] == [':warning:3:goroutine may block forever sending on ch [abandoned-send]']" "" "$res"
      continue
    fi
    check "emacs $mode: started as '<cmd> lsp' in the project root" \
      "msgs('argv')[0]['params'] == ['lsp'] and msgs('argv')[0]['cwd'] == '$ws'" "$log"
    if [ -z "${GOLEAKLINT_CMD:-}" ]; then
      check "emacs $mode: initializationOptions are the settings" \
        "msgs('initialize')[0]['params']['initializationOptions'] == {'enable': [], 'disable': ['unused-suppression'], 'tests': False}" "$log"
      check "emacs $mode: the Go file opened on the server" \
        "msgs('textDocument/didOpen')[0]['params']['textDocument']['uri'].endswith('/cmd/app/main.go')" "$log"
      check "emacs $mode: diagnostics shown" "any('goroutine may block forever sending on ch' in m for m in res['messages'])" "" "$res"
      check "emacs $mode: clean shutdown" "len(msgs('shutdown')) == 1" "$log"
    fi
    if [ "$mode" = lsp-mode ] && [ -z "${GOLEAKLINT_CMD:-}" ]; then
      check "emacs lsp-mode: settings pushed as settings.goleaklint" \
        "any(m['params']['settings'].get('goleaklint', {}).get('disable') == ['unused-suppression'] and m['params']['settings']['goleaklint'].get('tests') is False for m in msgs('workspace/didChangeConfiguration'))" "$log"
    fi
  done
else
  skip "emacs" "emacs not installed"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
