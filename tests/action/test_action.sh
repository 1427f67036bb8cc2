#!/usr/bin/env bash
# Tests the GitHub Action's scripts (scripts/action/install.sh and run.sh) locally,
# with a fake goleaklint binary, file:// release assets and a fake cargo.
# No network, no GitHub. Prints `N passed, N failed`; exits non-zero on failure.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
install_sh="$root/scripts/action/install.sh"
run_sh="$root/scripts/action/run.sh"

passed=0
failed=0
current=""
test_failed=0

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

begin() {
  current="$1"
  test_failed=0
}
check() { # check DESCRIPTION COMMAND...: one assertion of the current test
  local what="$1"
  shift
  if ! "$@"; then
    echo "  assertion failed: $what" >&2
    test_failed=1
  fi
}
end() {
  if [ "$test_failed" -eq 0 ]; then
    echo "PASS $current"
    passed=$((passed + 1))
  else
    echo "FAIL $current"
    failed=$((failed + 1))
  fi
}
equals() { # equals EXPECTED ACTUAL
  if [ "$1" != "$2" ]; then
    printf '    expected: %q\n    actual:   %q\n' "$1" "$2" >&2
    return 1
  fi
}
contains_line() { grep -qxF -- "$2" "$1"; }

# ---------------------------------------------------------------------------
# The fake goleaklint: records its arguments (one a line) and working directory,
# writes a minimal SARIF file where --sarif-file says, exits with $FAKE_EXIT (default 1).
fake="$tmp/fake/goleaklint"
mkdir -p "$(dirname "$fake")"
cat >"$fake" <<'EOF'
#!/usr/bin/env bash
if [ "${1:-}" = "--version" ]; then echo "goleaklint 0.0.0-fake"; exit 0; fi
: "${FAKE_LOG:?}"
printf '%s\n' "$@" >"$FAKE_LOG.args"
pwd >"$FAKE_LOG.cwd"
sarif=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sarif-file) sarif="$2"; shift 2 ;;
    --sarif-file=*) sarif="${1#--sarif-file=}"; shift ;;
    *) shift ;;
  esac
done
if [ -n "$sarif" ]; then
  cat >"$sarif" <<'SARIF'
{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"goleaklint","rules":[]}},"results":[]}]}
SARIF
fi
echo "::warning file=main.go,line=3,col=2,title=abandoned-send::goroutine may block forever"
exit "${FAKE_EXIT:-1}"
EOF
chmod +x "$fake"

# A clean environment for each script run: no GITHUB_* or INPUT_* from outside.
clean_env() {
  env -u GITHUB_OUTPUT -u GITHUB_PATH -u GITHUB_STEP_SUMMARY -u GITHUB_ACTIONS -u RUNNER_TEMP \
    -u INPUT_VERSION -u INPUT_PATTERNS -u INPUT_WORKING_DIRECTORY -u INPUT_FORMAT \
    -u INPUT_SARIF_FILE -u INPUT_FAIL_ON -u INPUT_ARGS -u INPUT_ONLY_NEW_ISSUES -u INPUT_BASE_REV -u GOLEAKLINT -u GOLEAKLINT_BIN \
    -u GOLEAKLINT_SOURCE_DIR -u GOLEAKLINT_RELEASE_BASE_URL -u GOLEAKLINT_TARGET \
    -u GOLEAKLINT_CARGO -u GOLEAKLINT_NO_CARGO_FALLBACK -u GOLEAKLINT_INSTALL_DIR \
    -u GOLEAKLINT_CARGO_ROOT GOLEAKLINT_REPO_URL="$repo_url" "$@"
}

# A local stand-in for the goleaklint repository: tag v1.2.3 exists, nothing else.
repo_url="file://$tmp/repo.git"
git init -q --bare "$tmp/repo.git"
git -C "$tmp/repo.git" -c user.name=t -c user.email=t@example.com \
  commit-tree -m release "$(git -C "$tmp/repo.git" hash-object -t tree -w /dev/null)" >"$tmp/commit" 2>/dev/null ||
  git -C "$tmp/repo.git" -c user.name=t -c user.email=t@example.com commit-tree -m release \
    "$(git -C "$tmp/repo.git" mktree </dev/null)" >"$tmp/commit"
