#!/usr/bin/env bash
# `--auth-strategy external` against a REAL Keystone 30 (shared/tools/neutron-peer/keystone-peer.sh): the
# peer's catalog points its network endpoint at our vpnaasd, which validates every X-Auth-Token with the
# peer's `neutron` service user. Checks with the real openstack CLI and curl: tokens accepted, project
# isolation, policy (403), external network visibility, 401 for missing/forged tokens; the dashboard's login,
# pages and logout against the same Keystone (scripts/dashboard_login_check.py).
# Under CI=true a missing prerequisite (shared/, the Keystone venv) is a FAILURE; the Keystone venv is
# installed with setup-peers.sh when missing. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
shared="${VPNAAS_SHARED:-../shared}"
peer="$shared/tools/neutron-peer"
missing() {
  if [ "${CI:-}" = "true" ]; then echo "FAIL: $1 (needed under CI)" >&2; exit 1; fi
  echo "skipping external-Keystone test: $1" >&2; exit 0
}
[ -f "$peer/keystone-peer.sh" ] || missing "$peer/keystone-peer.sh not found (set VPNAAS_SHARED)"
kvenv="${KEYSTONE_PEER_VENV:-/opt/venvs/keystone}"
if [ ! -x "$kvenv/bin/keystone-manage" ] || [ ! -x "$kvenv/bin/uwsgi" ]; then
  echo "installing the Keystone peer venv (setup-peers.sh keystone)..." >&2
  bash "$peer/setup-peers.sh" keystone >&2 || missing "cannot install the Keystone peer (setup-peers.sh keystone failed)"
fi
bin="${VPNAAS_BIN:-.build/debug/vpnaasd}"
[ -x "$bin" ] || { echo "FAIL: $bin not built (swift build)" >&2; exit 1; }
OSC=$(bash scripts/osc-venv.sh "$shared/tools/osc-requirements.txt") || exit 1

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
kport=$(freeport)
nport=$(freeport)
work=$(mktemp -d /tmp/vpnaas-e2e-ext.XXXXXX)
pid=""
kstarted=0
pass=0
fail=0
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  [ "$kstarted" = 1 ] && bash "$peer/keystone-peer-stop.sh" "$kport" >/dev/null 2>&1
  if [ "$fail" != 0 ] && [ -s "$work/server.log" ]; then tail -30 "$work/server.log" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT

KEYSTONE_PEER_NEUTRON_PORT=$nport bash "$peer/keystone-peer.sh" "$kport" >"$work/keystone.out" 2>"$work/keystone.err" \
  || { cat "$work/keystone.err" >&2; echo "FAIL: keystone peer did not start" >&2; exit 1; }
kstarted=1
KURL="http://127.0.0.1:$kport"
URL="http://127.0.0.1:$nport"

VPNAAS_KEYSTONE_USERNAME=neutron VPNAAS_KEYSTONE_PASSWORD=secret VPNAAS_KEYSTONE_PROJECT=service \
  "$bin" all-in-one --data-dir "$work/data" --bind "127.0.0.1:$nport" --auth-strategy external \
  --keystone-url "$KURL/v3" --no-agent >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -sf "$URL/healthcheck" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "$URL/healthcheck" >/dev/null || { cat "$work/server.log" >&2; echo "FAIL: vpnaasd did not become ready" >&2; exit 1; }

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1" >&2; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -10 >&2; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "expected [$2], got [$3]"; fi; }
as() {
  local user=$1 project=$2; shift 2
  env -u OS_CLOUD OS_CLIENT_CONFIG_FILE=/dev/null OS_AUTH_URL="$KURL/v3" OS_USERNAME="$user" OS_PASSWORD=secret \
    OS_PROJECT_NAME="$project" OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_IDENTITY_API_VERSION=3 \
    OS_REGION_NAME=RegionOne "$OSC" "$@"
}
OUT=""
run() {  # DESC USER PROJECT CMD... (exit 0, empty stderr)
  local desc=$1 rc=0; shift
  OUT=$(as "$@" 2>"$work/stderr") || rc=$?
  if [ $rc -ne 0 ] || [ -s "$work/stderr" ]; then bad "$desc (exit $rc)" "$(cat "$work/stderr")"; return 1; fi
  ok "$desc"
}
run_fails() {  # DESC PATTERN USER PROJECT CMD...
  local desc=$1 pattern=$2 rc=0; shift 2
  OUT=$(as "$@" 2>"$work/stderr") || rc=$?
  if [ $rc -eq 0 ]; then bad "$desc (succeeded, should fail)"; return 1; fi
  grep -qE -- "$pattern" <<<"$OUT
$(cat "$work/stderr")" && ok "$desc" || bad "$desc (wrong error)" "$(cat "$work/stderr")"
}

