#!/usr/bin/env bash
# osc-venv.sh REQUIREMENTS -- makes sure a venv with the pinned openstack CLI exists and prints its
# `openstack` path (scripts/py-venv.sh: cached by the pin list's hash, or $VPNAAS_OSC_VENV).
set -euo pipefail
venv=$(bash "$(dirname "$0")/py-venv.sh" osc "$1")
echo "$venv/bin/openstack"