git -C "$tmp/repo.git" tag v1.2.3 "$(cat "$tmp/commit")"
git -C "$tmp/repo.git" update-ref refs/heads/main "$(cat "$tmp/commit")"
git -C "$tmp/repo.git" symbolic-ref HEAD refs/heads/main

# A Go module with a nested directory to run in.
ws="$tmp/ws"
mkdir -p "$ws/svc/cmd" "$ws/svc/internal"
printf 'module example.com/svc\n\ngo 1.22\n' >"$ws/svc/go.mod"

# ---------------------------------------------------------------------------
begin "install.sh with GOLEAKLINT_BIN uses that binary and publishes its directory"
gh="$tmp/gh-install"
mkdir -p "$gh"
: >"$gh/path"
: >"$gh/output"
out="$(clean_env GOLEAKLINT_BIN="$fake" GOLEAKLINT_INSTALL_DIR="$tmp/inst1" GITHUB_PATH="$gh/path" \
  GITHUB_OUTPUT="$gh/output" bash "$install_sh" 2>"$gh/stderr")"
rc=$?
check "exit code 0" equals 0 "$rc"
check "prints the binary path last" equals "$tmp/inst1/bin/goleaklint" "$(printf '%s\n' "$out" | tail -n 1)"
check "bin dir added to GITHUB_PATH" equals "$tmp/inst1/bin" "$(cat "$gh/path")"
check "output path" contains_line "$gh/output" "path=$tmp/inst1/bin/goleaklint"
check "output bin-dir" contains_line "$gh/output" "bin-dir=$tmp/inst1/bin"
check "output version from --version" contains_line "$gh/output" "version=goleaklint 0.0.0-fake"
check "installed name runs the fake" equals "goleaklint 0.0.0-fake" "$("$tmp/inst1/bin/goleaklint" --version)"
end

begin "install.sh with GOLEAKLINT_BIN runs without any GITHUB_* variable"
out="$(clean_env GOLEAKLINT_BIN="$fake" GOLEAKLINT_INSTALL_DIR="$tmp/inst2" bash "$install_sh" 2>/dev/null)"
rc=$?
check "exit code 0" equals 0 "$rc"
check "prints the binary path" equals "$tmp/inst2/bin/goleaklint" "$out"
end

begin "install.sh rejects a GOLEAKLINT_BIN that is not executable"
clean_env GOLEAKLINT_BIN="$tmp/no-such-binary" GOLEAKLINT_INSTALL_DIR="$tmp/inst3" bash "$install_sh" >/dev/null 2>"$tmp/err3"
rc=$?
check "exit code non-zero" test "$rc" -ne 0
check "says why" grep -q "not an executable" "$tmp/err3"
end

# ---------------------------------------------------------------------------
begin "run.sh passes the inputs, writes the outputs and the SARIF, propagates exit 1"
gh="$tmp/gh-run1"
mkdir -p "$gh"
: >"$gh/output"
: >"$gh/summary"
clean_env FAKE_LOG="$tmp/run1" FAKE_EXIT=1 GOLEAKLINT="$tmp/inst1/bin/goleaklint" \
  INPUT_WORKING_DIRECTORY="$ws/svc" INPUT_PATTERNS=$'./cmd/...\n./internal/...' INPUT_FORMAT=github \
  INPUT_SARIF_FILE=goleaklint.sarif INPUT_FAIL_ON=error INPUT_ARGS='--jobs 2 --config "my config.toml"' \
  GITHUB_OUTPUT="$gh/output" GITHUB_STEP_SUMMARY="$gh/summary" bash "$run_sh" >"$gh/stdout" 2>"$gh/stderr"
rc=$?
expected_args="--format
github
--fail-on
error
--sarif-file
goleaklint.sarif
--jobs
2
--config
my config.toml
./cmd/...
./internal/..."
check "exit code 1 propagates" equals 1 "$rc"
check "arguments" equals "$expected_args" "$(cat "$tmp/run1.args")"
check "ran in the working directory" equals "$ws/svc" "$(cat "$tmp/run1.cwd")"
check "outputs file" equals "exit-code=1
sarif-file=$ws/svc/goleaklint.sarif" "$(cat "$gh/output")"
check "SARIF file written" grep -q '"version":"2.1.0"' "$ws/svc/goleaklint.sarif"
check "annotations reach the log" grep -q '^::warning file=main.go' "$gh/stdout"
# shellcheck disable=SC2016 # the backquotes are Markdown
check "step summary" grep -q 'findings at or above `error`' "$gh/summary"
end

