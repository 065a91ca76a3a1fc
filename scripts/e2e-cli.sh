#!/usr/bin/env bash
# End-to-end test with the real `openstack` CLI (python-openstackclient pinned by
# ../shared/tools/osc-requirements.txt) against a freshly started `vpnaasd all-in-one` in keystone mode:
#   - as the bootstrap admin (clouds.yaml written by vpnaasd): projects, users, roles, the provider network;
#   - as tenant "left" (OS_AUTH_URL ending in /v3) and "right" (OS_AUTH_URL without a version): every
#     command of the seed walkthrough, show/list/set/delete of each VPN resource, expected failures
#     (in use, not found, another project's object, policy), and a full teardown.
# Outputs are checked field by field (-f json / -f value -c). Successful commands must leave stderr empty
# (no discovery warnings). Prints "N passed, N failed" at the end; exits 1 if anything failed.
#
# Env knobs:
#   E2E_CLI_AGENT=0      skip ONLY the `vpn service set` / `vpn ipsec site connection set` steps, which need
#                        the agent to move statuses out of PENDING_* (default 1: run them, waiting <= 30 s).
#   E2E_CLI_NO_AGENT=1   start vpnaasd with --no-agent (default: without, as the server runs in production).
#   VPNAAS_OSC_VENV=DIR  where the CLI venv is cached (default /var/cache/vpnaas/osc-<hash>, or
#                        .build/osc-venv-<hash> when /var/cache is not writable). Built from PyPI when missing.
#   VPNAAS_SHARED=DIR    the shared/ directory (default ../shared).
#   VPNAAS_BIN=PATH      the vpnaasd binary (default .build/debug/vpnaasd).
set -uo pipefail
cd "$(dirname "$0")/.."
shared="${VPNAAS_SHARED:-../shared}"
req="$shared/tools/osc-requirements.txt"
if [ ! -f "$req" ]; then
  if [ "${CI:-}" = "true" ]; then echo "FAIL: $req not found (needed under CI)" >&2; exit 1; fi
  echo "skipping CLI end-to-end test: $req not found (set VPNAAS_SHARED)" >&2
  exit 0
fi
bin="${VPNAAS_BIN:-.build/debug/vpnaasd}"
[ -x "$bin" ] || { echo "FAIL: $bin not built (swift build)" >&2; exit 1; }

# --- the CLI venv, cached by the hash of the pin list --------------------------------------------------
OSC=$(bash scripts/osc-venv.sh "$req") || exit 1

# --- the server -----------------------------------------------------------------------------------------
work=$(mktemp -d /tmp/vpnaas-e2e-cli.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
URL="http://127.0.0.1:$port"
extra=()
[ "${E2E_CLI_NO_AGENT:-0}" = 1 ] && extra+=(--no-agent)
VPNAAS_AGENT_CLEANUP_ON_EXIT=1 "$bin" all-in-one --data-dir "$work/data" --bind "127.0.0.1:$port" --auth-strategy keystone "${extra[@]}" >"$work/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "${fail:-1}" != 0 ] && [ -s "$work/server.log" ]; then
    echo "--- server log (last 40 lines) ---" >&2; tail -40 "$work/server.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 150); do
  curl -sf "$URL/healthcheck" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
curl -sf "$URL/healthcheck" >/dev/null || { cat "$work/server.log" >&2; echo "FAIL: vpnaasd did not become ready" >&2; exit 1; }

# --- check helpers -----------------------------------------------------------------------------------
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1" >&2; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -20 >&2; }
# expect NAME EXPECTED ACTUAL
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "expected [$2], got [$3]"; fi; }
# expect_in NAME NEEDLE HAYSTACK (one item per line)
# A here-string, not a pipe: under pipefail, `grep -q` exiting at the first match can SIGPIPE the writer
# and turn a match into a failure (seen on a loaded machine).
expect_in() { if grep -qxF -- "$2" <<<"$3"; then ok "$1"; else bad "$1" "[$2] not in [$(echo "$3" | tr '\n' ' ')]"; fi; }
expect_not_in() { if grep -qxF -- "$2" <<<"$3"; then bad "$1" "[$2] unexpectedly in [$(echo "$3" | tr '\n' ' ')]"; else ok "$1"; fi; }

# JSON field extraction: j PATH < json. PATH is dot-separated; "[]" maps over a list; lists of scalars
# print one per line; dicts/lists print as compact JSON; booleans as true/false; null as null.
j() {
  python3 -c '
import json, sys
def walk(v, parts):
    if not parts: return [v]
    p, rest = parts[0], parts[1:]
    if p == "[]": return [x for item in v for x in walk(item, rest)]
    if isinstance(v, list): v = v[int(p)]
    else: v = v.get(p, "<absent>") if isinstance(v, dict) else "<absent>"
    return walk(v, rest)
def show(v):
    if isinstance(v, bool): return "true" if v else "false"
    if v is None: return "null"
    if isinstance(v, (dict, list)): return json.dumps(v, sort_keys=True, separators=(",", ":"))
    return str(v)
data = json.load(sys.stdin)
print("\n".join(show(x) for x in walk(data, [p for p in sys.argv[1].split(".") if p])))
' "$1"
}

