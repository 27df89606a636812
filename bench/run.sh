#!/usr/bin/env bash
# Fanout's benchmark: one build pushed to 1 and 3 real registries on loopback, side by side with
# jib-core used the obvious way, mvn jib:build, skopeo and the physical floor. Writes
# bench/RESULTS.md. See bench/README.md.
#
# usage: bench/run.sh
#   BENCH_RUNS=5          counted runs per scenario, after one warm-up run
#   BENCH_SCENARIOS="..." a subset of: fanout1 fanout3 fanoutaot1 fanoutaot3 fanoutjar3 jibcore1
#                         jibcore3 mvnjib3 skopeo1 skopeo3 floor3 pigzfloor3 rerun3 big3
#   BENCH_AOT_JAVA_HOME   the JDK (25 or later) of fanoutaot1/3; by default the newest such JDK
#                         under /usr/lib/jvm; without one those two scenarios are left out
#   BENCH_BIG_MIB=1024    the size of big3's one layer
#   BENCH_QUIET_WAIT=1800 seconds to wait for a quiet machine (1-minute load < 0.5) before measuring
#   BENCH_NO_WAIT=1       measure at once: neither wait for a quiet machine nor for other java
#                         processes to end before each run (RESULTS.md says so)
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_WORK=$BENCH_ROOT/bench/target
export BENCH_ROOT BENCH_WORK
runs=${BENCH_RUNS:-5}
# The newest JDK of release 25 or later under /usr/lib/jvm, read from its release file.
newest_aot_jdk() {
  local release major best="" best_major=0
  for release in /usr/lib/jvm/*/release; do
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best=$(dirname "$release")
      best_major=$major
    fi
  done
  echo "$best"
}
BENCH_AOT_JAVA_HOME=${BENCH_AOT_JAVA_HOME:-$(newest_aot_jdk)}
export BENCH_AOT_JAVA_HOME
aot_scenarios=""
[ -n "$BENCH_AOT_JAVA_HOME" ] && aot_scenarios="fanoutaot1 fanoutaot3"
scenarios=${BENCH_SCENARIOS:-fanout1 fanout3 $aot_scenarios fanoutjar3 jibcore1 jibcore3 mvnjib3 skopeo1 skopeo3 floor3 pigzfloor3 rerun3 big3}
big_mib=${BENCH_BIG_MIB:-1024}
quiet_wait=${BENCH_QUIET_WAIT:-1800}
no_wait=${BENCH_NO_WAIT:-0}
# The 1 GiB push is long and its question is memory, not speed: one counted run, no warm-up.
big_runs=1

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

install_missing() {
  local missing=() pair
  for pair in docker-registry:docker-registry skopeo:skopeo htpasswd:apache2-utils \
    /usr/bin/time:time curl:curl python3:python3 gzip:gzip pigz:pigz; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    log "installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

prepare() {
  mkdir -p "$BENCH_WORK"
  log "building the fanout command line"
  (cd "$BENCH_ROOT" && mvn -B -q -pl cli -am package -DskipTests)
  # cli/fanout records its class-data archive afresh on its first run, the first warm-up.
  rm -f "$BENCH_ROOT"/cli/target/fanout-cli.jsa* "$BENCH_ROOT"/cli/target/fanout-cli-*.aot*
  log "resolving jib-maven-plugin"
  mvn -B -q -f "$BENCH_ROOT/bench/jib-maven/pom.xml" compile jib:build -Djib.skip=true
  log "compiling the jib-core baseline"
  rm -rf "$BENCH_WORK/classes"
  javac -d "$BENCH_WORK/classes" -cp "$BENCH_ROOT/cli/target/lib/*" "$BENCH_ROOT/bench/src/JibObvious.java"
  log "generating the image content (seeded)"
  python3 "$BENCH_ROOT/bench/gen_image.py" "$BENCH_WORK/image" \
    $([[ " $scenarios " == *" big3 "* ]] && echo --big-mib "$big_mib")
  export FANOUT_USERNAME=bench
  FANOUT_PASSWORD=bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  export FANOUT_PASSWORD
  htpasswd -Bbn "$FANOUT_USERNAME" "$FANOUT_PASSWORD" >"$BENCH_WORK/htpasswd"
  cat >"$BENCH_WORK/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $BENCH_WORK/unused
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:5000
  secret: bench-not-secret
auth:
  htpasswd:
    realm: bench
    path: $BENCH_WORK/htpasswd
EOF
}

# Waits (up to BENCH_QUIET_WAIT s) for the 1-minute load average to drop below 0.5.
await_quiet() {
  local waited=0 load
  while [ "$no_wait" != 1 ]; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" 'BEGIN { exit !(l < 0.5) }'; then
      break
    fi
    if [ "$waited" -ge "$quiet_wait" ]; then
      log "machine still busy after ${waited}s (load $load); measuring anyway, RESULTS.md says so"
      break
    fi
    log "machine busy (load $load, $(ps aux | grep -c '[j]ava') java processes); waiting"
    sleep 30
    waited=$((waited + 30))
  done
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  java_at_start=$(ps aux | grep -c '[j]ava' || true)
}

hosts=()
pids=()
start_registries() {
  local count=$1 dir=$2 index port deadline ports
  hosts=()
  pids=()
  read -r -a ports <<<"$(free_ports "$count")"
  for ((index = 1; index <= count; index++)); do
    mkdir -p "$dir/reg$index"
    port=${ports[$((index - 1))]}
    REGISTRY_HTTP_ADDR=127.0.0.1:$port REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$dir/reg$index/data" \
      docker-registry serve "$BENCH_WORK/registry.yml" >"$dir/reg$index/log" 2>&1 &
    pids+=($!)
    hosts+=("127.0.0.1:$port")
  done
  deadline=$((SECONDS + 20))
  for ((index = 1; index <= count; index++)); do
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://${hosts[$((index - 1))]}/v2/")" = 401 ] \
      && kill -0 "${pids[$((index - 1))]}" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "${pids[$((index - 1))]}" 2>/dev/null; then
        log "registry $index on ${hosts[$((index - 1))]} did not start: $(cat "$dir/reg$index/log")"
        return 1
      fi
      sleep 0.02
    done
  done
}

# COUNT distinct free loopback ports: all sockets are bound before any is closed.
free_ports() {
  python3 -c '
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
' "$1"
}

# CPU seconds (user + system) the running registries have used so far, summed.
registries_cpu() {
  local pid ticks=0 hz
  hz=$(getconf CLK_TCK)
  for pid in "${pids[@]}"; do
    ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$ticks" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}

stop_registries() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}

access_lines() { tail -n "+$(($2 + 1))" "$1" | grep -E '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' || true; }

manifest_digest() {
  curl -sf -I -u "$FANOUT_USERNAME:$FANOUT_PASSWORD" \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$1/v2/bench/app/manifests/1" | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }' \
    || true
}

# Java processes now running that are not this benchmark's (its own have ended between runs):
# on a shared machine they are other people's builds and tests.
foreign_java() { pgrep -c java || true; }

# Waits (up to 5 minutes) until no other java process runs, before a run is timed.
await_no_foreign_java() {
  local waited=0
  [ "$no_wait" = 1 ] && return
  while [ "$(foreign_java)" -gt 0 ] && [ "$waited" -lt 300 ]; do
    [ "$waited" -eq 0 ] && log "waiting for $(foreign_java) other java process(es) to end"
    sleep 5
    waited=$((waited + 5))
  done
}

# A run, repeated (up to twice) when another java process started while it was timed.
run_once() {
  local attempt
  for attempt in 1 2 3; do
    await_no_foreign_java
    run_measured "$@"
    if [ "$(foreign_java)" -eq 0 ] || [ "$attempt" -eq 3 ] || [ "$no_wait" = 1 ]; then
      [ "$(foreign_java)" -eq 0 ] || contaminated=$((contaminated + 1))
      tail -1 "$BENCH_WORK/results.raw" >>"$BENCH_WORK/results.tsv"
      return
    fi
    log "another java process started during $1 run $4; measuring it again"
  done
}

# One run of a scenario: fresh registries, the timed command, the registries' counts.
run_measured() {
  local label=$1 scenario=$2 count=$3 run=$4
  local dir=$BENCH_WORK/runs/$label-$run index marks=() uploads=() requests=() digests=() rc
  rm -rf "$dir"
  mkdir -p "$dir/tmp"
  start_registries "$count" "$dir"
  if [ "$scenario" = rerun ]; then
    RUN_TMP=$dir/tmp bash "$BENCH_ROOT/bench/scenario.sh" rerun "${hosts[@]}" >"$dir/first-push.out" 2>&1
  fi
  for ((index = 1; index <= count; index++)); do
    marks+=("$(wc -l <"$dir/reg$index/log")")
  done
  local cpu_before
  cpu_before=$(registries_cpu)
  set +e
  RUN_TMP=$dir/tmp /usr/bin/time -f '%e %M %U %S' -o "$dir/time" \
    bash "$BENCH_ROOT/bench/scenario.sh" "$scenario" "${hosts[@]}" >"$dir/out" 2>"$dir/err"
  rc=$?
  set -e
  for ((index = 1; index <= count; index++)); do
    local lines
    lines=$(access_lines "$dir/reg$index/log" "${marks[$((index - 1))]}")
    uploads+=("$(grep -cE '"PUT /v2/[^ ]+/blobs/uploads/[^ ]* HTTP/1\.[01]" 201' <<<"$lines" || true)")
    requests+=("$(grep -c . <<<"$lines" || true)")
    digests+=("$(manifest_digest "${hosts[$((index - 1))]}")")
  done
  local registry_cpu
  # Only what the registries used during the timed command: not their start, nor a first push.
  registry_cpu=$(awk -v a="$(registries_cpu)" -v b="$cpu_before" 'BEGIN { printf "%.2f", a - b }')
  stop_registries
  local build_ms push_ms
  build_ms=$(grep -o 'once in [0-9]* ms' "$dir/err" | grep -o '[0-9]*' | head -1 || true)
  push_ms=$(grep -o 'pushed .* in [0-9]* ms' "$dir/err" | grep -o '[0-9]* ms$' | grep -o '[0-9]*' | sort -n | tail -1 || true)
  # Layers Fanout compressed in this run (it logs each one it compresses, not the cached ones).
  local compressed
  compressed=$(grep -c 'compressed on [0-9]* threads' "$dir/err" || true)
  local distinct
  distinct=$(printf '%s\n' "${digests[@]}" | sort -u | wc -l)
  local digest=${digests[0]:--}
  [ "$distinct" -eq 1 ] || digest=MISMATCH
  [ "$rc" -eq 0 ] || log "$label run $run exited $rc: $(tail -3 "$dir/err" | tr '\n' ' ')"
  local times
  times=$(tail -1 "$dir/time")
  printf '%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$run" \
    "$(cut -d' ' -f1 <<<"$times")" "$(cut -d' ' -f2 <<<"$times")" "$rc" \
    "$(IFS=/; echo "${uploads[*]}")" "$(IFS=/; echo "${requests[*]}")" "$digest" \
    "${build_ms:--}" "${push_ms:--}" \
    "$(awk '{ printf "%.2f", $3 + $4 }' <<<"$times")" "$registry_cpu" "$compressed" >>"$BENCH_WORK/results.raw"
  log "$label run $run: $(cut -d' ' -f1 <<<"$times") s, rc $rc, uploads $(IFS=/; echo "${uploads[*]}")"
  # The big scenario's registries hold gigabytes: keep only logs.
  rm -rf "$dir"/reg*/data "$dir/tmp"
}

