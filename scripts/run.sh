#!/usr/bin/env bash
# Runs vpnaasd all-in-one on the embedded default (SQLite in ./vpnaas-data, 127.0.0.1:9696).
# Extra arguments go to `vpnaasd all-in-one`, e.g. --bind 0.0.0.0:9696 --data-dir /var/lib/vpnaas.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh run
swift build -c release --product vpnaasd >&2
exec .build/release/vpnaasd all-in-one "$@"
