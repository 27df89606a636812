#!/usr/bin/env bash
# The action's first step: is there a Java 17 or later (JAVA_HOME, else PATH)? Writes found=true or
# found=false to GITHUB_OUTPUT; with false, the next step runs actions/setup-java.
set -euo pipefail

java=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
elif command -v java >/dev/null 2>&1; then
  java=$(command -v java)
fi

found=false
if [ -n "$java" ]; then
  # `openjdk version "17.0.15" 2025-04-15` or `java version "1.8.0_392"`
  version=$("$java" -version 2>&1 | sed -n 's/^[^"]*"\([^"]*\)".*/\1/p' | head -n 1)
  major=${version%%[!0-9]*}
  [ "$major" = 1 ] && major=$(echo "$version" | cut -d. -f2)
  if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 17 ]; then
    found=true
    echo "Java $version at $java"
  else
    echo "$java is Java ${version:-of an unknown version}; Fanout needs 17 or later, so it is set up"
  fi
else
  echo "no Java on this runner; Fanout needs 17 or later, so it is set up"
fi
echo "found=$found" >> "$GITHUB_OUTPUT"
