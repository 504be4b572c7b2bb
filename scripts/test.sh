#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest. Installs what a fresh machine lacks.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
[ -d node_modules ] || npm install --no-audit --no-fund
bash scripts/ensure-chromium.sh
bash scripts/ensure-postgres.sh
mkdir -p test-results
echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint .
# The suites run against SQLite and Postgres: pg_virtualenv gives them a throwaway cluster (PGHOST,
# PGPORT, PGUSER, PGPASSWORD), removed when they end. WASHBOARD_TEST_POSTGRES names another server.
pg() { if [ -n "${WASHBOARD_TEST_POSTGRES:-}" ]; then "$@"; else pg_virtualenv -o fsync=off -o max_connections=300 "$@"; fi; }
echo "== vitest"; pg npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
echo "== playwright"; PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json pg npx playwright test --reporter=list,json
# One closing line for both runners: "N passed, N failed".
node -e '
const fs = require("fs");
const v = JSON.parse(fs.readFileSync("test-results/vitest.json", "utf8"));
const p = JSON.parse(fs.readFileSync("test-results/playwright.json", "utf8")).stats;
const passed = v.numPassedTests + p.expected;
const failed = v.numFailedTests + p.unexpected + p.flaky;
const skipped = v.numPendingTests + v.numTodoTests + p.skipped;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
'