OUT=""
ERR=""
# run WHO DESC CMD...: must exit 0 with an empty stderr (no warnings). Output in $OUT.
run() {
  local who=$1 desc=$2; shift 2
  local rc=0
  OUT=$(as_"$who" "$@" 2>"$work/stderr") || rc=$?
  ERR=$(cat "$work/stderr")
  if [ $rc -ne 0 ]; then bad "$who: $desc (exit $rc)" "$ERR"; return 1; fi
  if [ -n "$ERR" ]; then bad "$who: $desc (stderr not empty)" "$ERR"; return 1; fi
  ok "$who: $desc"
}
# run_fails WHO DESC PATTERN CMD...: must exit non-zero with PATTERN (grep -E) in its output (delete
# commands print each failure's reason on stdout, the summary on stderr).
run_fails() {
  local who=$1 desc=$2 pattern=$3; shift 3
  local rc=0
  OUT=$(as_"$who" "$@" 2>"$work/stderr") || rc=$?
  ERR=$(cat "$work/stderr")
  if [ $rc -eq 0 ]; then bad "$who: $desc (succeeded, should fail)" "$OUT"; return 1; fi
  if ! grep -qE -- "$pattern" <<<"$OUT
$ERR"; then bad "$who: $desc (wrong error)" "want /$pattern/, got: $OUT $ERR"; return 1; fi
  ok "$who: $desc"
}

CLOUDS="$work/data/clouds.yaml"
# Admin: the clouds.yaml vpnaasd wrote at bootstrap (auth_url ends in /v3).
as_admin() { env -u OS_AUTH_URL OS_CLIENT_CONFIG_FILE="$CLOUDS" OS_CLOUD=vpnaas "$OSC" "$@"; }
# Tenants: plain OS_* variables. Left uses an auth URL with /v3, right one without a version.
tenant_env() {
  env -u OS_CLOUD OS_CLIENT_CONFIG_FILE=/dev/null OS_AUTH_URL="$1" OS_USERNAME="$2" OS_PASSWORD="$3" OS_PROJECT_NAME="$4" \
    OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_IDENTITY_API_VERSION=3 OS_REGION_NAME=RegionOne \
    OS_INTERFACE=public "${@:5}"
}
LEFT_PW="left-initial-pw"
RIGHT_PW="right-pw-$RANDOM"
as_left() { tenant_env "$URL/v3" left "$LEFT_PW" left "$OSC" "$@"; }
as_right() { tenant_env "$URL" right "$RIGHT_PW" right "$OSC" "$@"; }
as_leftwrongpw() { tenant_env "$URL/v3" left "not-the-password" left "$OSC" "$@"; }

# Waits (<= 30 s) until a VPN service / connection leaves PENDING_*; prints the final status.
wait_settled() {
  local who=$1 kind=$2 name=$3 status=""
  for _ in $(seq 1 30); do
    status=$(as_"$who" vpn "$kind" show "$name" -f value -c Status 2>/dev/null)
    case "$status" in PENDING_*) sleep 1 ;; *) break ;; esac
  done
  echo "$status"
}

AGENT="${E2E_CLI_AGENT:-1}"
if [ "$AGENT" != 1 ]; then
  echo "######################################################################################" >&2
  echo "# E2E_CLI_AGENT=$AGENT: SKIPPING 'vpn service set' and 'vpn ipsec site connection set'  #" >&2
  echo "# (they need the agent to move statuses out of PENDING_*). Everything else runs.       #" >&2
  echo "######################################################################################" >&2
fi

# ======================================= admin =======================================================
[ -f "$work/data/admin-password" ] && ok "bootstrap wrote admin-password" || bad "bootstrap wrote admin-password"
expect "admin-password is 0600" "600" "$(stat -c %a "$work/data/admin-password" 2>/dev/null)"
expect "clouds.yaml is 0600" "600" "$(stat -c %a "$CLOUDS" 2>/dev/null)"
if grep -qF "$(cat "$work/data/admin-password" 2>/dev/null)" "$work/server.log"; then bad "admin password absent from the log"; else ok "admin password absent from the log"; fi

