#!/usr/bin/env bash
# The action's install step: Fanout's application archive, dev.fanout:fanout-cli:VERSION:tar.gz,
# from a Maven repository (Maven Central unless told otherwise), unpacked into the runner's tool
# cache, kept there for later jobs on a self-hosted runner. Writes home=<the unpacked folder> to
# GITHUB_OUTPUT and puts its bin/ on the PATH of the job's later steps.
#
# INPUT_VERSION: a released version (a -SNAPSHOT only from a repository holding plain file names,
# such as a local one: file://$HOME/.m2/repository). INPUT_MAVEN_REPOSITORY: http(s):// or file://.
set -euo pipefail

fail() {
  echo "::error title=Fanout::$*"
  exit 2
}

version=${INPUT_VERSION:-}
repository=${INPUT_MAVEN_REPOSITORY%/}
[[ "$version" =~ ^[0-9A-Za-z][0-9A-Za-z._-]*$ ]] || fail "version: '$version' is not a version, such as 0.1.0"
[[ "$repository" =~ ^(https?|file):// ]] || fail "maven-repository: '$repository' is not an http(s):// or file:// URL"

temporary=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
cache=${RUNNER_TOOL_CACHE:-$temporary}/fanout/$version
home=$cache/fanout-$version
url=$repository/dev/fanout/fanout-cli/$version/fanout-cli-$version.tar.gz

# A release never changes, so an unpacked one is used again; a snapshot is fetched every time.
if [[ "$version" == *-SNAPSHOT ]] || [ ! -x "$home/bin/fanout" ]; then
  echo "Downloading $url"
  download=$(mktemp -d "$temporary/fanout-download.XXXXXX")
  curl --fail --silent --show-error --location --retry 3 --output "$download/fanout.tar.gz" "$url" \
    || fail "cannot download Fanout $version from $url"
  tar -xzf "$download/fanout.tar.gz" -C "$download"
  [ -x "$download/fanout-$version/bin/fanout" ] || fail "$url holds no fanout-$version/bin/fanout"
  mkdir -p "$cache"
  rm -rf "$home"
  mv "$download/fanout-$version" "$home"
  rm -rf "$download"
fi
echo "Fanout $version in $home"
echo "home=$home" >> "$GITHUB_OUTPUT"
echo "$home/bin" >> "${GITHUB_PATH:-/dev/null}"
