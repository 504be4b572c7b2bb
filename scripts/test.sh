#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest. Installs what a fresh machine lacks.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
[ -d node_modules ] || npm install --no-audit --no-fund
bash scripts/ensure-chromium.sh
echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint .
echo "== vitest"; npx vitest run
echo "== playwright"; npx playwright test