run admin "token issue" token issue -f json && {
  expect "token issue: user is admin's" "$(as_admin user show admin -f value -c id 2>/dev/null)" "$(j user_id <<<"$OUT")"
  expect "token issue: project is admin's" "$(as_admin project show admin -f value -c id 2>/dev/null)" "$(j project_id <<<"$OUT")"
  tok=$(j id <<<"$OUT")
  expect "token: GET /v2.0/networks with it" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $tok" "$URL/v2.0/networks")"
}
expect "no token: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/v2.0/networks")"
expect "no token: JSON error body" "401" "$(curl -s "$URL/v2.0/networks" | j error.code)"
expect "forged token: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Token: gAAAAQAAAAFforged' "$URL/v2.0/networks")"
run admin "catalog list" catalog list -f json && {
  expect "catalog: services" "identity network" "$(j '[].Type' <<<"$OUT" | sort | tr '\n' ' ' | sed 's/ $//')"
}
run admin "domain list" domain list -f value -c Name && expect "domain list: Default" "Default" "$OUT"
run admin "role list" role list -f value -c Name && expect "role list" "admin member reader" "$(sort <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"

for side in left right; do
  run admin "project create $side" project create "$side" --description "$side tenant" -f json && {
    expect "project $side: name" "$side" "$(j name <<<"$OUT")"
    expect "project $side: enabled" "true" "$(j enabled <<<"$OUT")"
    expect "project $side: domain" "default" "$(j domain_id <<<"$OUT")"
  }
done
run admin "project list" project list -f value -c Name && { expect_in "project list: left" left "$OUT"; expect_in "project list: right" right "$OUT"; }
run admin "project show left" project show left -f value -c description && expect "project show: description" "left tenant" "$OUT"
LEFT_PROJECT=$(as_admin project show left -f value -c id 2>/dev/null)
RIGHT_PROJECT=$(as_admin project show right -f value -c id 2>/dev/null)
run admin "user create left" user create --domain default --password "$LEFT_PW" --project left left -f json && {
  expect "user left: name" "left" "$(j name <<<"$OUT")"
  expect "user left: default project" "$LEFT_PROJECT" "$(j default_project_id <<<"$OUT")"
}
run admin "user create right" user create --password "$RIGHT_PW" --project right right -f json && expect "user right: enabled" "true" "$(j enabled <<<"$OUT")"
run admin "user list" user list -f value -c Name && expect "user list" "admin left right" "$(sort <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
run admin "role add member left" role add --project left --user left member
run admin "role add member right" role add --project right --user right member
run admin "role assignment list --project left" role assignment list --project left --names -f json && {
  expect "assignment: role" "member" "$(j '[].Role' <<<"$OUT")"
  expect "assignment: user" "left@Default" "$(j '[].User' <<<"$OUT")"
}
run_fails leftwrongpw "wrong password is 401" "HTTP 401" token issue
# Password change through the CLI: the old one stops working.
NEW_LEFT_PW="left-changed-pw"
run admin "user set --password left" user set --password "$NEW_LEFT_PW" left && expect "user set: no output" "" "$OUT"
run_fails left "old password refused" "HTTP 401" token issue
LEFT_PW="$NEW_LEFT_PW"
run left "new password accepted (auth URL with /v3)" token issue -f json && expect "left token: project" "$LEFT_PROJECT" "$(j project_id <<<"$OUT")"
run right "token issue (auth URL without version)" token issue -f json && expect "right token: project" "$RIGHT_PROJECT" "$(j project_id <<<"$OUT")"

run admin "network create provider --external" network create provider --external -f json && {
  PROVIDER=$(j id <<<"$OUT")
  expect "provider: router:external" "true" "$(j 'router:external' <<<"$OUT")"
}
run admin "subnet create provider-v6" subnet create provider-v6 --network provider --subnet-range 2001:db8:0:1::/64 --ip-version 6 --no-dhcp -f json \
  && expect "provider-v6: cidr" "2001:db8:0:1::/64" "$(j cidr <<<"$OUT")"
run admin "subnet create provider-v4" subnet create provider-v4 --network provider --subnet-range 192.0.2.0/24 --no-dhcp -f json \
  && expect "provider-v4: ip_version" "4" "$(j ip_version <<<"$OUT")"

# ======================================= tenants: the seed ==========================================
declare -A CIDR=([left]=2001:db8:1:33bc::/64 [right]=2001:db8:1:33bd::/64)
declare -A OTHER=([left]=right [right]=left)
declare -A PROJECT=([left]=$LEFT_PROJECT [right]=$RIGHT_PROJECT)
declare -A V6 IKE IPSEC VPN LOCAL REMOTE SUBNET NET ROUTER CONN

