#!/usr/bin/env python3
"""List cost as tables grow: vpnaasd with 1k, 10k and 100k IKE policies.

Seeding: the server is started once on a fresh data dir (migrations), stopped, and the rows are inserted with
direct SQL into its SQLite file (executemany in one transaction) while it is stopped; then it is started again.
Measured per size, sequentially over loopback with a new TCP connection per request (as api_bench.py does),
BENCH_N samples each after 5 warm-ups, median latency minus the client floor (GET /healthcheck) = server time:
  GET ?name=X, GET ?limit=10, a marker page (?limit=10&marker=<middle id>), a sorted page
  (?sort_key=name&sort_dir=desc&limit=10), GET one, POST; for comparison the same filter and page through the
  Swift path (today's algorithm: `?name=10.0.0.1` compares addresses by value, `sort_key=lifetime` is JSON); and the
  whole list (info) up to 10k.

  python3 bench/scale_bench.py .build/release/vpnaasd [--sizes 1000,10000,100000]  → bench/out/scale.json
  python3 bench/scale_bench.py .build/release/vpnaasd --postgres  → bench/out/scale-postgres.json
With --postgres the server runs on `--database postgresql://…` against a throwaway cluster (scripts/pg-cluster.sh,
unix socket only, one database per size, stopped by PID at the end); seeding is a `\copy` through psql, then
ANALYZE.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

N = int(os.environ.get("BENCH_N", "50"))
PROJECT = "fake_project_id"  # the noauth admin's project


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, binary, work, database=None):
        self.binary, self.work, self.port, self.proc, self.database = binary, work, free_port(), None, database
        self.log = open(os.path.join(work, "server.log"), "a")

    @property
    def db(self):
        return os.path.join(self.work, "data", "vpnaas.sqlite")

    def start(self):
        env = dict(os.environ, LOG_LEVEL="warning", VPNAAS_QUOTA_IKEPOLICY="-1")
        argv = [self.binary, "all-in-one", "--data-dir", os.path.join(self.work, "data"),
                "--bind", f"127.0.0.1:{self.port}", "--auth-strategy", "noauth", "--no-agent"]
        if self.database:
            argv += ["--database", self.database]
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        t0 = time.time()
        while time.time() - t0 < 60:
            try:
                if call(self.port, "GET", "/healthcheck")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("vpnaasd exited; see " + self.log.name)
            time.sleep(0.02)
        raise RuntimeError("vpnaasd not ready")

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


def call(port, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    t0 = time.perf_counter()
    c.request(method, path, body=data, headers={"Content-Type": "application/json", "Connection": "close"})
    r = c.getresponse()
    raw = r.read()
    dt = time.perf_counter() - t0
    c.close()
    return r.status, raw, dt


def seed(db, n):
    """n policies named pol-000000…; every 1000th shares the name `dup` (so ?name=dup finds n/1000)."""
    con = sqlite3.connect(db)
    rows = []
    for i in range(n):
        rows.append((str(uuid.uuid4()), PROJECT, "dup" if i % 1000 == 0 else f"pol-{i:06d}", "",
                     "sha256", "aes-256", "main", "seconds", 3600, "v2", "group14"))
    t0 = time.time()
    con.executemany("INSERT INTO vpn_ikepolicies (id, project_id, name, description, auth_algorithm, "
                    "encryption_algorithm, phase1_negotiation_mode, lifetime_units, lifetime_value, ike_version, pfs) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    ids = sorted(r[0] for r in rows)
    con.close()
    return ids, time.time() - t0


def seed_postgres(url, n):
    """As seed(), with psql's \\copy (tab-separated rows on stdin) and ANALYZE."""
    rows, ids = [], []
    for i in range(n):
        rid = str(uuid.uuid4())
        ids.append(rid)
        rows.append("\t".join([rid, PROJECT, "dup" if i % 1000 == 0 else f"pol-{i:06d}", "",
                               "sha256", "aes-256", "main", "seconds", "3600", "v2", "group14"]))
    t0 = time.time()
    cols = ("id, project_id, name, description, auth_algorithm, encryption_algorithm, phase1_negotiation_mode, "
            "lifetime_units, lifetime_value, ike_version, pfs")
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", f"\\copy vpn_ikepolicies ({cols}) FROM STDIN"],
                   input=("\n".join(rows) + "\n").encode(), check=True)
    subprocess.run(["psql", "-q", url, "-c", "ANALYZE"], check=True)
    return sorted(ids), time.time() - t0


