#!/usr/bin/env python3
"""API benchmark: vpnaasd (release build, all-in-one, noauth) vs the real Neutron 29 + neutron-vpnaas 29
(../shared/tools/neutron-peer, noauth, uWSGI 2 workers, MariaDB) on this machine, in one run.

Method (as ../shared/tools/neutron-peer/neutron-bench.py, whose Client and stats are imported):
sequential requests, one new TCP connection each, over loopback; both servers warm; alternating
rounds (ours first in even rounds, Neutron first in odd ones); medians over all samples.
Also: the Python client floor (a trivial endpoint on each server), wrk throughput, the 13-step
walkthrough, start-to-ready, RSS. Writes everything (raw samples included) as JSON.

Usage: api_bench.py --binary .build/release/vpnaasd --shared ../shared --out bench/out/api.json
Standard library only. Needs root only because vpnaasd's in-process agent realises routers.
"""
import argparse
import importlib.util
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
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--binary", required=True)
ap.add_argument("--shared", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "5")))
ap.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", "100")), help="samples per figure per round")
ap.add_argument("--walk", type=int, default=int(os.environ.get("BENCH_WALK", "5")), help="walkthrough rounds per server")
ap.add_argument("--wrk-seconds", type=int, default=10)
ap.add_argument("--tp-rounds", type=int, default=2)
ap.add_argument("--ready-runs", type=int, default=5)
ap.add_argument("--agent", action="store_true",
                help="run vpnaasd with its in-process agent (default: --no-agent, like the Neutron peer, which has no "
                     "agents; and an agent garbage-collects every qrouter-/qprobe- namespace it did not make, so it must "
                     "not run beside another engineer's vpnaasd)")
A = ap.parse_args()

PEER_DIR = os.path.join(A.shared, "tools", "neutron-peer")


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


NB = load("neutron_bench", os.path.join(PEER_DIR, "neutron-bench.py"))
NFX = load("nfx", os.path.join(PEER_DIR, "neutron-fixtures.py"))