for s in left right; do
  p="vpnaas-$s"
  run $s "network list sees provider" network list -f value -c Name && expect_in "$s: provider visible" provider "$OUT"
  run $s "subnet list hides provider subnets" subnet list -f value -c Name && expect "$s: no provider subnets" "" "$OUT"
  run $s "network create" network create $p-network -f json && {
    NET[$s]=$(j id <<<"$OUT")
    expect "$s network: name" "$p-network" "$(j name <<<"$OUT")"
    expect "$s network: project" "${PROJECT[$s]}" "$(j project_id <<<"$OUT")"
    expect "$s network: internal" "false" "$(j 'router:external' <<<"$OUT")"
  }
  run $s "subnet create" subnet create $p-network-subnet --subnet-range "${CIDR[$s]}" --ip-version 6 --network $p-network -f json && {
    SUBNET[$s]=$(j id <<<"$OUT")
    expect "$s subnet: cidr" "${CIDR[$s]}" "$(j cidr <<<"$OUT")"
    expect "$s subnet: ip_version" "6" "$(j ip_version <<<"$OUT")"
    expect "$s subnet: network" "${NET[$s]}" "$(j network_id <<<"$OUT")"
  }
  run $s "router create" router create $p-router -f json && {
    ROUTER[$s]=$(j id <<<"$OUT")
    expect "$s router: name" "$p-router" "$(j name <<<"$OUT")"
  }
  run $s "router set --external-gateway provider" router set $p-router --external-gateway provider && expect "$s router set: silent" "" "$OUT"
  run $s "router add subnet" router add subnet $p-router $p-network-subnet && expect "$s router add subnet: silent" "" "$OUT"
  run $s "router show" router show $p-router -f json && {
    expect "$s router: gateway network" "${PROVIDER:-?}" "$(j external_gateway_info.network_id <<<"$OUT")"
    expect "$s router: interface subnet" "${SUBNET[$s]}" "$(j 'interfaces_info.[].subnet_id' <<<"$OUT")"
  }
  run_fails $s "member may not set router:external (403)" "HttpException: 403|ForbiddenException|403" network set --external $p-network

  run $s "vpn ike policy create" vpn ike policy create $p-ike-policy --auth-algorithm sha256 --encryption-algorithm aes-256 --ike-version v2 --pfs group14 -f json && {
    IKE[$s]=$(j ID <<<"$OUT")
    expect "$s ike: auth" "sha256" "$(j 'Authentication Algorithm' <<<"$OUT")"
    expect "$s ike: encryption" "aes-256" "$(j 'Encryption Algorithm' <<<"$OUT")"
    expect "$s ike: version" "v2" "$(j 'IKE Version' <<<"$OUT")"
    expect "$s ike: pfs" "group14" "$(j 'Perfect Forward Secrecy (PFS)' <<<"$OUT")"
    expect "$s ike: phase1" "main" "$(j 'Phase1 Negotiation Mode' <<<"$OUT")"
    expect "$s ike: lifetime" '{"units":"seconds","value":3600}' "$(j Lifetime <<<"$OUT")"
    expect "$s ike: project" "${PROJECT[$s]}" "$(j Project <<<"$OUT")"
  }
  run $s "vpn ipsec policy create" vpn ipsec policy create $p-ipsec-policy --auth-algorithm sha256 --encryption-algorithm aes-256 --pfs group14 --transform-protocol esp -f json && {
    IPSEC[$s]=$(j ID <<<"$OUT")
    expect "$s ipsec: encapsulation" "tunnel" "$(j 'Encapsulation Mode' <<<"$OUT")"
    expect "$s ipsec: transform" "esp" "$(j 'Transform Protocol' <<<"$OUT")"
    expect "$s ipsec: pfs" "group14" "$(j 'Perfect Forward Secrecy (PFS)' <<<"$OUT")"
  }
  run $s "vpn service create" vpn service create $p-vpn --router $p-router -f json && {
    VPN[$s]=$(j ID <<<"$OUT")
    V6[$s]=$(j 'Ext v6 IP' <<<"$OUT")
    expect "$s vpn: router" "${ROUTER[$s]}" "$(j Router <<<"$OUT")"
    expect "$s vpn: state" "true" "$(j State <<<"$OUT")"
    expect "$s vpn: status" "PENDING_CREATE" "$(j Status <<<"$OUT")"
    expect "$s vpn: subnet" "null" "$(j Subnet <<<"$OUT")"
    if [[ "${V6[$s]}" == 2001:db8:0:1:* ]]; then ok "$s vpn: external v6 from provider-v6"; else bad "$s vpn: external v6 from provider-v6" "${V6[$s]}"; fi
    if [[ "$(j 'Ext v4 IP' <<<"$OUT")" == 192.0.2.* ]]; then ok "$s vpn: external v4 from provider-v4"; else bad "$s vpn: external v4 from provider-v4" "$(j 'Ext v4 IP' <<<"$OUT")"; fi
  }
  run $s "vpn endpoint group create local" vpn endpoint group create $p-local --type subnet --value $p-network-subnet -f json && {
    LOCAL[$s]=$(j ID <<<"$OUT")
    expect "$s local: type" "subnet" "$(j Type <<<"$OUT")"
    expect "$s local: endpoints" "${SUBNET[$s]}" "$(j 'Endpoints.[]' <<<"$OUT")"
  }
  run $s "vpn endpoint group create remote" vpn endpoint group create $p-remote --type cidr --value "${CIDR[${OTHER[$s]}]}" -f json && {
    REMOTE[$s]=$(j ID <<<"$OUT")
    expect "$s remote: type" "cidr" "$(j Type <<<"$OUT")"
    expect "$s remote: endpoints" "${CIDR[${OTHER[$s]}]}" "$(j 'Endpoints.[]' <<<"$OUT")"
  }
  # Policy and endpoint-group set do not depend on the agent.
  run $s "vpn ike policy set" vpn ike policy set $p-ike-policy --description "ike of $s" && expect "$s ike set: silent" "" "$OUT"
  run $s "vpn ike policy show after set" vpn ike policy show $p-ike-policy -f value -c Description && expect "$s ike: description set" "ike of $s" "$OUT"
  run $s "vpn ipsec policy set" vpn ipsec policy set $p-ipsec-policy --description "ipsec of $s"
  run $s "vpn ipsec policy show after set" vpn ipsec policy show $p-ipsec-policy -f value -c Description && expect "$s ipsec: description set" "ipsec of $s" "$OUT"
  run $s "vpn endpoint group set" vpn endpoint group set $p-remote --description "peer of $s"
  run $s "vpn endpoint group show after set" vpn endpoint group show $p-remote -f value -c Description && expect "$s remote: description set" "peer of $s" "$OUT"
