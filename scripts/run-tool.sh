#!/usr/bin/env bash
# Runs one of the project's TypeScript tools after installing what is missing (npm packages,
# ffmpeg, the mediasoup worker build), e.g. `bash scripts/run-tool.sh load-tests/src/cli/loadTest.ts --local`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
script="$1"
shift
exec node --import tsx "$script" "$@"
