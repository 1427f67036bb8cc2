#!/usr/bin/env bash
# Runs goleaklint for the GitHub Action (action.yml); also runs locally.
#
# Environment (all optional; the defaults are the action's):
#   GOLEAKLINT                 the binary (default: goleaklint on PATH)
#   INPUT_WORKING_DIRECTORY    directory to run in (default: .)
#   INPUT_PATTERNS             package patterns, separated by spaces or newlines (default: ./...)
#   INPUT_FORMAT               --format: text|json|sarif|github (default: github)
#   INPUT_SARIF_FILE           --sarif-file, relative to the working directory (default:
#                              goleaklint.sarif); empty writes no SARIF
#   INPUT_FAIL_ON              --fail-on: note|warning|error (default: warning)
#   INPUT_ARGS                 extra arguments, split like a shell would (quotes allowed, no
#                              variables or globs), placed before the patterns
#   INPUT_ONLY_NEW_ISSUES      "true": report only findings on lines changed since INPUT_BASE_REV
#                              (--new-from-rev), fetching that commit when the checkout lacks it
#   INPUT_BASE_REV             the commit to compare with (action.yml: the pull request's base);
#                              empty (not a pull request): every finding is reported
#   GITHUB_WORKSPACE           when set and the working directory lies below it, paths are
#                              reported relative to it (--path-prefix), as GitHub expects
#   GITHUB_OUTPUT              when set: `exit-code` and `sarif-file` (absolute path, empty when
#                              no SARIF was written) are appended to it
#   GITHUB_STEP_SUMMARY        when set: a one-line summary is appended to it
#
# Exits with goleaklint's exit code: 0 no findings at or above fail-on, 1 findings,
# 2 usage or I/O error.
set -euo pipefail

log() { printf 'goleaklint-action: %s\n' "$*" >&2; }

# split_words STRING: prints STRING's words NUL-separated, honouring quotes and
# backslashes as xargs does (no expansion of any kind).
split_words() {
  local s="$1"
  if [ -n "${s//[[:space:]]/}" ]; then
    printf '%s\n' "$s" | xargs printf '%s\0'
  fi
}

bin="${GOLEAKLINT:-goleaklint}"
workdir="${INPUT_WORKING_DIRECTORY:-.}"
format="${INPUT_FORMAT:-github}"
fail_on="${INPUT_FAIL_ON:-warning}"
patterns_input="${INPUT_PATTERNS-./...}"
args_input="${INPUT_ARGS:-}"
# `${VAR-default}`: an empty INPUT_SARIF_FILE means "no SARIF", unset means the default.
sarif="${INPUT_SARIF_FILE-goleaklint.sarif}"

cd "$workdir" || { log "cannot enter the working directory '$workdir'"; exit 2; }

cmd=("$bin" --format "$format" --fail-on "$fail_on")
if [ -n "$sarif" ]; then
  cmd+=(--sarif-file "$sarif")
fi
# GitHub places annotations and code-scanning results relative to the repository root.
if [ -n "${GITHUB_WORKSPACE:-}" ]; then
  here="$(pwd -P)"
  root="$(cd "$GITHUB_WORKSPACE" 2>/dev/null && pwd -P || true)"
  case "$here" in
    "$root"/*) cmd+=(--path-prefix "${here#"$root"/}") ;;
  esac
fi
if [ "${INPUT_ONLY_NEW_ISSUES:-false}" = true ]; then
  base="${INPUT_BASE_REV:-}"
  if [ -z "$base" ]; then
    log "only-new-issues: no base commit (not a pull request); reporting every finding"
  else
    if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
      log "only-new-issues: fetching the base commit $base"
      git fetch --no-tags --quiet --depth=1 origin "$base" ||
        { log "only-new-issues: cannot fetch the base commit $base"; exit 2; }
    fi
    cmd+=(--new-from-rev "$base")
  fi
fi
words="$(mktemp)"
trap 'rm -f "$words"' EXIT
extra=()
split_words "$args_input" >"$words" || { log "cannot split the args input: $args_input"; exit 2; }
while IFS= read -r -d '' word; do extra+=("$word"); done <"$words"
patterns=()
split_words "$patterns_input" >"$words" || { log "cannot split the patterns input: $patterns_input"; exit 2; }
while IFS= read -r -d '' word; do patterns+=("$word"); done <"$words"
[ "${#patterns[@]}" -gt 0 ] || patterns=(./...)
cmd+=(${extra[@]+"${extra[@]}"} "${patterns[@]}")

log "running in $(pwd): ${cmd[*]}"
set +e
"${cmd[@]}"
code=$?
set -e

sarif_path=""
if [ -n "$sarif" ]; then
  case "$sarif" in
    /*) sarif_path="$sarif" ;;
    *) sarif_path="$(pwd)/$sarif" ;;
  esac
  if [ ! -f "$sarif_path" ]; then
    log "goleaklint wrote no SARIF file at $sarif_path (exit code $code)"
    sarif_path=""
  fi
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    printf 'exit-code=%s\n' "$code"
    printf 'sarif-file=%s\n' "$sarif_path"
  } >>"$GITHUB_OUTPUT"
fi

case "$code" in
  0) summary="no findings at or above \`$fail_on\`" ;;
  1) summary="findings at or above \`$fail_on\`" ;;
  *) summary="error (exit code $code)" ;;
esac
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  printf '### goleaklint\n%s%s\n' "$summary" "${sarif_path:+; SARIF: \`$sarif_path\`}" >>"$GITHUB_STEP_SUMMARY"
fi
log "goleaklint: $summary"
exit "$code"