main() {
  trap stop_registries EXIT
  trap 'exit 143' TERM INT
  install_missing
  prepare
  await_quiet
  local started
  started=$(date -u '+%Y-%m-%d %H:%M UTC')
  : >"$BENCH_WORK/results.tsv"
  : >"$BENCH_WORK/results.raw"
  contaminated=0
  # Round-robin: every scenario's run 0 (the warm-up), then every scenario's run 1, and so on, so
  # that a shared machine's drift in speed over the minutes of a run weighs on all scenarios alike
  # and the ratios compare like with like. big3, long and about memory, runs once at the end.
  local label run
  for ((run = 0; run <= runs; run++)); do
    for label in $scenarios; do
      [ "$label" = big3 ] && continue
      run_once "$label" "${label%[0-9]}" "${label##*[a-z]}" "$run"
    done
  done
  if [[ " $scenarios " == *" big3 "* ]]; then
    for ((run = 1; run <= big_runs; run++)); do
      run_once big3 big 3 "$run"
    done
  fi
  python3 "$BENCH_ROOT/bench/report.py" "$BENCH_WORK/results.tsv" "$BENCH_ROOT/bench/RESULTS.md" \
    --started "$started" --load "$load_at_start" --java "$java_at_start" --runs "$runs" \
    --big-mib "$big_mib" --contaminated "$contaminated" --finished "$(date -u '+%H:%M UTC')" \
    --load-end "$(cut -d' ' -f1-3 /proc/loadavg)" --no-wait "$no_wait"
  log "wrote bench/RESULTS.md"
}

main "$@"
