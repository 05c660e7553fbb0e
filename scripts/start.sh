#!/usr/bin/env bash
# The main job: install, build, and start the server on http://127.0.0.1:7860 (the Cog
# predictions API, the workflow API and, as it lands, the editor). Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --outputStyle=static >/dev/null
sa3="node packages/runtime/dist/cli/main.js"
installed=$($sa3 models list --json | node -e 'let t="";process.stdin.on("data",c=>t+=c).on("end",()=>console.log(JSON.parse(t).installed.length))')
if [ "$installed" = "0" ]; then
  echo "No model pack is installed yet: predictions need one."
  echo "  pull one:          $sa3 models pull small-music   (needs internet and, for gated repos, HF_TOKEN)"
  echo "  or try offline:    $sa3 models testpack --id small-music   (synthetic tones, not a real model)"
fi
exec $sa3 serve "$@"
