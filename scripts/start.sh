#!/usr/bin/env bash
# Starts the kiosk in demo mode: Electron when its binary is installed, else Debian's Chromium app window.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npx tsx kiosk/main/start.ts --demo "$@"
