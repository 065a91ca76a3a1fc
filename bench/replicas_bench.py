#!/usr/bin/env python3
"""Several `vpnaasd api` replicas on one PostgreSQL database: throughput and correctness under load.

A throwaway cluster (scripts/pg-cluster.sh: unix socket only, stopped by PID) holds one database; replicas are
`vpnaasd api --auth-strategy noauth --database … --key-dir …` on loopback ports (quota for IKE policies off).
  1. wrk, GET one IKE policy and POST an IKE policy, 10 s each (BENCH_WRK_SECONDS), 32 connections: against
     one replica, then against two at once (one wrk per replica, 16 connections each, req/s summed).
  2. Mixed CRUD, 32 client threads x 60 s (BENCH_MIXED_SECONDS) split over the two replicas: each client loops
     create -> show -> update -> (every other object) delete of IKE policies named after itself; afterwards the
     database must hold exactly the objects created and not deleted (0 lost, 0 duplicated, 0 resurrected), every
     update seen with revision semantics intact, 0 5xx. Latency p50/p99 per operation.
On 2 cores the replicas, PostgreSQL and the load generators share the same CPUs: the two-replica figure says
what a second process buys (or costs) there, not what it does on a second machine.

  python3 bench/replicas_bench.py .build/release/vpnaasd  -> bench/out/replicas.json
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/vpnaasd")
REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(REPO, "bench", "out", "replicas.json")
WRK_S = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
MIXED_S = int(os.environ.get("BENCH_MIXED_SECONDS", "60"))
CLIENTS = 32


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def call(port, method, path, body=None, conn=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    c.request(method, path, body=data, headers={"Content-Type": "application/json"})
    r = c.getresponse()
    raw = r.read()
    if conn is None:
        c.close()
    return r.status, (json.loads(raw) if raw else None)


def start_replica(work, name, url, keys):
    port = free_port()
    log = open(os.path.join(work, f"{name}.log"), "w")
    env = dict(os.environ, LOG_LEVEL="warning", VPNAAS_QUOTA_IKEPOLICY="-1")
    for k in ("VPNAAS_DATA_DIR", "VPNAAS_KEY_DIR", "VPNAAS_CONFIG", "VPNAAS_DATABASE"):
        env.pop(k, None)
    proc = subprocess.Popen([BIN, "api", "--auth-strategy", "noauth", "--database", url, "--key-dir", keys,
                             "--data-dir", os.path.join(work, name), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(600):
        try:
            if call(port, "GET", "/healthcheck")[0] == 200:
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"replica {name} exited")
        time.sleep(0.05)
    raise RuntimeError(f"replica {name} not ready")


def wrk(ports, path, method, conns, seconds, work):
    """req/s summed over one wrk per port (run at the same time), and the non-2xx count."""
    lua = os.path.join(work, f"{method}.lua")
    with open(lua, "w") as f:
        if method == "POST":
            f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                    'wrk.body = \'{"ikepolicy": {"name": "wrk"}}\'\n')
        else:
            f.write("")
    procs = [subprocess.Popen(["wrk", "-t1", f"-c{conns // len(ports)}", f"-d{seconds}s", "-s", lua,
                               f"http://127.0.0.1:{p}{path}"], stdout=subprocess.PIPE, text=True) for p in ports]
    total, errors = 0.0, 0
    for p in procs:
        out = p.communicate()[0]
        total += float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors += int(m.group(1)) if m else 0
    return round(total, 1), errors


def mixed(ports, seconds):
    lat = {op: [] for op in ("create", "show", "update", "delete")}
    statuses, created, deleted, problems = [], set(), set(), []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(i):
        port = ports[i % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        seq = 0
        while time.monotonic() < stop:
            seq += 1
            name = f"mixed-{i}-{seq}"
            rec = []
            t = time.perf_counter()
            st, body = call(port, "POST", "/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": name}}, conn)
            rec.append(("create", time.perf_counter() - t, st))
            if st != 201:
                with lock:
                    statuses.extend(s for _, _, s in rec)
                continue
            oid = body["ikepolicy"]["id"]
            t = time.perf_counter()
            st2, b2 = call(port, "GET", f"/v2.0/vpn/ikepolicies/{oid}", None, conn)
            rec.append(("show", time.perf_counter() - t, st2))
            t = time.perf_counter()
            st3, b3 = call(port, "PUT", f"/v2.0/vpn/ikepolicies/{oid}", {"ikepolicy": {"description": f"upd-{seq}"}}, conn)
            rec.append(("update", time.perf_counter() - t, st3))
            gone = False
            if seq % 2 == 0:
                t = time.perf_counter()
                st4, _ = call(port, "DELETE", f"/v2.0/vpn/ikepolicies/{oid}", None, conn)
                rec.append(("delete", time.perf_counter() - t, st4))
                gone = st4 == 204
            with lock:
                created.add((oid, name))
                if gone:
                    deleted.add(oid)
                if st2 != 200 or b2["ikepolicy"]["name"] != name:
                    problems.append(f"show {oid}: {st2}")
                if st3 != 200 or b3["ikepolicy"]["description"] != f"upd-{seq}":
                    problems.append(f"update {oid}: {st3}")
                for op, dt, s in rec:
                    lat[op].append(dt)
                    statuses.append(s)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # What the database holds now, through the other replica, page by page.
    seen, marker = [], None
    while True:
        q = "/v2.0/vpn/ikepolicies?limit=500&fields=id&fields=name" + (f"&marker={marker}" if marker else "")
        st, body = call(ports[-1], "GET", q)
        page = body["ikepolicies"]
        seen += [(p["id"], p["name"]) for p in page if p["name"].startswith("mixed-")]
        if len(page) < 500:
            break
        marker = page[-1]["id"]
    expected = {c for c in created if c[0] not in deleted}
    ids = [s[0] for s in seen]
    return {
        "clients": CLIENTS, "seconds": seconds, "replicas": len(ports),
        "requests": len(statuses), "req_per_s": round(len(statuses) / seconds, 1),
        "status_5xx": sum(1 for s in statuses if s >= 500), "non_2xx": sum(1 for s in statuses if s >= 300),
        "created": len(created), "deleted": len(deleted),
        "lost": len(expected - set(seen)), "duplicated": len(ids) - len(set(ids)),
        "resurrected_or_unknown": len(set(seen) - expected), "read_back_problems": len(problems),
        "latency_ms": {op: {"p50": round(statistics.median(v) * 1000, 2),
                            "p99": round(sorted(v)[int(len(v) * 0.99) - 1] * 1000, 2) if v else None}
                       for op, v in lat.items() if v},
    }


def main():
    if not shutil.which("wrk"):
        print("needs wrk (apt-get install wrk)", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="vpnaas-replbench.")
    pgdir = tempfile.mkdtemp(prefix="vpnaas-replbench-pg.")  # its own dir: the postgres user must reach it
    admin = subprocess.run(["bash", os.path.join(REPO, "scripts", "pg-cluster.sh"), "start", pgdir],
                           check=True, capture_output=True, text=True).stdout.strip()
    procs = []
    try:
        subprocess.run(["psql", "-q", admin, "-c", "CREATE DATABASE bench"], check=True)
        url = f"postgresql://postgres@/bench?host={pgdir}"
        keys = os.path.join(work, "keys")
        a, pa = start_replica(work, "a", url, keys)
        procs.append(a)
        b, pb = start_replica(work, "b", url, keys)
        procs.append(b)
        st, body = call(pa, "POST", "/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "one"}})
        one = f"/v2.0/vpn/ikepolicies/{body['ikepolicy']['id']}"
        result = {"binary": BIN, "cores": os.cpu_count(), "wrk_seconds": WRK_S, "connections": 32}
        for label, ports in (("one_replica", [pa]), ("two_replicas", [pa, pb])):
            get_rps, get_err = wrk(ports, one, "GET", 32, WRK_S, work)
            post_rps, post_err = wrk(ports, "/v2.0/vpn/ikepolicies", "POST", 32, WRK_S, work)
            result[label] = {"get_one_rps": get_rps, "get_one_errors": get_err, "post_rps": post_rps, "post_errors": post_err}
            print(f"{label}: GET one {get_rps} req/s ({get_err} non-2xx), POST {post_rps} req/s ({post_err} non-2xx)", flush=True)
        result["mixed"] = mixed([pa, pb], MIXED_S)
        m = result["mixed"]
        print(f"mixed CRUD {m['clients']} clients x {m['seconds']} s over {m['replicas']} replicas: {m['req_per_s']} req/s, "
              f"5xx {m['status_5xx']}, non-2xx {m['non_2xx']}, lost {m['lost']}, duplicated {m['duplicated']}, "
              f"resurrected {m['resurrected_or_unknown']}, read-back problems {m['read_back_problems']}; "
              f"latency {m['latency_ms']}", flush=True)
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "w") as f:
            json.dump(result, f, indent=1)
        ok = m["status_5xx"] == 0 and m["lost"] == 0 and m["duplicated"] == 0 and m["resurrected_or_unknown"] == 0
        return 0 if ok else 1
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        subprocess.run(["bash", os.path.join(REPO, "scripts", "pg-cluster.sh"), "stop", pgdir])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
