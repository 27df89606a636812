#!/usr/bin/env bash
# The action's push step: masks the password, turns the inputs (INPUT_* variables, set by
# action.yml) into a `fanout push` command line, runs it, and turns what Fanout wrote to its step
# outputs into the action's outputs.
#
# Fanout itself speaks to GitHub when GITHUB_ACTIONS=true: it masks every secret it reads (also
# those a --config names), writes digest, images, enabled-<target> and pushed-<target> to
# GITHUB_OUTPUT and its report to GITHUB_STEP_SUMMARY. A composite action can only pass on the
# outputs action.yml declares, and target names are not known in advance, so this step adds
# pushed, failed (JSON arrays of target names) and results (a JSON object of their outcomes).
#
# Exit status: Fanout's (0 pushed, 1 a required target failed, 2 a usage or plan problem: nothing
# was sent).
set -euo pipefail

# ::add-mask:: takes one line, escaped as the runner expects (as actions/toolkit's escapeData).
mask() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [ -n "${line//[[:space:]]/}" ] || continue
    line=${line//%/%25}
    echo "::add-mask::${line//$'\r'/%0D}"
  done <<< "$1"
}
mask "${INPUT_PASSWORD:-}"

problems=()
case ${INPUT_PLAIN_HTTP:-false} in
  true | false) ;;
  *) problems+=("plain-http: '${INPUT_PLAIN_HTTP}' is neither true nor false") ;;
esac
if [ -z "${INPUT_CONFIG:-}${INPUT_FROM:-}${INPUT_LAYERS:-}" ]; then
  problems+=("no config, from or layers given: say what to push")
fi
if [ -z "${INPUT_CONFIG:-}" ] && [ -z "${INPUT_TO//[[:space:],]/}" ]; then
  problems+=("no config or to given: say where to push")
fi
if [ -n "${INPUT_USERNAME:-}" ] && [ -z "${INPUT_PASSWORD:-}" ]; then
  problems+=("username given without password")
fi
if [ -z "${FANOUT_HOME:-}" ] || [ ! -x "$FANOUT_HOME/bin/fanout" ]; then
  problems+=("Fanout is not installed (FANOUT_HOME: '${FANOUT_HOME:-}')")
fi
if [ "${#problems[@]}" -gt 0 ]; then
  for problem in "${problems[@]}"; do
    echo "::error title=Fanout input::$problem"
  done
  exit 2
fi

# lines NAME TEXT: TEXT's non-blank lines, trimmed, into the array NAME.
lines() {
  local -n into=$1
  local line
  into=()
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    if [ -n "$line" ]; then
      into+=("$line")
    fi
  done <<< "$2"
}

arguments=(push)
[ -n "${INPUT_CONFIG:-}" ] && arguments+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_FROM:-}" ] && arguments+=(--from "$INPUT_FROM")
lines layers "${INPUT_LAYERS:-}"
for layer in "${layers[@]}"; do arguments+=(--layer "$layer"); done
lines entrypoint "${INPUT_ENTRYPOINT:-}"
for argument in "${entrypoint[@]}"; do arguments+=(--entrypoint "$argument"); done
lines tags "${INPUT_TAGS//[ ,	]/$'\n'}"
for tag in "${tags[@]}"; do arguments+=(--tag "$tag"); done
[ "${INPUT_PLAIN_HTTP:-false}" = true ] && arguments+=(--plain-http)
report=${INPUT_REPORT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/fanout-report.json}
arguments+=(--report "$report")
lines extra "${INPUT_ARGS:-}"
arguments+=("${extra[@]}")
lines references "${INPUT_TO//[ 	]/$'\n'}"
arguments+=("${references[@]}")

# Fanout's own outputs go to a file of this step's, read below, then passed on whole.
outputs=$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/fanout-outputs.XXXXXX")
trap 'rm -f "$outputs"' EXIT

credentials=()
[ -n "${INPUT_USERNAME:-}" ] && credentials+=(FANOUT_USERNAME="$INPUT_USERNAME")
[ -n "${INPUT_PASSWORD:-}" ] && credentials+=(FANOUT_PASSWORD="$INPUT_PASSWORD")
# A hosted runner starts empty: recording the class-data archive would cost a second for nothing.
cds=${FANOUT_CDS:-auto}
[ "${RUNNER_ENVIRONMENT:-}" = github-hosted ] && cds=off

status=0
env -u INPUT_USERNAME -u INPUT_PASSWORD "${credentials[@]}" FANOUT_CDS="$cds" \
  GITHUB_ACTIONS=true GITHUB_OUTPUT="$outputs" \
  "$FANOUT_HOME/bin/fanout" "${arguments[@]}" || status=$?

# Each target's outcome from enabled-<name> (written when planned) and pushed-<name> (when done).
names=()
declare -A enabled=() pushed=()
delimiter=""
while IFS= read -r line || [ -n "$line" ]; do
  if [ -n "$delimiter" ]; then
    [ "$line" = "$delimiter" ] && delimiter=""
    continue
  fi
  if [[ "$line" =~ ^[A-Za-z0-9_-]+\<\<(.+)$ ]]; then
    delimiter=${BASH_REMATCH[1]}
  elif [[ "$line" =~ ^enabled-([a-z0-9][a-z0-9_-]*)=(true|false)$ ]]; then
    names+=("${BASH_REMATCH[1]}")
    enabled[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
  elif [[ "$line" =~ ^pushed-([a-z0-9][a-z0-9_-]*)=(true|false)$ ]]; then
    pushed[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
  fi
done < "$outputs"

pushed_json="" failed_json="" results_json=""
for name in "${names[@]}"; do
  if [ "${pushed[$name]:-}" = true ]; then
    outcome=pushed
    pushed_json+="${pushed_json:+,}\"$name\""
  elif [ "${enabled[$name]}" = false ]; then
    outcome=skipped
  elif [ -n "${pushed[$name]:-}" ]; then
    outcome=failed
    failed_json+="${failed_json:+,}\"$name\""
  else
    continue
  fi
  results_json+="${results_json:+,}\"$name\":\"$outcome\""
done

{
  cat "$outputs"
  echo "pushed=[$pushed_json]"
  echo "failed=[$failed_json]"
  echo "results={$results_json}"
  echo "report=$report"
} >> "$GITHUB_OUTPUT"
exit "$status"
