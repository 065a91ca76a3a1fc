#!/usr/bin/env bash
# osc-venv.sh REQUIREMENTS -- makes sure a venv with the pinned openstack CLI and the repo's osc-plugin exists
# and prints its `openstack` path (scripts/py-venv.sh: cached by the pin list's hash, or $VPNAAS_OSC_VENV).
set -euo pipefail
venv=$(bash "$(dirname "$0")/py-venv.sh" osc "$1")
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
