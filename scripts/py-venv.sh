#!/usr/bin/env bash
# py-venv.sh NAME REQUIREMENTS -- makes sure a venv with the pinned packages exists and prints its path.
# Cached by the hash of the pin list under /var/cache/vpnaas (or .build/ when that is not writable, or
# $VPNAAS_<NAME>_VENV); built from PyPI when missing, so CI works from nothing. Run it before the
# stages: they have no network.
set -euo pipefail
name="$1"
req="$2"
hash=$(sha256sum "$req" | cut -c1-12)
override="VPNAAS_$(echo "$name" | tr '[:lower:]-' '[:upper:]_')_VENV"
venv="${!override:-}"
if [ -z "$venv" ]; then
  if mkdir -p /var/cache/vpnaas 2>/dev/null && [ -w /var/cache/vpnaas ]; then
    venv=/var/cache/vpnaas/$name-$hash
  else
    venv=$PWD/.build/$name-venv-$hash
  fi
fi
if [ ! -f "$venv/.complete" ]; then
  echo "building the $name venv in $venv (pip, from PyPI)..." >&2
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "FAIL: python3 -m venv (apt-get install python3-venv)" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req" >&2 || { echo "FAIL: pip install -r $req" >&2; exit 1; }
  # Marker last: an interrupted install is rebuilt next time instead of half-used.
  touch "$venv/.complete"
fi
echo "$venv"
