#!/bin/sh
# Installs the Debian packages mapsafe needs to build, test and benchmark.
# Idempotent: packages already present are skipped; nothing runs when all are there.
set -eu

PACKAGES="cmake ninja-build make g++ pkg-config
clang-22 clang-tidy-22 clangd-22 libclang-22-dev llvm-22-dev llvm-22-tools libomp-22-dev
libjansson-dev libglib2.0-dev uthash-dev libstb-dev libhts-dev libapr1-dev libfuse3-dev libmicrohttpd-dev libuv1-dev
python3 python3-psutil graphviz"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
