#!/usr/bin/env bash
# npm start: install what is missing, build the web client, run one node with a demo lecture.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
npx vite build web-client --logLevel warn
exec node --import tsx signaling/src/main.ts --demo "$@"