def measure(port, path, method="GET", body=None, want=200, n=N):
    for _ in range(min(5, n)):
        call(port, method, path, body)
    xs = []
    for _ in range(n):
        st, raw, dt = call(port, method, path, body)
        if st != want:
            raise RuntimeError(f"{method} {path} -> {st} {raw[:200]!r}")
        xs.append(dt)
    return xs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
    a.out = a.out or os.path.join(out_dir, "scale-postgres.json" if a.postgres else "scale.json")
    results = {"n": N, "binary": a.binary, "backend": "postgresql" if a.postgres else "sqlite", "sizes": {}}
    pgdir = tempfile.mkdtemp(prefix="vpnaas-scale-pg.") if a.postgres else None
    repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    if pgdir:
        admin_url = subprocess.run(["bash", os.path.join(repo, "scripts", "pg-cluster.sh"), "start", pgdir],
                                   check=True, capture_output=True, text=True).stdout.strip()
    try:
        return run(a, results, pgdir, admin_url if pgdir else None)
    finally:
        if pgdir:
            subprocess.run(["bash", os.path.join(repo, "scripts", "pg-cluster.sh"), "stop", pgdir])


def run(a, results, pgdir, admin_url):
    for size in [int(s) for s in a.sizes.split(",")]:
        work = tempfile.mkdtemp(prefix="vpnaas-scale.")
        url = None
        if pgdir:
            subprocess.run(["psql", "-q", admin_url, "-c", f"CREATE DATABASE scale{size}"], check=True)
            url = f"postgresql://postgres@/scale{size}?host={pgdir}"
        srv = Server(os.path.abspath(a.binary), work, database=url)
        try:
            srv.start()
            srv.stop()
            ids, seed_s = seed_postgres(url, size) if url else seed(srv.db, size)
            srv.start()
            p = srv.port
            base = "/v2.0/vpn/ikepolicies"
            mid = ids[len(ids) // 2]
            figures = {
                "floor": measure(p, "/healthcheck"),
                "name_filter": measure(p, f"{base}?name=pol-{size // 2 + 1:06d}"),
                "limit_10": measure(p, f"{base}?limit=10"),
                "marker_page": measure(p, f"{base}?limit=10&marker={mid}"),
                "sorted_page": measure(p, f"{base}?sort_key=name&sort_dir=desc&limit=10"),
                "get_one": measure(p, f"{base}/{mid}"),
                "post": measure(p, base, "POST", {"ikepolicy": {"name": "bench"}}, want=201),
            }
            # Today's algorithm (all rows rendered, filtered, sorted and paged in Swift), still what a query
            # takes when one of its attributes is not a plain column: an address-like name, a sort on `lifetime`.
            few = max(5, N // 10)
            figures["swift_name_filter"] = measure(p, f"{base}?name=10.0.0.1", n=few)
            figures["swift_limit_10"] = measure(p, f"{base}?limit=10&sort_key=lifetime", n=few)
            if size <= 10000:
                figures["full_list"] = measure(p, base, n=few)
            floor = statistics.median(figures["floor"])
            out = {k: {"median_ms": round(statistics.median(v) * 1000, 3),
                       "server_ms": round((statistics.median(v) - floor) * 1000, 3)} for k, v in figures.items()}
            out["seed_s"] = round(seed_s, 2)
            results["sizes"][str(size)] = out
            print(f"{size:>7} rows (seeded in {seed_s:.1f} s): " +
                  ", ".join(f"{k} {v['server_ms']} ms" for k, v in out.items() if isinstance(v, dict) and k != "floor"),
                  flush=True)
        finally:
            srv.stop()
            shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(results, f, indent=1)
    sizes = list(results["sizes"])
    if len(sizes) >= 2:
        lo, hi = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
        for k in ("name_filter", "limit_10", "marker_page", "sorted_page", "get_one", "post"):
            ratio = hi[k]["server_ms"] / max(lo[k]["server_ms"], 0.001)
            print(f"{k}: {sizes[-1]} vs {sizes[0]}: {ratio:.2f}x (goal <= 2x)")


if __name__ == "__main__":
    sys.exit(main())