begin "run.sh reports paths from the repository root for a module below it"
gh="$tmp/gh-prefix"
mkdir -p "$gh"
: >"$gh/output"
clean_env FAKE_LOG="$tmp/prefix" FAKE_EXIT=0 GOLEAKLINT="$tmp/inst1/bin/goleaklint" \
  INPUT_WORKING_DIRECTORY="$ws/svc" INPUT_SARIF_FILE= GITHUB_WORKSPACE="$ws" \
  GITHUB_OUTPUT="$gh/output" bash "$run_sh" >/dev/null 2>&1
rc=$?
check "exit code 0" equals 0 "$rc"
check "the module's path from the root is the prefix" equals "--format
github
--fail-on
warning
--path-prefix
svc
./..." "$(cat "$tmp/prefix.args")"
end

begin "run.sh propagates exit 0 and uses the defaults"
gh="$tmp/gh-run0"
mkdir -p "$gh"
: >"$gh/output"
rm -f "$ws/svc/goleaklint.sarif"
(cd "$ws/svc" && clean_env FAKE_LOG="$tmp/run0" FAKE_EXIT=0 PATH="$tmp/inst1/bin:$PATH" \
  GITHUB_OUTPUT="$gh/output" bash "$run_sh" >/dev/null 2>&1)
rc=$?
check "exit code 0" equals 0 "$rc"
check "default arguments, goleaklint found on PATH" equals "--format
github
--fail-on
warning
--sarif-file
goleaklint.sarif
./..." "$(cat "$tmp/run0.args")"
check "outputs file" equals "exit-code=0
sarif-file=$ws/svc/goleaklint.sarif" "$(cat "$gh/output")"
check "SARIF file written" test -s "$ws/svc/goleaklint.sarif"
end

begin "run.sh with an empty sarif-file writes no SARIF and an empty output"
gh="$tmp/gh-run-nosarif"
mkdir -p "$gh"
: >"$gh/output"
clean_env FAKE_LOG="$tmp/run-nosarif" FAKE_EXIT=1 GOLEAKLINT="$fake" INPUT_WORKING_DIRECTORY="$ws" \
  INPUT_SARIF_FILE= INPUT_FORMAT=text GITHUB_OUTPUT="$gh/output" bash "$run_sh" >/dev/null 2>&1
rc=$?
check "exit code 1" equals 1 "$rc"
check "no --sarif-file argument" equals "--format
text
--fail-on
warning
./..." "$(cat "$tmp/run-nosarif.args")"
check "outputs file" equals "exit-code=1
sarif-file=" "$(cat "$gh/output")"
check "no SARIF file" test ! -e "$ws/goleaklint.sarif"
end

begin "run.sh propagates exit 2 and reports a SARIF file that was not written as empty"
gh="$tmp/gh-run2"
mkdir -p "$gh"
: >"$gh/output"
cat >"$tmp/fake2" <<'EOF'
#!/usr/bin/env bash
echo "goleaklint: error: pattern ./nothing/... matched no packages" >&2
exit 2
EOF
chmod +x "$tmp/fake2"
clean_env GOLEAKLINT="$tmp/fake2" INPUT_WORKING_DIRECTORY="$ws" INPUT_PATTERNS=./nothing/... \
  GITHUB_OUTPUT="$gh/output" bash "$run_sh" >/dev/null 2>&1
rc=$?
check "exit code 2" equals 2 "$rc"
check "outputs file" equals "exit-code=2
sarif-file=" "$(cat "$gh/output")"
end

begin "run.sh with only-new-issues passes the pull request's base to --new-from-rev"
git -C "$ws" init -q 2>/dev/null
git -C "$ws" -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m base
base_sha="$(git -C "$ws" rev-parse HEAD)"
clean_env FAKE_LOG="$tmp/newonly" GOLEAKLINT="$fake" INPUT_WORKING_DIRECTORY="$ws/svc" INPUT_ONLY_NEW_ISSUES=true \
  INPUT_BASE_REV="$base_sha" bash "$run_sh" >/dev/null 2>&1
