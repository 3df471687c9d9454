#!/usr/bin/env bash
# The Node tools bench/portal.py uses (bench/node/package.json: Node 22, PostGraphile 5 and
# autocannon), installed by scripts/_node.sh into .cache/bench-node: the same install, cached
# per lock file; prints the node binary, exits 3 when npm cannot be reached.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$root/scripts/_node.sh" "$root/bench/node" bench-node
