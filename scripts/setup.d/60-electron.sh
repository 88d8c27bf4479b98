#!/usr/bin/env bash
# Electron is optional. Its package is installed with its install script denied (package.json allowScripts),
# so its types are always there for the type check; its binary is downloaded here, from outside the npm
# registry, where the network allows it. Where it does not (this project's CI), `npm start` opens Debian's
# Chromium in app/kiosk mode instead. Never fatal; bounded in time; tried once per install.
set -uo pipefail
cd "$(dirname "$0")/../.."
pkg=node_modules/electron
[ -d "$pkg" ] || exit 0
[ -f "$pkg/path.txt" ] && exit 0
stamp=node_modules/.eid-kiosk-electron-tried
[ -f "$stamp" ] && exit 0
touch "$stamp"
echo "[setup] trying to download Electron's binary (optional; Chromium is the fallback)" >&2
if timeout 120 node "$pkg/install.js" >/tmp/eid-kiosk-electron-install.log 2>&1; then
  echo "[setup] Electron installed" >&2
else
  echo "[setup] Electron's binary is not reachable here; npm start will use Chromium" >&2
fi
exit 0
