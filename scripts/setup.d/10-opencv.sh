#!/usr/bin/env bash
# Builds @u4/opencv4nodejs against Debian's libopencv-dev (~7 min on 2 cores), once.
#
# The package's own `bin/install.js ... rebuild` spawns node-gyp in cjs/ with `-f binding_old.gyp`, a file
# that lives in the package root and calls a helper (install/parseEnv.js) that is not shipped — it cannot
# work. The root binding.gyp asks `node ./bin/install.js OPENCV4NODEJS_{DEFINES,INCLUDES,LIBRARIES}` for
# its flags, which answers correctly from the OPENCV_* variables below, so we run node-gyp ourselves in the
# package root against the local Node headers (nothing is downloaded).
set -euo pipefail
cd "$(dirname "$0")/../.."
pkg=node_modules/@u4/opencv4nodejs
binding="$pkg/build/Release/opencv4nodejs.node"
log=/tmp/eid-kiosk-opencv-build.log

loads() { node -e "require('@u4/opencv4nodejs')" >/dev/null 2>&1; }

[ -d "$pkg" ] || { echo "[setup] $pkg is not installed (npm packages first)" >&2; exit 1; }
if [ -f "$binding" ] && loads; then exit 0; fi

echo "[setup] building @u4/opencv4nodejs against the system OpenCV (several minutes, once; log: $log)" >&2
export OPENCV4NODEJS_DISABLE_AUTOBUILD=1
export OPENCV_INCLUDE_DIR=/usr/include/opencv4
export OPENCV_LIB_DIR="/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"
export OPENCV_BIN_DIR=/usr/bin
[ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
gyp=node_modules/.bin/node-gyp
[ -x "$gyp" ] || gyp=node_modules/@u4/opencv4nodejs/node_modules/.bin/node-gyp
[ -x "$gyp" ] || { echo "[setup] node-gyp not found in node_modules" >&2; exit 1; }
gyp="$(cd "$(dirname "$gyp")" && pwd)/$(basename "$gyp")"
jobs="${EID_KIOSK_BUILD_JOBS:-$(nproc)}"
(cd "$pkg" && "$gyp" rebuild --release --jobs "$jobs" >"$log" 2>&1) || {
  echo "[setup] opencv4nodejs build failed; see $log" >&2
  tail -20 "$log" >&2
  exit 1
}
loads || {
  echo "[setup] opencv4nodejs built but does not load:" >&2
  node -e "require('@u4/opencv4nodejs')" 2>&1 | tail -5 >&2
  exit 1
}
echo "[setup] @u4/opencv4nodejs built and loads" >&2