done

PSK=1gHAsAeR8lFEDDu7
for s in left right; do
  p="vpnaas-$s"
  peer="${V6[${OTHER[$s]}]}"
  run $s "vpn ipsec site connection create" vpn ipsec site connection create $p-connection --vpnservice $p-vpn --ikepolicy $p-ike-policy \
    --ipsecpolicy $p-ipsec-policy --local-endpoint-group $p-local --peer-address "$peer" --peer-id "$peer" \
    --peer-endpoint-group $p-remote --psk $PSK -f json && {
    CONN[$s]=$(j ID <<<"$OUT")
    expect "$s conn: peer address = other side's external_v6_ip" "$peer" "$(j 'Peer Address' <<<"$OUT")"
    expect "$s conn: peer id" "$peer" "$(j 'Peer ID' <<<"$OUT")"
    expect "$s conn: psk" "$PSK" "$(j 'Pre-shared Key' <<<"$OUT")"
    expect "$s conn: auth mode" "psk" "$(j 'Authentication Algorithm' <<<"$OUT")"
    expect "$s conn: mtu" "1500" "$(j MTU <<<"$OUT")"
    expect "$s conn: initiator" "bi-directional" "$(j Initiator <<<"$OUT")"
    expect "$s conn: route mode" "static" "$(j 'Route Mode' <<<"$OUT")"
    expect "$s conn: status" "PENDING_CREATE" "$(j Status <<<"$OUT")"
    expect "$s conn: vpnservice" "${VPN[$s]}" "$(j 'VPN Service' <<<"$OUT")"
    expect "$s conn: ike policy" "${IKE[$s]}" "$(j 'IKE Policy' <<<"$OUT")"
    expect "$s conn: ipsec policy" "${IPSEC[$s]}" "$(j 'IPSec Policy' <<<"$OUT")"
    expect "$s conn: local group" "${LOCAL[$s]}" "$(j 'Local Endpoint Group ID' <<<"$OUT")"
    expect "$s conn: peer group" "${REMOTE[$s]}" "$(j 'Peer Endpoint Group ID' <<<"$OUT")"
  }
done