check "--new-from-rev BASE before the patterns" equals "--new-from-rev
$base_sha
./..." "$(tail -n 3 "$tmp/newonly.args")"
clean_env FAKE_LOG="$tmp/newonly2" GOLEAKLINT="$fake" INPUT_WORKING_DIRECTORY="$ws/svc" INPUT_ONLY_NEW_ISSUES=true \
  bash "$run_sh" >/dev/null 2>"$tmp/newonly2.err"
check "no base: every finding, and says so" grep -q "not a pull request" "$tmp/newonly2.err"
check "no base: no --new-from-rev" test "$(grep -c -- --new-from-rev "$tmp/newonly2.args")" -eq 0
end

begin "run.sh runs without any GITHUB_* variable"
clean_env FAKE_LOG="$tmp/run-local" FAKE_EXIT=1 GOLEAKLINT="$fake" INPUT_WORKING_DIRECTORY="$ws" \
  bash "$run_sh" >/dev/null 2>&1
rc=$?
check "exit code 1" equals 1 "$rc"
check "ran" test -s "$tmp/run-local.args"
end

begin "run.sh fails with 2 for a missing working directory"
clean_env GOLEAKLINT="$fake" INPUT_WORKING_DIRECTORY="$tmp/nowhere" bash "$run_sh" >/dev/null 2>&1
rc=$?
check "exit code 2" equals 2 "$rc"
end

# ---------------------------------------------------------------------------
# Release assets served from a local directory through file:// URLs.
target="x86_64-unknown-linux-gnu"
rel="$tmp/release"
mkdir -p "$rel/pkg/goleaklint-$target"
cp "$fake" "$rel/pkg/goleaklint-$target/goleaklint"
tar -czf "$rel/goleaklint-$target.tar.gz" -C "$rel/pkg" "goleaklint-$target"
(cd "$rel" && sha256sum "goleaklint-$target.tar.gz" >"goleaklint-$target.tar.gz.sha256")

begin "install.sh downloads, verifies and installs a release archive (file:// base URL)"
gh="$tmp/gh-dl"
mkdir -p "$gh"
: >"$gh/path"
: >"$gh/output"
out="$(clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$rel" GOLEAKLINT_TARGET="$target" INPUT_VERSION=v1.2.3 \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-dl" GOLEAKLINT_NO_CARGO_FALLBACK=1 GITHUB_PATH="$gh/path" \
  GITHUB_OUTPUT="$gh/output" bash "$install_sh" 2>"$gh/stderr")"
rc=$?
check "exit code 0" equals 0 "$rc"
check "binary installed and runs" equals "goleaklint 0.0.0-fake" "$("$tmp/inst-dl/bin/goleaklint" --version 2>&1)"
check "a real copy, not a link" test ! -L "$tmp/inst-dl/bin/goleaklint"
check "checksum reported OK" grep -q "checksum OK" "$gh/stderr"
check "GITHUB_PATH" equals "$tmp/inst-dl/bin" "$(cat "$gh/path")"
check "output path" contains_line "$gh/output" "path=$tmp/inst-dl/bin/goleaklint"
end

begin "install.sh accepts a bare digest in the .sha256 file"
rel2="$tmp/release-bare"
mkdir -p "$rel2"
cp "$rel/goleaklint-$target.tar.gz" "$rel2/"
sha256sum "$rel2/goleaklint-$target.tar.gz" | cut -d' ' -f1 >"$rel2/goleaklint-$target.tar.gz.sha256"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$rel2" GOLEAKLINT_TARGET="$target" \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-bare" GOLEAKLINT_NO_CARGO_FALLBACK=1 bash "$install_sh" >/dev/null 2>&1
rc=$?
check "exit code 0" equals 0 "$rc"
check "installed" test -x "$tmp/inst-bare/bin/goleaklint"
end

begin "install.sh refuses an archive whose checksum does not match"
bad="$tmp/release-bad"
mkdir -p "$bad"
cp "$rel/goleaklint-$target.tar.gz" "$bad/"
printf '%064d  goleaklint-%s.tar.gz\n' 0 "$target" >"$bad/goleaklint-$target.tar.gz.sha256"
printf '#!/bin/sh\ntouch "%s"\n' "$tmp/must-not-run-cargo.log" >"$tmp/must-not-run-cargo"
chmod +x "$tmp/must-not-run-cargo"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$bad" GOLEAKLINT_TARGET="$target" \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-bad" GOLEAKLINT_CARGO="$tmp/must-not-run-cargo" \
  bash "$install_sh" >/dev/null 2>"$tmp/err-bad"