expect "no token: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/v2.0/networks")"
expect "forged token: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Token: gAAAAABforged' "$URL/v2.0/networks")"
demo_project=$(as demo demo token issue -f value -c project_id 2>/dev/null)
[ -n "$demo_project" ] && ok "demo token from the real Keystone" || bad "demo token from the real Keystone"
tok=$(as demo demo token issue -f value -c id 2>/dev/null)
expect "real Keystone token accepted" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $tok" "$URL/v2.0/networks")"
expect "same token again (cached)" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $tok" "$URL/v2.0/routers")"

run "admin: network create provider --external" admin admin network create provider --external -f value -c id && provider=$OUT
run "admin: provider subnet" admin admin subnet create provider-v6 --network provider --subnet-range 2001:db8:0:1::/64 --ip-version 6 -f value -c id
run "demo: network create" demo demo network create demo-net -f json && \
  expect "demo-net owned by demo's project" "$demo_project" "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["project_id"])' <<<"$OUT")"
run "demo: sees provider" demo demo network list -f value -c Name && \
  { grep -qx provider <<<"$OUT" && ok "demo: provider listed" || bad "demo: provider listed" "$OUT"; }
run "demo: provider subnets hidden" demo demo subnet list -f value -c Name && expect "demo: no subnets visible" "" "$OUT"
run_fails "demo: router:external is admin-only (403)" "403|Forbidden" demo demo network set --external demo-net
# The dashboard logs in against the same Keystone (the user's own password and token; logout revokes it there).
while IFS= read -r line; do
  case "$line" in ok*) ok "${line#ok   }" ;; FAIL*) bad "${line#FAIL }" ;; esac
done < <(python3 scripts/dashboard_login_check.py "$URL" demo secret demo demo-net 2>&1 || echo "FAIL dashboard login check crashed")
run "demo: vpn ike policy create" demo demo vpn ike policy create demo-ike --ike-version v2 -f value -c "IKE Version" && expect "demo ike: v2" v2 "$OUT"
run_fails "alt_demo: demo's network is not found" "No Network found for demo-net" alt_demo alt_demo network show demo-net
run_fails "alt_demo: demo's ike policy is not found" "No VpnIkePolicy found for demo-ike" alt_demo alt_demo vpn ike policy show demo-ike
run "alt_demo: own list is empty" alt_demo alt_demo vpn ike policy list -f value -c ID && expect "alt_demo: no ike policies" "" "$OUT"
run "admin: sees demo's ike policy" admin admin vpn ike policy list -f value -c Name && expect "admin: demo-ike visible" "demo-ike" "$OUT"
run "demo: vpn ike policy delete" demo demo vpn ike policy delete demo-ike
run "demo: network delete" demo demo network delete demo-net
# Validations are cached until expiry (bounded): with Keystone gone, a token seen before still works,
# while an unseen one cannot be checked and answers 503, never a false 200.
# Seen just before the stop, so its cache entry is fresh however long the steps above took (a loaded machine).
expect "token accepted while Keystone runs" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $tok" "$URL/v2.0/networks")"
bash "$peer/keystone-peer-stop.sh" "$kport" >/dev/null 2>&1 && kstarted=0
expect "Keystone stopped: cached token still accepted" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $tok" "$URL/v2.0/networks")"
expect "Keystone stopped: unseen token is 503" 503 "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Token: gAAAAABunseen' "$URL/v2.0/networks")"
if grep -q "secret" "$work/server.log"; then bad "service password absent from the log"; else ok "service password absent from the log"; fi

echo "external Keystone: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