# ======================================= show / list / failures ====================================
for s in left right; do
  p="vpnaas-$s"
  o=${OTHER[$s]}
  run $s "vpn ike policy list" vpn ike policy list -f value -c Name && expect "$s ike list: only own" "$p-ike-policy" "$OUT"
  run $s "vpn ike policy show" vpn ike policy show $p-ike-policy -f json && expect "$s ike show: id" "${IKE[$s]}" "$(j ID <<<"$OUT")"
  run $s "vpn ipsec policy list" vpn ipsec policy list -f value -c Name && expect "$s ipsec list: only own" "$p-ipsec-policy" "$OUT"
  run $s "vpn ipsec policy show" vpn ipsec policy show $p-ipsec-policy -f value -c 'Authentication Algorithm' && expect "$s ipsec show: auth" "sha256" "$OUT"
  run $s "vpn service list" vpn service list -f value -c Name && expect "$s vpn list: only own" "$p-vpn" "$OUT"
  run $s "vpn service show" vpn service show $p-vpn -f json && expect "$s vpn show: ext v6" "${V6[$s]}" "$(j 'Ext v6 IP' <<<"$OUT")"
  run $s "vpn endpoint group list" vpn endpoint group list -f value -c Name && expect "$s eg list" "$p-local $p-remote" "$(sort <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
  run $s "vpn endpoint group show" vpn endpoint group show $p-local -f value -c Type && expect "$s eg show: type" "subnet" "$OUT"
  run $s "vpn ipsec site connection list" vpn ipsec site connection list -f value -c Name && expect "$s conn list: only own" "$p-connection" "$OUT"
  run $s "vpn ipsec site connection show" vpn ipsec site connection show $p-connection -f value -c 'Peer Address' && expect "$s conn show: peer" "${V6[$o]}" "$OUT"

  # Another project's objects do not exist for this tenant (404 -> "No ... found").
  run_fails $s "other project's ike policy by id" "No VpnIkePolicy found for ${IKE[$o]}" vpn ike policy show "${IKE[$o]}"
  run_fails $s "other project's vpn service by name" "No VpnService found for vpnaas-$o-vpn" vpn service show "vpnaas-$o-vpn"
  run_fails $s "other project's connection by id" "No VpnIPSecSiteConnection found" vpn ipsec site connection show "${CONN[$o]}"
  run_fails $s "other project's network by id" "No Network found" network show "${NET[$o]}"
  run_fails $s "delete other project's endpoint group" "No VpnEndpointGroup found|failed to delete" vpn endpoint group delete "${LOCAL[$o]}"
  run_fails $s "show missing ike policy" "No VpnIkePolicy found for no-such-policy" vpn ike policy show no-such-policy

  # In-use rules.
  run_fails $s "ike policy in use cannot be deleted" "in use by existing IPsecSiteConnection" vpn ike policy delete $p-ike-policy
  run_fails $s "ike policy in use cannot be updated" "in use by existing IPsecSiteConnection" vpn ike policy set $p-ike-policy --pfs group5
  run_fails $s "ipsec policy in use cannot be deleted" "in use by existing IPsecSiteConnection" vpn ipsec policy delete $p-ipsec-policy
  run_fails $s "vpn service in use cannot be deleted" "is still in use" vpn service delete $p-vpn
  run_fails $s "endpoint group in use cannot be deleted" "is in use and cannot be deleted" vpn endpoint group delete $p-local
  run_fails $s "router gateway in use by VPN cannot be removed" "currently used by VPN service" router unset --external-gateway $p-router
done

# The admin sees everything; the admin can create for a project.
run admin "admin lists all VPN services" vpn service list -f value -c Name && expect "admin: both services" "vpnaas-left-vpn vpnaas-right-vpn" "$(sort <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
run admin "admin creates an IKE policy for left" vpn ike policy create admin-made --project left -f json && {
  expect "admin-made: owned by left" "$LEFT_PROJECT" "$(j Project <<<"$OUT")"
  run left "left sees the admin-made policy" vpn ike policy show admin-made -f value -c Name && expect "left: admin-made visible" "admin-made" "$OUT"
  run left "left deletes it" vpn ike policy delete admin-made
}

# ======================================= agent-dependent set =======================================
for s in left right; do
  p="vpnaas-$s"
  if [ "$AGENT" = 1 ]; then
    st=$(wait_settled $s service $p-vpn)
    case "$st" in PENDING_*|"") bad "$s vpn service left PENDING_* within 30 s" "status $st" ;; *) ok "$s vpn service settled ($st)" ;; esac
    run $s "vpn service set" vpn service set $p-vpn --description "vpn of $s" && {
      run $s "vpn service show after set" vpn service show $p-vpn -f value -c Description && expect "$s vpn: description set" "vpn of $s" "$OUT"
    }
    st=$(wait_settled $s "ipsec site connection" $p-connection)
    case "$st" in PENDING_*|"") bad "$s connection left PENDING_* within 30 s" "status $st" ;; *) ok "$s connection settled ($st)" ;; esac
    # Both sides point at each other's external_v6_ip: the agent must have brought the tunnel up.
    if [ "$st" = ACTIVE ]; then ok "$s connection ACTIVE (tunnel up)"; else bad "$s connection ACTIVE (tunnel up)" "status $st"; fi
    run $s "vpn ipsec site connection set" vpn ipsec site connection set $p-connection --description "conn of $s" --mtu 1400 && {
      run $s "connection show after set" vpn ipsec site connection show $p-connection -f json && {
        expect "$s conn: mtu set" "1400" "$(j MTU <<<"$OUT")"
        expect "$s conn: description set" "conn of $s" "$(j Description <<<"$OUT")"
      }
    }
  else
    echo "SKIPPED (E2E_CLI_AGENT=$AGENT): $s vpn service set / vpn ipsec site connection set" >&2
  fi
