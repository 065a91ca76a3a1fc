#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: initdb (as user postgres) into DIR, listening on a unix socket in DIR
# only (no TCP), trust auth for local connections. Never the distro's cluster.
# Usage: pg-cluster.sh start DIR   prints the URL to use (postgresql://postgres@/postgres?host=DIR)
#        pg-cluster.sh stop DIR    stops the postmaster by the PID in DIR/data/postmaster.pid
set -euo pipefail
cmd="${1:?usage: pg-cluster.sh start|stop DIR}"
dir="${2:?usage: pg-cluster.sh start|stop DIR}"
bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    chmod 0700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=500" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@/postgres?host=$dir"
    ;;
  stop)
    pidfile="$dir/data/postmaster.pid"
    if [ -f "$pidfile" ]; then
      pid=$(head -1 "$pidfile")
      kill -INT "$pid" 2>/dev/null || true   # fast shutdown
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
