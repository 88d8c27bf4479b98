#!/usr/bin/env bash
# The one test command: set-up, lint, format check, type check, every test (unit, integration, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== lint" && npx eslint . && npx prettier --check . >/dev/null
echo "== typecheck" && npx tsc -p tsconfig.json --noEmit
echo "== tests" && npx vitest run "$@"
