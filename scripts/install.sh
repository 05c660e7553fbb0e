#!/usr/bin/env bash
# Installs everything the project needs and is quick when nothing changed: Debian packages
# (ffmpeg, chromium, redis-server, ...), npm packages (skipped while the lock files are unchanged) and the example audio.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
# Debian's Chromium drives the editor's browser tests (playwright-core never downloads a browser).
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
# The queue tests (sa3 serve --redis, sa3 worker) start their own redis-server; the service itself is not used.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# better-sqlite3 (the run store's index) compiles from source where no prebuilt binary can be fetched.
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 || missing+=(make g++ python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "sa3: please install ${missing[*]} (apt-get install ${missing[*]}); this script needs root to do it" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp=node_modules/.sa3-install-stamp
wanted=$(cat package-lock.json package.json packages/*/package.json test/package.json | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "installing npm packages"
  # npm install (not ci): npm 11 leaves other platforms' optional packages out of the lock file and
  # then refuses npm ci. onnxruntime-node's own install step downloads CUDA libraries; its CPU build ships in the package.
  # node-gyp builds against the installed Node's own headers, so nothing is downloaded for them.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ]; then export npm_config_nodedir=/usr; fi
  ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}" npm install --no-audit --no-fund --loglevel=error
  cat package-lock.json package.json packages/*/package.json test/package.json | sha256sum | cut -d' ' -f1 > "$stamp"
fi

bash scripts/make-example-audio.sh
