# Sourced by the .ci end-to-end scripts: local registries on free loopback ports.
# Expects $work (a scratch folder), the array pids (processes to stop on exit) and a fail function.

# start_registry NAME [USER PASSWORD]: a docker-registry on a free loopback port, with htpasswd
# when a user is given; its host:port in $registry.
start_registry() {
  local name=$1 user=${2:-} password=${3:-}
  local dir=$work/$name
  mkdir -p "$dir/data"
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: info"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $dir/data"
    echo "http:"
    echo "  addr: 127.0.0.1:0"
    echo "  secret: ci-end-to-end-not-secret"
  } > "$dir/config.yml"
  if [ -n "$user" ]; then
    htpasswd -Bbn "$user" "$password" > "$dir/htpasswd"
    {
      echo "auth:"
      echo "  htpasswd:"
      echo "    realm: $name"
      echo "    path: $dir/htpasswd"
    } >> "$dir/config.yml"
  fi
  docker-registry serve "$dir/config.yml" > "$dir.registry.log" 2>&1 &
  pids+=($!)
  registry=""
  for _ in $(seq 100); do
    registry=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$dir.registry.log" | head -1 | sed 's/listening on //') || true
    [ -n "$registry" ] && return 0
    sleep 0.1
  done
  fail "registry $name did not start"
}

# skopeo_digest REFERENCE [USER PASSWORD]: the digest skopeo reads, independently of Fanout.
skopeo_digest() {
  local creds=(--no-creds)
  [ -n "${2:-}" ] && creds=(--creds "$2:$3")
  skopeo inspect --tls-verify=false "${creds[@]}" --format '{{.Digest}}' "docker://$1"
}
