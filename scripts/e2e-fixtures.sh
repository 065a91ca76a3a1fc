#!/usr/bin/env bash
# Starts the real vpnaasd on a fresh data dir and a free loopback port, replays the 94 recorded Neutron
# requests with shared/tools/neutron-peer/neutron-fixtures.py and compares status, error type and key sets
# (fixtures-compare.py). Fails on any difference in the steps this build serves.
# VPNAAS_E2E_DATABASE: a --database URL for the server (scripts/pg-api.sh replays on PostgreSQL with it).
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${VPNAAS_SHARED:-../shared}"
if [ ! -f "$shared/tools/neutron-peer/neutron-fixtures.py" ]; then
  if [ "${CI:-}" = "true" ]; then echo "FAIL: $shared/tools/neutron-peer not found (needed under CI)" >&2; exit 1; fi
  echo "skipping fixture replay: $shared/tools/neutron-peer not found (set VPNAAS_SHARED)" >&2
  exit 0
fi
# All 94 steps; --deviations expects our documented fixes for 32-34 and 56.
seqs="${VPNAAS_FIXTURE_SEQS:-1-94}"

work=$(mktemp -d /tmp/vpnaas-e2e.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
database=()
[ -n "${VPNAAS_E2E_DATABASE:-}" ] && database=(--database "$VPNAAS_E2E_DATABASE")
.build/debug/vpnaasd all-in-one --data-dir "$work/data" "${database[@]}" --bind "127.0.0.1:$port" --auth-strategy noauth --no-agent >"$work/server.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null || { cat "$work/server.log" >&2; echo "FAIL: vpnaasd did not become ready" >&2; exit 1; }

python3 "$shared/tools/neutron-peer/neutron-fixtures.py" --url "http://127.0.0.1:$port" --out "$work/replay" --clean >"$work/replay.log"
status=0
python3 "$shared/tools/neutron-peer/fixtures-compare.py" "$shared/reference/neutron-fixtures" "$work/replay" --seqs "$seqs" --deviations || status=$?
# The server must never have answered 5xx to any of the 94 requests, served or not.
if grep -E '^[0-9]+ +[a-z]+ +[^ ]+ +[A-Z]+ +5[0-9][0-9] ' "$work/replay.log"; then
  echo "FAIL: 5xx answers during replay" >&2; status=1
fi
if grep -qiE 'secret' "$work/server.log"; then echo "FAIL: a secret reached the server log" >&2; status=1; fi
[ $status -eq 0 ] && echo "fixture replay: 1 passed, 0 failed" || echo "fixture replay: 0 passed, 1 failed"
exit $status
