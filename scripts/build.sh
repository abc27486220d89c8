#!/bin/sh
# Configures and builds mapsafe.  Usage: scripts/build.sh [BUILD_DIR] [cmake options...]
# Installs the missing Debian packages for building first
# (scripts/install-deps.sh build; MAPSAFE_DEPS names other sets).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
[ $# -gt 0 ] && shift
# shellcheck disable=SC2086
"$here/scripts/install-deps.sh" ${MAPSAFE_DEPS:-build}
cmake -S "$here" -B "$build" -G Ninja \
  -DClang_DIR=/usr/lib/llvm-22/lib/cmake/clang \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ "$@" >/dev/null
cmake --build "$build"
