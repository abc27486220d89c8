#!/bin/sh
# Builds mapsafe and runs every test (lit + FileCheck over test/, including
# the engine's unit tests).  Usage: scripts/run-tests.sh [BUILD_DIR] [cmake options...]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
[ $# -gt 0 ] && shift
MAPSAFE_DEPS="build test" "$here/scripts/build.sh" "$build" "$@"
lit-22 -sv "$build/test"
