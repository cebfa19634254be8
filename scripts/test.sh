#!/usr/bin/env bash
# npm test: install what is missing, type-check, build the web client, run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --tests
echo "[test] type-check" >&2
npx tsc -p tsconfig.json --noEmit
echo "[test] build web client" >&2
npx vite build web-client --logLevel warn
echo "[test] vitest" >&2
npx vitest run "$@"