rc=$?
check "exit code non-zero" test "$rc" -ne 0
check "says checksum mismatch" grep -q "checksum mismatch" "$tmp/err-bad"
check "nothing installed" test ! -e "$tmp/inst-bad/bin/goleaklint"
check "no cargo fallback after a mismatch" test ! -e "$tmp/must-not-run-cargo.log"
end

begin "verify_sha256 (sourced) accepts the right digest and rejects a wrong or malformed one"
file="$tmp/verify.bin"
printf 'some bytes\n' >"$file"
sha256sum "$file" >"$tmp/verify.good"
printf 'deadbeef%056d  verify.bin\n' 0 >"$tmp/verify.wrong"
printf 'not a digest\n' >"$tmp/verify.malformed"
# shellcheck source=/dev/null
check "right digest accepted" bash -c "source '$install_sh' && verify_sha256 '$file' '$tmp/verify.good'" 2>/dev/null
check "wrong digest rejected" bash -c "! (source '$install_sh' && verify_sha256 '$file' '$tmp/verify.wrong')" 2>/dev/null
check "malformed digest rejected" bash -c "! (source '$install_sh' && verify_sha256 '$file' '$tmp/verify.malformed')" 2>/dev/null
check "sourcing runs nothing" equals "" "$(bash -c "source '$install_sh'" 2>&1)"
end

