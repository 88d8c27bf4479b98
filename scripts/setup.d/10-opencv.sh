#!/usr/bin/env bash
# Builds @u4/opencv4nodejs against Debian's libopencv-dev (~7 min on 2 cores), once.
set -euo pipefail
cd "$(dirname "$0")/../.."
pkg=node_modules/@u4/opencv4nodejs
if [ -d "$pkg" ] && ! ls "$pkg"/build/Release/opencv4nodejs.node >/dev/null 2>&1; then
  echo "[setup] building @u4/opencv4nodejs against the system OpenCV (several minutes, once)" >&2
  # node-gyp must build against the local Node headers: nothing may be downloaded here.
  [ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
  (cd "$pkg" && node bin/install.js --incDir /usr/include/opencv4/ --libDir /usr/lib/x86_64-linux-gnu/ \
    --binDir=/usr/bin/ --nobuild rebuild >/tmp/eid-kiosk-opencv-build.log 2>&1) || {
    echo "[setup] opencv4nodejs build failed; see /tmp/eid-kiosk-opencv-build.log" >&2
    exit 1
  }
  ls "$pkg"/build/Release/opencv4nodejs.node >/dev/null 2>&1 || {
    echo "[setup] opencv4nodejs build produced no binding; see /tmp/eid-kiosk-opencv-build.log" >&2
    exit 1
  }
fi
