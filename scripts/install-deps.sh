#!/bin/sh
# Installs the Debian packages mapsafe needs, by what they are for:
#
#   build   the compiler, LLVM/Clang 22, jansson, GLib (the bundled example)
#   test    build, plus LLVM's lit and FileCheck, OpenMP and the map, thread
#           and lock libraries the tests use with their real headers, and
#           python3-jsonschema with python3-rfc3987 (mapsafe-sarif's output
#           checked against the SARIF schema, URIs included)
#   bench   build, plus Python 3 (bench/real.py installs what each real
#           project needs itself, after the same check)
#
# Usage: scripts/install-deps.sh [build|test|bench ...]   (default: build test)
#
# Packages already present are skipped; nothing runs when all are there.
# Nothing the machine has is ever removed: the install is simulated first,
# and if apt would remove any package this stops and says which.  khash's
# header comes from libhts-dev, which conflicts with libcurl4-openssl-dev:
# unless libhts-dev is installed already, its headers are unpacked from the
# downloaded package into .deps/include of this checkout, not installed.
# The same holds for OpenMP's headers: libomp-22-dev conflicts with an older
# libomp-dev; where that one is installed, omp.h and its companions are
# unpacked into .deps/include instead (the tests only parse OpenMP code).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)

BUILD="cmake ninja-build make g++ pkg-config
clang-22 clang-tidy-22 clangd-22 libclang-22-dev llvm-22-dev
libjansson-dev libglib2.0-dev"
TEST="llvm-22-tools libomp-22-dev python3 python3-jsonschema python3-rfc3987
uthash-dev libstb-dev libapr1-dev libfuse3-dev libmicrohttpd-dev libuv1-dev"
BENCH="python3"

sets=${*:-build test}
wanted=""
khash=0
for s in $sets; do
  case "$s" in
    build) wanted="$wanted $BUILD" ;;
    test) wanted="$wanted $BUILD $TEST"; khash=1 ;;
    bench) wanted="$wanted $BUILD $BENCH" ;;
    *) echo "install-deps: unknown set '$s' (expected build, test or bench)" >&2; exit 2 ;;
  esac
done

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $wanted; do
  case " $missing " in *" $p "*) continue ;; esac
  installed "$p" || missing="$missing $p"
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
updated=0
update() {
  [ $updated -eq 1 ] && return 0
  $SUDO apt-get update -qq
  updated=1
}

# Unpacks the headers of package $1 found under $2 inside it into
# .deps/include/$3 of this checkout.
unpack_headers() {
  update
  tmp=$(mktemp -d)
  chmod 755 "$tmp" && chown _apt "$tmp" 2>/dev/null || true # apt downloads as _apt
  (cd "$tmp" && apt-get download -qq "$1" >/dev/null)
  dpkg-deb -x "$tmp"/"$1"_*.deb "$tmp/root"
  mkdir -p "$here/.deps/include/$3"
  cp -r "$tmp/root/$2"/. "$here/.deps/include/$3"
  rm -rf "$tmp"
}

omp=libomp-22-dev
case " $missing " in
  *" $omp "*)
    if [ -f "$here/.deps/include/omp.h" ]; then
      unpacked=1
    else
      update
      unpacked=0
      if apt-get -s install -y --no-install-recommends $omp 2>/dev/null | grep -q '^Remv '; then
        echo "install-deps: $omp would replace the installed libomp-dev: unpacking its headers into .deps/include (not installed)"
        unpack_headers $omp usr/lib/llvm-22/lib/clang/22/include .
        unpacked=1
      fi
    fi
    if [ $unpacked -eq 1 ]; then
      missing=$(echo " $missing " | sed "s/ $omp / /; s/^ *//; s/ *\$//")
      [ -n "$missing" ] && missing=" $missing"
    fi ;;
esac

if [ -n "$missing" ]; then
  echo "install-deps: installing$missing"
  update
  # shellcheck disable=SC2086
  if ! sim=$(apt-get -s install -y --no-install-recommends $missing 2>&1); then
    echo "$sim" | tail -20 >&2
    echo "install-deps: apt cannot install$missing (see above); nothing was changed" >&2
    exit 1
  fi
  removed=$(echo "$sim" | sed -n 's/^Remv \([^ ]*\).*/\1/p' | tr '\n' ' ')
  if [ -n "$removed" ]; then
    echo "install-deps: installing$missing would remove: $removed" >&2
    echo "install-deps: stopped; nothing was changed (install them yourself if you accept that)" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
else
  echo "install-deps: all packages present ($sets)"
fi

# khash.h (with the htslib headers it includes), without installing libhts-dev.
if [ $khash -eq 1 ] && ! installed libhts-dev && [ ! -f "$here/.deps/include/htslib/khash.h" ]; then
  echo "install-deps: unpacking khash.h from libhts-dev into .deps/include (not installed)"
  rm -rf "$here/.deps/include/htslib"
  unpack_headers libhts-dev usr/include/htslib htslib
fi
