#!/usr/bin/env bash
# The one test command: set-up, lint, format check, type check, every test (unit, integration, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== lint"
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }
echo "== typecheck"
npx tsc -p tsconfig.json --noEmit
echo "== tests"
report=$(mktemp -t eid-kiosk-vitest-XXXXXX.json)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain closing line that any CI reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$report" || true
rm -f "$report"
exit "$status"