done

# ======================================= quotas ====================================================
# quota show -f json is a list of {"Resource", "Limit"[, "In Use", "Reserved"]}: q RESOURCE [COLUMN] < json
q() { python3 -c 'import json,sys; print(next((str(r.get(sys.argv[2])) for r in json.load(sys.stdin) if r["Resource"] == sys.argv[1]), "<absent>"))' "$1" "${2:-Limit}"; }
run admin "quota show --network left" quota show --network left -f json && {
  expect "quota left: routers default 10" "10" "$(q routers <<<"$OUT")"
  expect "quota left: networks default 100" "100" "$(q networks <<<"$OUT")"
  expect "quota left: subnets default 100" "100" "$(q subnets <<<"$OUT")"
  expect "quota left: ports default 500" "500" "$(q ports <<<"$OUT")"
  expect "quota left: VPN connections default 100" "100" "$(q ipsec_site_connection <<<"$OUT")"
}
run admin "quota show left (only identity+network in the catalog)" quota show left -f json && expect "quota show: routers" "10" "$(q routers <<<"$OUT")"
run admin "quota show --default --network left" quota show --default --network left -f json && expect "default: routers" "10" "$(q routers <<<"$OUT")"
run admin "quota set --routers 2 left" quota set --routers 2 left && expect "quota set: silent" "" "$OUT"
run admin "quota set --networks/--subnets/--ports left" quota set --networks 50 --subnets 60 --ports 70 left
run admin "quota show --network left after set" quota show --network left -f json && {
  expect "left: routers 2" "2" "$(q routers <<<"$OUT")"
  expect "left: networks 50" "50" "$(q networks <<<"$OUT")"
  expect "left: subnets 60" "60" "$(q subnets <<<"$OUT")"
  expect "left: ports 70" "70" "$(q ports <<<"$OUT")"
}
run admin "quota list --network" quota list --network -f json && {
  expect "quota list: only left differs" "$LEFT_PROJECT" "$(j '[].Project ID' <<<"$OUT")"
  expect "quota list: left routers" "2" "$(j '[].Routers' <<<"$OUT")"
}
run left "quota show (own project)" quota show -f json && expect "left sees own routers quota" "2" "$(q routers <<<"$OUT")"
run left "quota show --usage --network (own)" quota show --usage --network -f json && {
  expect "left: routers in use 1" "1" "$(q routers 'In Use' <<<"$OUT")"
  expect "left: routers reserved 0" "0" "$(q routers Reserved <<<"$OUT")"
  expect "left: connections in use 1" "1" "$(q ipsec_site_connection 'In Use' <<<"$OUT")"
}
run_fails left "member cannot set quotas" "403|Forbidden|disallowed by policy" quota set --routers 100 "$LEFT_PROJECT"
LEFT_TOKEN=$(as_left token issue -f value -c id 2>/dev/null)
expect "audit trail is admin-only (member: 403)" "403" "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $LEFT_TOKEN" "$URL/v2.0/audit-events")"
run left "router create up to the quota" router create quota-extra -f value -c id && QUOTA_EXTRA=$OUT
run_fails left "router create over the quota (409 OverQuota)" "Quota exceeded for resources: \\['router'\\]" router create quota-over
run left "router list: no over-quota router" router list -f value -c Name && expect_not_in "left: quota-over not created" quota-over "$OUT"
run_fails admin "quota below usage refused without --force" "Quota limit 1 for router must be greater than or equal to already used 2" quota set --routers 1 left
run admin "quota set --force below usage" quota set --force --routers 1 left
run left "router delete quota-extra" router delete "${QUOTA_EXTRA:-quota-extra}"
run admin "quota delete --network left" quota delete --network left
run admin "quota show --network left after delete" quota show --network left -f json && expect "left: routers back to 10" "10" "$(q routers <<<"$OUT")"
run admin "quota list --network after delete" quota list --network -f value -c 'Project ID' && expect "quota list: empty" "" "$OUT"

# ======================================= token lifecycle ===========================================
run admin "user set --disable right" user set --disable right
run_fails right "disabled user cannot authenticate" "HTTP 401" network list
run admin "user set --enable right" user set --enable right
run right "re-enabled user works" network list -f value -c Name && expect_in "right: provider again" provider "$OUT"
run admin "role remove member left (revoked)" role remove --project left --user left member
run_fails left "revoked member cannot authenticate" "HTTP 401" vpn service list
run admin "role add member left (again)" role add --project left --user left member

