#!/usr/bin/env bash
# One timed run of one benchmark scenario; bench/run.sh calls it under /usr/bin/time with fresh
# registries. usage: scenario.sh NAME HOST... (HOST = 127.0.0.1:PORT of a registry started for
# this run). Reads BENCH_ROOT, BENCH_WORK, RUN_TMP, FANOUT_USERNAME and FANOUT_PASSWORD.
set -euo pipefail

name=$1
shift
hosts=("$@")
image=$BENCH_WORK/image
layers=(--layer "$image/layers/random" --layer "$image/layers/text" --layer "$image/layers/small")
cli_jar=$BENCH_ROOT/cli/target/fanout-cli.jar
launcher=$BENCH_ROOT/cli/fanout
references=()
for host in "${hosts[@]}"; do references+=("$host/bench/app:1"); done

# Fanout as the README says to run it: cli/fanout, a fresh JVM with default flags and the
# class-data archive the launcher recorded on its first run (the warm-up), its own throw-away
# layer cache.
fanout() {
  exec "$launcher" --plain-http "${layers[@]}" "${references[@]}"
}

# The re-run: Fanout keeps its compressed layers in a layer cache between the untimed first push
# and the timed second one, as a CI cache or a developer's machine would, so it must compress
# nothing and upload nothing.
rerun() {
  exec "$launcher" --plain-http --layer-cache "$RUN_TMP/layer-cache" "${layers[@]}" "${references[@]}"
}

# The same launcher on a JDK 25 or later (BENCH_AOT_JAVA_HOME), where it keeps an AOT cache
# (JEP 483/515: classes loaded and linked, method profiles) instead of the class-data archive.
fanoutaot() {
  JAVA_HOME=$BENCH_AOT_JAVA_HOME exec "$launcher" --plain-http "${layers[@]}" "${references[@]}"
}

# The same with plain `java -jar`, without the class-data archive: what the archive is worth.
fanoutjar() {
  exec java -jar "$cli_jar" --plain-http "${layers[@]}" "${references[@]}"
}

# jib-core the obvious way: one JVM, containerize once per target, one after another. Jib's
# application-layer cache lives under java.io.tmpdir, fresh per run (a CI runner starts cold).
jibcore() {
  exec java -DsendCredentialsOverHttp=true -Djava.io.tmpdir="$RUN_TMP" \
    -cp "$BENCH_WORK/classes:$BENCH_ROOT/cli/target/lib/*" \
    JibObvious "$image/layers/random" "$image/layers/text" "$image/layers/small" -- "${references[@]}"
}

# mvn compile jib:build (Jib's documented command) once per registry, each a fresh Maven with a cold layer cache, as in one CI job per
# registry. (Not offline: jib-maven-plugin refuses to push in offline mode.)
mvnjib() {
  local index=0 reference
  for reference in "${references[@]}"; do
    index=$((index + 1))
    mvn -B -q -f "$BENCH_ROOT/bench/jib-maven/pom.xml" compile jib:build \
      -Dbench.image="$reference" -Dbench.layers="$image/layers" -DsendCredentialsOverHttp=true \
      -Djib.applicationCache="$RUN_TMP/jib-cache-$index" -Djib.console=plain
  done
}

# skopeo copying a `docker save` tarball (uncompressed layers) to each registry in turn.
skopeocopy() {
  for reference in "${references[@]}"; do
    skopeo copy -q --dest-tls-verify=false --dest-creds "$FANOUT_USERNAME:$FANOUT_PASSWORD" \
      "docker-archive:$image/docker-save.tar" "docker://$reference"
  done
}

# The floor: every layer tarball gzip -6'd once, in parallel (-n: no name or time in the header,
# so the digests repeat), with its digests; then one parallel
# raw upload (POST + monolithic PUT) of every blob to every registry, then the manifests.
# `floor pigz` compresses with pigz -6 on 2 threads per layer instead, the layers still in parallel.
floor() {
  local out=$RUN_TMP/floor layer host compress=(gzip -6 -n -c)
  [ "${1:-gzip}" = pigz ] && compress=(pigz -6 -n -p 2 -c)
  mkdir -p "$out"
  for layer in random text small; do
    ("${compress[@]}" "$image/tars/$layer.tar" >"$out/$layer.gz" \
      && sha256sum "$out/$layer.gz" | cut -d' ' -f1 >"$out/$layer.digest") &
    (sha256sum "$image/tars/$layer.tar" | cut -d' ' -f1 >"$out/$layer.diffid") &
  done
  wait
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s","sha256:%s"]}}' \
    "$(<"$out/random.diffid")" "$(<"$out/text.diffid")" "$(<"$out/small.diffid")" >"$out/config"
  sha256sum "$out/config" | cut -d' ' -f1 >"$out/config.digest"
  for host in "${hosts[@]}"; do
    for layer in random text small config; do
      upload "$host" "$out/$layer$([ "$layer" = config ] || echo .gz)" "$(<"$out/$layer.digest")" &
    done
  done
  wait
  local manifest
  manifest=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,"digest":"sha256:%s"},"layers":[%s]}' \
    "$(stat -c %s "$out/config")" "$(<"$out/config.digest")" \
    "$(for layer in random text small; do
         printf '{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%d,"digest":"sha256:%s"}' \
           "$(stat -c %s "$out/$layer.gz")" "$(<"$out/$layer.digest")"
       done | sed 's/}{/},{/g')")
  for host in "${hosts[@]}"; do
    curl -sf -u "$FANOUT_USERNAME:$FANOUT_PASSWORD" -X PUT \
      -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
      --data-binary "$manifest" "http://$host/v2/bench/app/manifests/1" -o /dev/null &
  done
  wait
}

upload() {
  local host=$1 file=$2 digest=$3 location
  location=$(curl -sf -u "$FANOUT_USERNAME:$FANOUT_PASSWORD" -X POST -D - -o /dev/null \
    "http://$host/v2/bench/app/blobs/uploads/" | tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
  [[ $location == /* ]] && location="http://$host$location"
  curl -sf -u "$FANOUT_USERNAME:$FANOUT_PASSWORD" -X PUT -H 'Expect:' \
    -H 'Content-Type: application/octet-stream' -T "$file" "$location&digest=sha256:$digest" -o /dev/null
}

# Fanout with one 1 GiB layer, in a 256 MiB heap.
big() {
  JAVA_OPTS=-Xmx256m exec "$launcher" --plain-http --layer "$image/big" "${references[@]}"
}

case $name in
  fanout) fanout ;;
  rerun) rerun ;;
  fanoutaot) fanoutaot ;;
  fanoutjar) fanoutjar ;;
  jibcore) jibcore ;;
  mvnjib) mvnjib ;;
  skopeo) skopeocopy ;;
  floor) floor ;;
  pigzfloor) floor pigz ;;
  big) big ;;
  *) echo "unknown scenario $name" >&2; exit 2 ;;
esac
