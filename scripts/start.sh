#!/usr/bin/env bash
# npm start: install what is missing, build the web client, run one node with a demo lecture.
set -euo pipefail
cd "$(dirname "$0")/.."
# `npm start -- --turn` also installs coturn.
turn_flag=()
for arg in "$@"; do [ "$arg" = --turn ] && turn_flag=(--turn); done
source scripts/setup.sh "${turn_flag[@]}"
npx vite build web-client --logLevel warn
exec node --import tsx signaling/src/main.ts --demo "$@"
