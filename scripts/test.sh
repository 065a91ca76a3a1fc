#!/usr/bin/env bash
# Runs every test: unit and API tests (swift test), then end-to-end stages against freshly started vpnaasd
# binaries: the recorded Neutron fixtures, the openstack CLI walkthrough, an external Keystone.
# Under CI=true a missing prerequisite fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh test

swift build --build-tests
swift test --skip-build 2>&1 | tee /tmp/vpnaas-swift-test.log
grep -qE "Test run with [0-9]+ tests? .*passed" /tmp/vpnaas-swift-test.log

# Neutron fixture replay (noauth), then the real openstack CLI against the embedded Keystone (set
# E2E_CLI_AGENT=0 to skip only the agent-dependent `vpn service set`/`connection set` steps), then
# token validation against a real external Keystone.
bash scripts/e2e-fixtures.sh
bash scripts/e2e-cli.sh
bash scripts/e2e-external-keystone.sh

# The data plane, for real: namespaces, charon per router, tunnels, captures. Needs root.
if [ "$(id -u)" -eq 0 ] || [ "${CI:-}" = "true" ]; then
  python3 scripts/e2e_dataplane.py .build/debug/vpnaasd
else
  echo "skipping the data-plane end-to-end test: it needs root (CI runs it)" >&2
fi
