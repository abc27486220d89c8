#!/bin/sh
# Builds mapsafe and runs its checks over the bundled example
# (examples/sessiond), printing the diagnostics; also writes the example's
# map access graph (JSON and DOT) into build/example-graph/.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/build.sh" "$here/build"
graph="$here/build/example-graph"
echo "== mapsafe over examples/sessiond/sessiond.c"
cd "$here"
# shellcheck disable=SC2046
clang-tidy-22 --load="$here/build/checker/frontend/mapsafe.so" \
  --config="{Checks: '-*,mapsafe-*', CheckOptions: {mapsafe.GraphDir: '$graph'}}" \
  "$here/examples/sessiond/sessiond.c" -- $(pkg-config --cflags glib-2.0) -pthread
echo "== map access graph: $graph/examples/sessiond/sessiond.c.mapsafe.json and .dot"
