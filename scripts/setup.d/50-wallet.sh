#!/usr/bin/env bash
# Wallet tests make throw-away X.509 certificates (verifier and issuer CA) with the openssl command line.
# Debian ships it with ca-certificates; install it if a minimal image lacks it. Fast when present.
set -euo pipefail
command -v openssl >/dev/null 2>&1 && exit 0
echo "[setup] installing openssl (wallet tests)" >&2
if [ "$(id -u)" = 0 ]; then
  apt-get install -y -q openssl >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q openssl >/dev/null; }
else
  echo "[setup] openssl missing and not root: install the Debian package 'openssl'" >&2
  exit 1
fi