# ======================================= teardown ==================================================
for s in left right; do
  p="vpnaas-$s"
  run $s "vpn ipsec site connection delete" vpn ipsec site connection delete $p-connection
  run $s "vpn endpoint group delete" vpn endpoint group delete $p-local $p-remote
  run $s "vpn service delete" vpn service delete $p-vpn
  run $s "vpn ike policy delete" vpn ike policy delete $p-ike-policy
  run $s "vpn ipsec policy delete" vpn ipsec policy delete $p-ipsec-policy
  run_fails $s "deleted connection is gone" "No VpnIPSecSiteConnection found" vpn ipsec site connection show $p-connection
  run $s "router remove subnet" router remove subnet $p-router $p-network-subnet
  run $s "router unset --external-gateway" router unset --external-gateway $p-router
  run $s "router delete" router delete $p-router
  run $s "subnet delete" subnet delete $p-network-subnet
  run $s "network delete" network delete $p-network
  for what in "vpn ike policy" "vpn ipsec policy" "vpn service" "vpn endpoint group" "vpn ipsec site connection" router subnet; do
    # shellcheck disable=SC2086
    run $s "$what list empty" $what list -f value -c ID && expect "$s: no $what left" "" "$OUT"
  done
  run $s "network list: only provider" network list -f value -c Name && expect "$s: only provider" "provider" "$OUT"
done
run admin "subnet delete provider subnets" subnet delete provider-v6 provider-v4
run admin "network delete provider" network delete provider
run admin "network list empty" network list -f value -c ID && expect "admin: no networks" "" "$OUT"
run admin "role remove member right" role remove --project right --user right member
run admin "role assignment list --user right" role assignment list --user right -f value -c Role && expect "right: no roles" "" "$OUT"
run admin "user delete left right" user delete left right
run admin "project delete left right" project delete left right
run admin "project list: only admin" project list -f value -c Name && expect "admin: only admin project" "admin" "$OUT"
run admin "user list: only admin" user list -f value -c Name && expect "admin: only admin user" "admin" "$OUT"
run_fails right "deleted user cannot authenticate" "HTTP 401" network list

# ======================================= audit trail ===============================================
ADMIN_TOKEN=$(as_admin token issue -f value -c id 2>/dev/null)
curl -s -H "X-Auth-Token: $ADMIN_TOKEN" "$URL/v2.0/audit-events" >"$work/audit.json"
expect "audit: one event per write of the walkthrough" "ok" "$(AGENT=$AGENT python3 - "$work/audit.json" <<'PY'
import json, os, sys
events = json.load(open(sys.argv[1]))["audit_events"]
kinds = {(e["action"], e["resource_type"]) for e in events}
need = {("create", "project"), ("create", "user"), ("update", "user"), ("create", "role_assignment"), ("delete", "role_assignment"),
        ("create", "network"), ("create", "subnet"), ("create", "router"), ("update", "router"), ("add_router_interface", "router"),
        ("create", "ikepolicy"), ("create", "ipsecpolicy"), ("create", "vpnservice"), ("create", "endpoint_group"),
        ("create", "ipsec_site_connection"), ("update", "ipsec_site_connection"), ("update", "quota"), ("delete", "quota"),
        ("delete", "ipsec_site_connection"), ("delete", "router"), ("delete", "network"), ("delete", "project"), ("delete", "user")}
if os.environ["AGENT"] != "1":
    need.discard(("update", "ipsec_site_connection"))
missing = need - kinds
bad = [e for e in events if not e["request_id"].startswith("req-") or not e["user_id"] or e["status"] >= 300]
conn = [e for e in events if e["action"] == "create" and e["resource_type"] == "ipsec_site_connection"]
print("ok" if not missing and not bad and len(conn) == 2 and all("psk" in e["attributes"] and e["resource_id"] for e in conn)
      else f"missing {sorted(missing)} bad {bad[:2]} conn {conn[:1]}")
PY
)"
if grep -qE "$PSK|$RIGHT_PW|$LEFT_PW|left-initial-pw|gAAAA" "$work/audit.json"; then bad "audit: no PSK or password in the trail"; else ok "audit: no PSK or password in the trail"; fi
expect "audit: one log line per write" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["audit_events"]))' "$work/audit.json")" "$(grep -c 'audit.action=' "$work/server.log")"

if grep -qE "$PSK|$RIGHT_PW|$LEFT_PW|left-initial-pw|gAAAA" "$work/server.log"; then bad "no secret (PSK, passwords, tokens) in the server log"; else ok "no secret (PSK, passwords, tokens) in the server log"; fi
[ "$AGENT" = 1 ] || echo "NOTE: agent-dependent set steps were SKIPPED (E2E_CLI_AGENT=$AGENT)" >&2
echo "CLI end-to-end: $pass passed, $fail failed"
[ $fail -eq 0 ]