# ---------------------------------------------------------------------------
# The cargo fallback, with a fake cargo that records its arguments and "installs" the fake.
fake_cargo="$tmp/fake-cargo"
cat >"$fake_cargo" <<EOF
#!/usr/bin/env bash
printf '%s\n' "\$@" >"$tmp/cargo.args"
root=""
while [ \$# -gt 0 ]; do
  if [ "\$1" = --root ]; then root="\$2"; fi
  shift
done
mkdir -p "\$root/bin" && cp "$fake" "\$root/bin/goleaklint"
EOF
chmod +x "$fake_cargo"

begin "install.sh falls back to cargo install --git --tag v<version> when no archive exists"
rm -f "$tmp/cargo.args"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$tmp/empty-release" GOLEAKLINT_TARGET="$target" INPUT_VERSION=1.2.3 \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-cargo" GOLEAKLINT_CARGO="$fake_cargo" bash "$install_sh" >/dev/null 2>&1
rc=$?
check "exit code 0" equals 0 "$rc"
check "cargo arguments" equals "install
--locked
--git
$repo_url
--tag
v1.2.3
--root
$tmp/inst-cargo
--force
goleaklint" "$(cat "$tmp/cargo.args" 2>/dev/null)"
check "installed" test -x "$tmp/inst-cargo/bin/goleaklint"
end

begin "install.sh names a pinned version that does not exist instead of building it"
rm -f "$tmp/cargo.args"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$tmp/empty-release" GOLEAKLINT_TARGET="$target" INPUT_VERSION=9.9.9 \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-nover" GOLEAKLINT_CARGO="$fake_cargo" bash "$install_sh" >/dev/null 2>"$tmp/err-nover"
rc=$?
check "exit code 1" equals 1 "$rc"
check "says the version does not exist" grep -q "goleaklint 9.9.9 does not exist: .* has no tag v9.9.9" "$tmp/err-nover"
check "cargo not run" test ! -e "$tmp/cargo.args"
end

begin "install.sh builds once into GOLEAKLINT_CARGO_ROOT and reuses that build"
rm -f "$tmp/cargo.args"
: >"$tmp/out-c1"
: >"$tmp/out-c2"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$tmp/empty-release" GOLEAKLINT_TARGET="$target" INPUT_VERSION=1.2.3 \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-c1" GOLEAKLINT_CARGO_ROOT="$tmp/cargo-cache" GOLEAKLINT_CARGO="$fake_cargo" \
  GITHUB_OUTPUT="$tmp/out-c1" bash "$install_sh" >/dev/null 2>&1
check "first run builds" test -e "$tmp/cargo.args"
check "first run: built-with-cargo=true" contains_line "$tmp/out-c1" "built-with-cargo=true"
rm -f "$tmp/cargo.args"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$tmp/empty-release" GOLEAKLINT_TARGET="$target" INPUT_VERSION=1.2.3 \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-c2" GOLEAKLINT_CARGO_ROOT="$tmp/cargo-cache" GOLEAKLINT_CARGO="$fake_cargo" \
  GITHUB_OUTPUT="$tmp/out-c2" bash "$install_sh" >/dev/null 2>&1
rc=$?
check "exit code 0" equals 0 "$rc"
check "second run does not build" test ! -e "$tmp/cargo.args"
check "second run: built-with-cargo=false" contains_line "$tmp/out-c2" "built-with-cargo=false"
check "installed from the cache" test -x "$tmp/inst-c2/bin/goleaklint"
end

begin "install.sh --resolve keys the cargo cache by target and tag, or by the commit latest builds"
equals_out() { equals "$1" "$(clean_env GOLEAKLINT_TARGET="$target" GOLEAKLINT_CARGO_ROOT=/c "${@:2}" bash "$install_sh" --resolve 2>/dev/null)"; }
check "pinned" equals_out "cargo-root=/c
cargo-cache-key=goleaklint-cargo-$target-v1.2.3" INPUT_VERSION=v1.2.3
check "latest" equals_out "cargo-root=/c
cargo-cache-key=goleaklint-cargo-$target-$(cat "$tmp/commit")" INPUT_VERSION=latest
check "a given binary needs no cache" equals_out "cargo-root=/c
cargo-cache-key=" GOLEAKLINT_BIN="$fake"
end

begin "install.sh falls back to cargo install --git without --tag for latest"
rm -f "$tmp/cargo.args"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$tmp/empty-release" GOLEAKLINT_TARGET="$target" \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-cargo-latest" GOLEAKLINT_CARGO="$fake_cargo" bash "$install_sh" >/dev/null 2>&1
rc=$?
check "exit code 0" equals 0 "$rc"
check "no --tag" equals "install
--locked
--git
$repo_url
--root
$tmp/inst-cargo-latest
--force
goleaklint" "$(cat "$tmp/cargo.args" 2>/dev/null)"
end

begin "install.sh builds a checkout with cargo install --path when GOLEAKLINT_SOURCE_DIR is set"
rm -f "$tmp/cargo.args"
clean_env GOLEAKLINT_SOURCE_DIR="$root" GOLEAKLINT_INSTALL_DIR="$tmp/inst-src" GOLEAKLINT_CARGO="$fake_cargo" \
  bash "$install_sh" >/dev/null 2>&1
rc=$?
check "exit code 0" equals 0 "$rc"
check "cargo arguments" equals "install
--locked
--path
$root
--root
$tmp/inst-src
--force" "$(cat "$tmp/cargo.args" 2>/dev/null)"
end

begin "install.sh fails cleanly with no archive and the cargo fallback turned off"
clean_env GOLEAKLINT_RELEASE_BASE_URL="file://$tmp/empty-release" GOLEAKLINT_TARGET="$target" \
  GOLEAKLINT_INSTALL_DIR="$tmp/inst-none" GOLEAKLINT_NO_CARGO_FALLBACK=1 bash "$install_sh" >/dev/null 2>"$tmp/err-none"
rc=$?
check "exit code non-zero" test "$rc" -ne 0
check "says what is missing" grep -q "could not download goleaklint-$target.tar.gz" "$tmp/err-none"
end

begin "install.sh then run.sh, chained through GITHUB_OUTPUT as action.yml chains them"
gh="$tmp/gh-chain"
mkdir -p "$gh"
: >"$gh/install"
: >"$gh/run"
clean_env GOLEAKLINT_BIN="$fake" GOLEAKLINT_INSTALL_DIR="$tmp/inst-chain" GITHUB_OUTPUT="$gh/install" \
  bash "$install_sh" >/dev/null 2>&1
bin="$(sed -n 's/^path=//p' "$gh/install")"
clean_env FAKE_LOG="$tmp/chain" FAKE_EXIT=1 GOLEAKLINT="$bin" INPUT_WORKING_DIRECTORY="$ws/svc" \
  GITHUB_OUTPUT="$gh/run" bash "$run_sh" >/dev/null 2>&1
rc=$?
check "exit code 1" equals 1 "$rc"
check "run outputs" equals "exit-code=1
sarif-file=$ws/svc/goleaklint.sarif" "$(cat "$gh/run")"
end

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
