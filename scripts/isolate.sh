#!/usr/bin/env bash
# isolate.sh CMD... — runs CMD as its own "host": a private network namespace (only loopback, up) and a
# private mount namespace with tmpfs on /run/netns and /run/vpnaas, so test stages that create named
# namespaces, bridges and charons never meet each other (or the machine's own) and can run side by side.
# Needs root. Everything CMD creates in its namespaces goes away with them; CMD still stops its own
# processes by PID.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "isolate.sh needs root" >&2; exit 1; }
exec unshare --mount --propagation private --net bash -c '
  set -e
  mkdir -p /run/netns /run/vpnaas
  mount -t tmpfs -o mode=0755 tmpfs /run/netns
  mount -t tmpfs -o mode=0755 tmpfs /run/vpnaas
  ip link set lo up
  exec "$@"' isolate "$@"
