#!/usr/bin/env bash
# Installs what is missing, idempotently: Debian packages (when root or sudo is available, else prints the
# exact command), npm packages, native builds, models. Each area adds its own step in scripts/setup.d/.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

# ---- Debian packages -------------------------------------------------------------------------------
APT_PACKAGES=(chromium socat libopencv-dev libusb-1.0-0-dev libudev-dev udev fonts-noto-cjk gcc g++ make python3)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO=none; fi
  if [ "$SUDO" = none ]; then
    say "missing Debian packages: ${missing[*]}"
    say "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ---- npm packages ----------------------------------------------------------------------------------
stamp=node_modules/.eid-kiosk-install-stamp
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  # `npm install`, not `npm ci`: the registry here lacks other platforms' optional packages (e.g.
  # @rollup/rollup-darwin-x64), which the lock file names and `npm ci` then insists on. `npm install`
  # follows the lock for everything that exists and skips absent optional packages.
  say "installing npm packages (npm install, following package-lock.json)"
  npm install --no-audit --no-fund 2>&1 | grep -vE 'Unknown (user|project) config|EBADENGINE' >&2 || true
  [ -d node_modules/better-sqlite3 ] && [ -d node_modules/vitest ] || { say "npm install failed"; exit 1; }
  touch "$stamp"
fi

# ---- per-area steps (native builds, models, ...) ----------------------------------------------------
for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
