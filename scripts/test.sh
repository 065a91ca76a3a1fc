#!/usr/bin/env bash
# Runs every test: unit and API tests (swift test), then end-to-end stages against freshly started vpnaasd
# binaries. As root each stage runs isolated (scripts/isolate.sh: own network and mount namespace) and the
# stages run side by side; without root they run one after the other and the data-plane stages are skipped.
# Under CI=true a missing prerequisite fails. Prints each stage's output, then a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh test
shared="${VPNAAS_SHARED:-../shared}"

swift build --build-tests

# ONE throwaway PostgreSQL cluster (unix socket under /tmp, reachable from the isolated stages) for the store
# contract suite (swift-test) and the pg-api stage; stopped by PID on exit.
pgdir=$(mktemp -d /tmp/vpnaas-pg.XXXXXX)
trap 'bash scripts/pg-cluster.sh stop "$pgdir"' EXIT
VPNAAS_TEST_PG_URL=$(bash scripts/pg-cluster.sh start "$pgdir")
export VPNAAS_TEST_PG_URL

# Things the stages fetch from PyPI are installed here, before the stages lose the network.
osc_bin=""
if [ -d "$shared/tools" ]; then
  osc_bin=$(bash scripts/osc-venv.sh "$shared/tools/osc-requirements.txt")   # also installs osc-plugin/
  kvenv="${KEYSTONE_PEER_VENV:-/opt/venvs/keystone}"
  if [ ! -x "$kvenv/bin/keystone-manage" ] || [ ! -x "$kvenv/bin/uwsgi" ]; then
    bash "$shared/tools/neutron-peer/setup-peers.sh" keystone >&2 || true   # the stage itself reports it
  fi
fi

# The browser stage's Selenium (PyPI); chromium and chromedriver come from Debian (prereqs.sh).
selenium_venv=$(bash scripts/py-venv.sh selenium tests/browser/requirements.txt)
# Unmodified Horizon 27 + neutron-vpnaas-dashboard 15 (PyPI), configured for vpnaasd.
horizon_venv=$(bash scripts/horizon-setup.sh)

# name | needs root | command [| lock: stages naming the same lock never run at the same time — two
# Chromium-driving stages at once starve each other on a small machine]
STAGES=(
  "cli|0|bash scripts/e2e-cli.sh"
  "swift-test|0|bash scripts/swift-test.sh"
  "pg-api|0|bash scripts/pg-api.sh"
  "fixtures|0|bash scripts/e2e-fixtures.sh"
  "pg-wake|1|python3 scripts/e2e_pg_wake.py .build/debug/vpnaasd"
  "external-keystone|0|bash scripts/e2e-external-keystone.sh"
  "dataplane|1|python3 scripts/e2e_dataplane.py .build/debug/vpnaasd"
  "capacity|1|python3 scripts/e2e_capacity.py .build/debug/vpnaasd"
  "settings|1|python3 scripts/e2e_settings.py .build/debug/vpnaasd"
  "clouds|1|python3 scripts/e2e_clouds.py .build/debug/vpnaasd"
  "remote-agent|1|python3 scripts/e2e_remote_agent.py .build/debug/vpnaasd"
  "dashboard|1|python3 scripts/e2e_dashboard.py .build/debug/vpnaasd $selenium_venv|browser"
  "insight|1|python3 scripts/e2e_insight.py .build/debug/vpnaasd"
  "login-throttle|0|python3 scripts/e2e_login_throttle.py .build/debug/vpnaasd"
  "replicas|0|python3 scripts/e2e_replicas.py .build/debug/vpnaasd"
  "replicas-pg|0|E2E_REPLICAS_POSTGRES=1 python3 scripts/e2e_replicas.py .build/debug/vpnaasd"
  "osc-plugin|1|python3 scripts/e2e_osc_plugin.py .build/debug/vpnaasd $osc_bin"
  "horizon|0|python3 scripts/e2e_horizon.py .build/debug/vpnaasd $horizon_venv $selenium_venv|browser"
)

logs=$(mktemp -d /tmp/vpnaas-stages.XXXXXX)
root=0; [ "$(id -u)" -eq 0 ] && root=1
declare -A pids=()
jobs="${VPNAAS_TEST_JOBS:-3}"
for s in "${STAGES[@]}"; do
  IFS='|' read -r name needroot cmd lock <<<"$s"
  if [ -n "$lock" ]; then cmd="flock $logs/$lock.lock $cmd"; fi
  if [ "$root" = 0 ]; then
    if [ "$needroot" = 1 ]; then
      [ "${CI:-}" = "true" ] && { echo "FAIL: stage $name needs root" >&2; exit 1; }
      echo "skipping stage $name: it needs root (CI runs it)" >&2; continue
    fi
    echo "== stage $name" >&2
    bash -c "$cmd" >"$logs/$name.log" 2>&1 && echo 0 >"$logs/$name.rc" || echo $? >"$logs/$name.rc"
    continue
  fi
  # At most $jobs stages at once: the data-plane stages time tunnels and DPD, which a starved CPU distorts.
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  ( rc=0; t0=$(date +%s); bash scripts/isolate.sh bash -c "$cmd" >"$logs/$name.log" 2>&1 || rc=$?
    echo "$rc" >"$logs/$name.rc"; echo $(( $(date +%s) - t0 )) >"$logs/$name.secs" ) &
  pids[$name]=$!
done
for name in "${!pids[@]}"; do wait "${pids[$name]}" || true; done

failed=()
summary=()
tp=0; tf=0
for s in "${STAGES[@]}"; do
  IFS='|' read -r name _ _ <<<"$s"
  [ -f "$logs/$name.log" ] || continue   # skipped (needs root)
  rc=$(cat "$logs/$name.rc" 2>/dev/null || echo "missing")
  echo "================ stage $name (exit $rc) ================"
  cat "$logs/$name.log"
  last=$(grep -E '[0-9]+ passed, [0-9]+ failed|Test run with [0-9]+ tests' "$logs/$name.log" | tail -1 || true)
  summary+=("$name: exit $rc in $(cat "$logs/$name.secs" 2>/dev/null || echo '?') s ${last:+— $last}")
  if [[ "$last" =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then tp=$((tp + BASH_REMATCH[1])); tf=$((tf + BASH_REMATCH[2]))
  elif [[ "$last" =~ Test\ run\ with\ ([0-9]+)\ test ]]; then tp=$((tp + BASH_REMATCH[1])); fi
  [ "$rc" = 0 ] || tf=$((tf + 1))
  [ "$rc" = 0 ] || failed+=("$name")
done
echo "================ summary ================"
printf '%s\n' "${summary[@]}"
rm -rf "$logs"
echo "all: $tp passed, $tf failed"
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED stages: ${failed[*]}" >&2; exit 1; fi
