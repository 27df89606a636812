#!/bin/sh
# The app the release packages: it only says hello.
echo "hello from the release"
