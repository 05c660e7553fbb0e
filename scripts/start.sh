#!/usr/bin/env bash
# The main job. Until the editor and server land, it builds the runtime and runs every example
# workflow headlessly into ./out, which is what the project can do today.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --outputStyle=static >/dev/null
for workflow in examples/*.json; do
  echo "== sa3 run $workflow"
  node packages/runtime/dist/cli/main.js run "$workflow" --out out
done
echo
echo "Outputs are in ./out. Try: node packages/runtime/dist/cli/main.js --help"
