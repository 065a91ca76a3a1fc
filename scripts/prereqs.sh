#!/usr/bin/env bash
# Installs what vpnaasd and its tests need on Debian 12, only when missing. Sourced by run.sh and test.sh.
# Usage: prereqs.sh [run|test]
set -euo pipefail

want=(libsqlite3-dev python3 python3-venv curl)
# The agent (data plane) needs these; installing them up front keeps `vpnaasd all-in-one` one command.
want+=(iproute2 nftables charon-systemd strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins)
# The data-plane tests ping between probe namespaces and capture on the provider bridge.
# The dashboard's browser tests drive Debian's chromium through chromedriver.
# The store contract, the API tests and the fixture replay also run on PostgreSQL (a throwaway cluster:
# scripts/pg-cluster.sh; the distro's own cluster is not used).
if [ "${1:-run}" = "test" ]; then want+=(iputils-ping tcpdump chromium chromium-driver postgresql); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # charon-systemd's package starts a host-wide daemon; the agent runs its own per router instead.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet strongswan 2>/dev/null; then
    systemctl disable --now strongswan >/dev/null 2>&1 || true
  fi
fi
command -v swift >/dev/null 2>&1 || { echo "swift (6.2 or newer) is required on PATH" >&2; exit 1; }
