#!/usr/bin/env bash
# The API tests and the fixture replay on PostgreSQL (the server in VPNAAS_TEST_PG_URL, which scripts/test.sh
# starts with scripts/pg-cluster.sh), on an existing `swift build --build-tests`. Each API test app gets its
# own scratch database; the replay runs vpnaasd with --database on a fresh database, dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VPNAAS_TEST_PG_URL:-}" ]; then
  if [ "${CI:-}" = "true" ]; then echo "FAIL: VPNAAS_TEST_PG_URL is not set (needed under CI)" >&2; exit 1; fi
  echo "skipping pg-api: VPNAAS_TEST_PG_URL is not set (bash scripts/pg-cluster.sh start DIR prints one)" >&2
  exit 0
fi
log=$(mktemp /tmp/vpnaas-pg-api.XXXXXX)
db="vpnaas_fixtures_$$"
base="${VPNAAS_TEST_PG_URL%%\?*}"
query=""; [ "$base" != "$VPNAAS_TEST_PG_URL" ] && query="?${VPNAAS_TEST_PG_URL#*\?}"
cleanup() {
  rm -f "$log"
  psql -q "$VPNAAS_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

VPNAAS_TEST_API_DATABASE=postgres swift test --skip-build --filter VPNaaSAPITests 2>&1 | tee "$log"
grep -qE "Test run with [0-9]+ tests? .*passed" "$log"

psql -q -v ON_ERROR_STOP=1 "$VPNAAS_TEST_PG_URL" -c "CREATE DATABASE $db" >/dev/null
VPNAAS_E2E_DATABASE="${base%/*}/$db$query" bash scripts/e2e-fixtures.sh
