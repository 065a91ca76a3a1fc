#!/usr/bin/env bash
# osc-venv.sh REQUIREMENTS -- makes sure a venv with the pinned openstack CLI (and the repo's osc-plugin) exists and prints its
# `openstack` path. Cached by the hash of the pin list under /var/cache/vpnaas (or .build/ when that is
# not writable, or $VPNAAS_OSC_VENV); built from PyPI when missing, so CI works from nothing.
set -euo pipefail
req="$1"
hash=$(sha256sum "$req" | cut -c1-12)
venv="${VPNAAS_OSC_VENV:-}"
if [ -z "$venv" ]; then
  if mkdir -p /var/cache/vpnaas 2>/dev/null && [ -w /var/cache/vpnaas ]; then
    venv=/var/cache/vpnaas/osc-$hash
  else
    venv=$PWD/.build/osc-venv-$hash
  fi
fi
if [ ! -f "$venv/.complete" ]; then
  echo "building the openstack CLI venv in $venv (pip, from PyPI)..." >&2
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "FAIL: python3 -m venv (apt-get install python3-venv)" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req" >&2 || { echo "FAIL: pip install -r $req" >&2; exit 1; }
  # Marker last: an interrupted install is rebuilt next time instead of half-used.
  touch "$venv/.complete"
fi
# The repo's CLI plugin (osc-plugin/: no dependencies of its own), reinstalled when its source changes:
#   VENV/bin/pip install --no-deps --no-build-isolation ./osc-plugin
plugin="$(cd "$(dirname "$0")/.." && pwd)/osc-plugin"
phash=$(cat "$plugin/pyproject.toml" "$plugin"/vpnaas_osc/*.py | sha256sum | cut -c1-12)
if [ ! -f "$venv/.plugin-$phash" ]; then
  # setuptools builds the plugin's wheel in-venv (no build isolation, no index) and needs `wheel` for it.
  "$venv/bin/python" -c 'import wheel' 2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check wheel==0.45.1 >&2 \
    || { echo "FAIL: pip install wheel (PyPI)" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --no-build-isolation --no-index "$plugin" >&2 \
    || { echo "FAIL: pip install $plugin" >&2; exit 1; }
  rm -f "$venv"/.plugin-*
  touch "$venv/.plugin-$phash"
fi
echo "$venv/bin/openstack"
