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
results="$(mktemp)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# One plain closing line that any CI log reader understands.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$results" || true
rm -f "$results"
exit "$status"