def log(*a):
    print("api-bench:", *a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def rss_kib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = open(f"/proc/{d}/stat").read()
                if int(st.rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


# ------------------------------------------------------------------ servers
class Ours:
    name = "ours"

    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="vpnaas-bench-api.")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.logf = open(os.path.join(self.work, "server.log"), "a")
        self.floor_path = "/healthcheck"

    def start(self, auth="noauth"):
        """Starts vpnaasd and returns seconds from spawn to the first 200 on /healthcheck."""
        env = dict(os.environ, VPNAAS_AGENT_CLEANUP_ON_EXIT="1", LOG_LEVEL="warning")
        # Neutron has no VPN quotas: lift ours so both sides do the same work (101 IKE policies, 100 connections).
        env.update({f"VPNAAS_QUOTA_{r}": "-1" for r in ("IKEPOLICY", "IPSECPOLICY", "VPNSERVICE", "ENDPOINT_GROUP", "IPSEC_SITE_CONNECTION")})
        argv = [A.binary, "all-in-one", "--data-dir", os.path.join(self.work, "data"),
                "--bind", f"127.0.0.1:{self.port}", "--auth-strategy", auth]
        if not A.agent:
            argv.append("--no-agent")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdout=self.logf, stderr=subprocess.STDOUT, env=env)
        while True:
            try:
                c = socket.create_connection(("127.0.0.1", self.port), timeout=1)
                c.sendall(b"GET /healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                data = c.recv(64)
                c.close()
                if data.startswith(b"HTTP/1.1 200"):
                    return time.perf_counter() - t0
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("vpnaasd exited; see " + self.logf.name)
            if time.perf_counter() - t0 > 30:
                raise RuntimeError("vpnaasd not ready in 30 s")
            time.sleep(0.001)

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def wipe(self):
        shutil.rmtree(os.path.join(self.work, "data"), ignore_errors=True)

    def rss(self):
        kib = rss_kib(self.proc.pid)
        kids = children(self.proc.pid)
        return {"total_kib": kib + sum(rss_kib(k) for k in kids),
                "parts": {"vpnaasd": kib, **{f"child-{k}": rss_kib(k) for k in kids}}}


class Neutron:
    name = "neutron"

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = None
        self.floor_path = "/"   # the versions document: no DB, no policy

    def _env(self):
        env = {}
        for line in open(os.path.join(self.dir, "peer.env")):
            k, _, v = line.strip().partition("=")
            env[k] = v  # later lines win (PIDs are rewritten)
        return env

    def start(self, existing=False):
        env = dict(os.environ, NEUTRON_PEER_AUTH="noauth")
        if existing:
            env["NEUTRON_PEER_DIR"] = self.dir
        t0 = time.perf_counter()
        r = subprocess.run(["bash", os.path.join(PEER_DIR, "neutron-peer.sh"), str(self.port)], env=env,
                           capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if r.returncode != 0:
            raise RuntimeError("neutron-peer.sh failed: " + r.stderr[-3000:])
        self.dir = open(f"/tmp/neutron-peer-{self.port}.dir").read().strip()
        e = self._env()
        return {"script_wall_s": round(wall, 3), "total_ms": int(e["STARTUP_TOTAL_MS"]), "api_ms": int(e["STARTUP_API_MS"])}

    def stop(self, keep=False):
        env = dict(os.environ, NEUTRON_PEER_KEEP="1" if keep else "0")
        subprocess.run(["bash", os.path.join(PEER_DIR, "neutron-peer-stop.sh"), str(self.port)], env=env,
                       capture_output=True, text=True)

    def rss(self):
        e = self._env()
        api, db = int(e["API_PID"]), int(e["MYSQL_PID"])
        parts = {"uwsgi-master": rss_kib(api)}
        for k in children(api):
            parts[f"uwsgi-{k}"] = rss_kib(k)
        parts["mariadbd"] = rss_kib(db)
        return {"total_kib": sum(parts.values()), "parts": parts}


class Keystone:
    """Neutron's identity service, for the 'from nothing, identity bootstrap included' figure."""

    def __init__(self):
        self.port = free_port()

    def start(self):
        env = dict(os.environ, KEYSTONE_PEER_NEUTRON_PORT="1")
        t0 = time.perf_counter()
        r = subprocess.run(["bash", os.path.join(PEER_DIR, "keystone-peer.sh"), str(self.port)], env=env,
                           capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if r.returncode != 0:
            raise RuntimeError("keystone-peer.sh failed: " + r.stderr[-2000:])
        d = open(f"/tmp/keystone-peer-{self.port}.dir").read().strip()
        total = None
        for line in open(os.path.join(d, "peer.env")):
            if line.startswith("STARTUP_TOTAL_MS="):
                total = int(line.strip().split("=")[1])
        return {"script_wall_s": round(wall, 3), "total_ms": total}

    def stop(self):
        subprocess.run(["bash", os.path.join(PEER_DIR, "keystone-peer-stop.sh"), str(self.port)], capture_output=True)


# ------------------------------------------------------------------ measurements
IKE = lambda i: {"ikepolicy": {"name": "bench-%d" % i, "auth_algorithm": "sha256", "encryption_algorithm": "aes-256",
                               "ike_version": "v2", "pfs": "group14"}}


def timed(cl, method, path, body=None, want=(200,)):
    st, js, dt = cl.call(method, path, body)
    if st not in want:
        raise RuntimeError(f"{method} {path} -> {st} {js}")
    return js, dt


def latency_round(srv, cl, base_id, n, raw):
    r = raw.setdefault(srv.name, {})
    add = lambda k, v: r.setdefault(k, []).append(v)
    for _ in range(n):
        add("floor", timed(cl, "GET", srv.floor_path)[1])
    for _ in range(n):
        js, dt = timed(cl, "GET", "/v2.0/vpn/ikepolicies")
        assert len(js["ikepolicies"]) == 1, len(js["ikepolicies"])
        add("list_1", dt)
    for _ in range(n):
        add("show", timed(cl, "GET", "/v2.0/vpn/ikepolicies/" + base_id)[1])
    ids = []
    for i in range(100):
        js, dt = timed(cl, "POST", "/v2.0/vpn/ikepolicies", IKE(i + 1), want=(201,))
        ids.append(js["ikepolicy"]["id"])
        add("post", dt)
    for _ in range(n):
        js, dt = timed(cl, "GET", "/v2.0/vpn/ikepolicies")
        assert len(js["ikepolicies"]) == 101, len(js["ikepolicies"])
        add("list_101", dt)
    for i in ids:
        add("delete", timed(cl, "DELETE", "/v2.0/vpn/ikepolicies/" + i, want=(204,))[1])


def walkthrough(cl):
    walk = [s for s in NFX.STEPS if s[0] == "walkthrough"]
    cleanup = [s for s in NFX.STEPS if s[0] == "cleanup"]
    env, total = {}, 0.0
    for (_, name, method, path, body, bind, _why) in walk:
        st, js, dt = cl.call(method, NFX.subst(path, env), NFX.subst(body, env))
        if st not in (200, 201):
            raise RuntimeError(f"walkthrough {name}: {st} {js}")
        total += dt
        for var, dotted in bind.items():
            env[var] = NFX.dig(js, dotted)
    for (_, name, method, path, body, bind, _why) in cleanup:
        p = NFX.subst(path, env)
        if "{{" not in p:
            cl.call(method, p, NFX.subst(body, env))
    return total


def wrk(url, close):
    argv = ["wrk", "-t2", "-c16", f"-d{A.wrk_seconds}s", "--latency"]
    if close:
        argv += ["-H", "Connection: close"]
    argv.append(url)
    out = subprocess.run(argv, capture_output=True, text=True, timeout=A.wrk_seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockerr = re.search(r"Socket errors: (.*)", out)
    return {"req_per_s": rps, "requests": int(m.group(1)) if m else None,
            "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sockerr.group(1).strip() if sockerr else "", "raw": out}


def python_threads(url, path, conc=4, seconds=5.0):
    """The 4-thread figure of neutron-bench.py: new TCP connection per request."""
    stop = time.perf_counter() + seconds
    counts, errors = [0] * conc, [0] * conc

    def worker(k):
        c = NB.Client(url, {})
        while time.perf_counter() < stop:
            try:
                st, _, _ = c.call("GET", path)
                if st == 200:
                    counts[k] += 1
                else:
                    errors[k] += 1
            except Exception:
                errors[k] += 1
    t0 = time.perf_counter()
    th = [threading.Thread(target=worker, args=(k,)) for k in range(conc)]
    [x.start() for x in th]
    [x.join() for x in th]
    el = time.perf_counter() - t0
    return {"req_per_s": round(sum(counts) / el, 1), "requests": sum(counts), "errors": sum(errors)}


def med_ms(xs):
    return round(statistics.median(xs) * 1000, 3)


def main():
    res = {"method": "neutron-bench.py Client: sequential, new TCP connection per request, loopback",
           "rounds": A.rounds, "n": A.n, "agent": A.agent}
    ours, neu = Ours(), Neutron()
    ks = None
    try:
        # ---- start-to-ready. Ours, in the default keystone mode: from nothing (fresh data dir:
        # migrations, secret key, identity bootstrap with its password hash) and on an existing data
        # dir, several times each. Neutron: from nothing = neutron-peer.sh on a fresh
        # dir (MariaDB init + alembic migrations + uWSGI); existing = same dir again (MariaDB + uWSGI).
        ready = {"ours_fresh_s": [], "ours_existing_s": []}
        for i in range(A.ready_runs):
            ours.wipe()
            ready["ours_fresh_s"].append(round(ours.start(auth="keystone"), 4))
            ours.stop()
            ready["ours_existing_s"].append(round(ours.start(auth="keystone"), 4))
            ours.stop()
        ours.wipe()
        log("ours ready:", ready)
        ready["neutron_fresh"] = neu.start()
        log("neutron from nothing:", ready["neutron_fresh"])
        neu.stop(keep=True)
        ready["neutron_existing"] = neu.start(existing=True)
        log("neutron existing:", ready["neutron_existing"])
        try:
            ks = Keystone()
            ready["keystone_fresh"] = ks.start()
            log("keystone from nothing:", ready["keystone_fresh"])
        except Exception as e:  # optional: only adds Neutron's identity bootstrap to its figure
            ready["keystone_fresh"] = {"error": str(e)[:300]}
            ks = None
        finally:
            if ks:
                ks.stop()
                ks = None
        res["ready"] = ready
        ours.start()

        servers = [ours, neu]
        clients = {s.name: NB.Client(s.url, {}) for s in servers}
        base = {}
        # ---- warm-up: every worker initialised, every code path taken once
        for s in servers:
            cl = clients[s.name]
            for _ in range(30):
                timed(cl, "GET", s.floor_path)
                timed(cl, "GET", "/v2.0/vpn/ikepolicies")
            js, _ = timed(cl, "POST", "/v2.0/vpn/ikepolicies", IKE(0), want=(201,))
            base[s.name] = js["ikepolicy"]["id"]
            for i in range(10):
                js, _ = timed(cl, "POST", "/v2.0/vpn/ikepolicies", IKE(1000 + i), want=(201,))
                timed(cl, "GET", "/v2.0/vpn/ikepolicies/" + js["ikepolicy"]["id"])
                timed(cl, "DELETE", "/v2.0/vpn/ikepolicies/" + js["ikepolicy"]["id"], want=(204,))
            walkthrough(cl)
        # ---- latency, alternating rounds
        raw = {}
        for r in range(A.rounds):
            order = servers if r % 2 == 0 else servers[::-1]
            for s in order:
                t0 = time.perf_counter()
                latency_round(s, clients[s.name], base[s.name], A.n, raw)
                log(f"latency round {r} {s.name}: {time.perf_counter() - t0:.1f} s")
        lat = {}
        for s in servers:
            d = raw[s.name]
            floor = statistics.median(d["floor"])
            lat[s.name] = {k: {"median_ms": med_ms(v), "server_ms": round((statistics.median(v) - floor) * 1000, 3),
                               "p90_ms": NB.stats(v)["p90_ms"], "n": len(v)} for k, v in d.items()}
        res["latency"] = lat
        res["latency_raw_ms"] = {s: {k: [round(x * 1000, 3) for x in v] for k, v in d.items()} for s, d in raw.items()}
        # per-round medians, to show the spread between rounds
        per_round = {}
        for s in servers:
            for k, v in raw[s.name].items():
                per = len(v) // A.rounds
                per_round.setdefault(s.name, {})[k] = [med_ms(v[i * per:(i + 1) * per]) for i in range(A.rounds)]
        res["latency_per_round_median_ms"] = per_round

        # ---- throughput (GET one), alternating
        tp = {"wrk_best": {"ours": [], "neutron": []}, "wrk_close": {"ours": [], "neutron": []},
              "python4": {"ours": [], "neutron": []}}
        for r in range(A.tp_rounds):
            order = servers if r % 2 == 0 else servers[::-1]
            for s in order:
                u = s.url + "/v2.0/vpn/ikepolicies/" + base[s.name]
                # best mode: ours keep-alive; Neutron's uWSGI answers Connection: close anyway
                tp["wrk_best"][s.name].append(wrk(u, close=False))
                tp["wrk_close"][s.name].append(wrk(u, close=True))
                tp["python4"][s.name].append(python_threads(s.url, "/v2.0/vpn/ikepolicies/" + base[s.name]))
                log(f"throughput round {r} {s.name}:", tp["wrk_best"][s.name][-1]["req_per_s"],
                    tp["wrk_close"][s.name][-1]["req_per_s"], tp["python4"][s.name][-1]["req_per_s"])
        res["throughput"] = tp

        # ---- walkthrough, alternating
        walk = {"ours": [], "neutron": []}
        for r in range(A.walk):
            order = servers if r % 2 == 0 else servers[::-1]
            for s in order:
                walk[s.name].append(round(walkthrough(clients[s.name]), 5))
        res["walkthrough_s"] = walk
        log("walkthrough:", walk)

        # ---- RSS after the run
        res["rss"] = {"ours": ours.rss(), "neutron": neu.rss()}
        log("rss:", res["rss"])
        for s in servers:
            timed(clients[s.name], "DELETE", "/v2.0/vpn/ikepolicies/" + base[s.name], want=(204,))
    finally:
        ours.stop()
        neu.stop()
        if ks:
            ks.stop()
        shutil.rmtree(ours.work, ignore_errors=True)
    os.makedirs(os.path.dirname(os.path.abspath(A.out)), exist_ok=True)
    with open(A.out, "w") as f:
        json.dump(res, f, indent=1)
    log("wrote", A.out)


if __name__ == "__main__":
    main()
