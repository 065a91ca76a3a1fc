#!/usr/bin/env python3
"""Dashboard overview render time with many connections in one project.

Starts its own vpnaasd all-in-one (embedded Keystone, --no-agent so statuses stay as created and nothing
touches the host) on a free loopback port and a temporary data dir, creates one project with N IPsec site
connections (default 1000) through the Neutron API, logs in to the dashboard through its login form, then
GETs /dashboard/ repeatedly and records the server's own time (the page's `Server-Timing: render;dur=`
header: session check, use-cases, rendering) and the client's round trip. Goal: median server time <= 50 ms.

Usage: dashboard_bench.py BINARY [--connections N] [--samples N] [--out FILE]
Standard library only. Prints one line per figure; exits non-zero if the goal is missed.
"""
import http.cookiejar
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
import time
import urllib.parse
import urllib.request


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


BINARY = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else ".build/release/vpnaasd"
N = int(arg("--connections", "1000"))
SAMPLES = int(arg("--samples", "50"))
OUT = arg("--out", os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "dashboard.json"))
GOAL_MS = 50.0
PASSWORD = "bench-admin-password"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class API:
    def __init__(self, base):
        self.base = base
        self.token = None

    def call(self, method, path, body=None, expect=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["X-Auth-Token"] = self.token
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode() if body is not None else None,
                                     method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            if expect and r.status != expect:
                raise RuntimeError(f"{method} {path}: {r.status}")
            return (json.loads(raw) if raw else None), r.headers

    def login(self, user, password, project):
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "password": password, "domain": {"id": "default"}}}},
            "scope": {"project": {"name": project, "domain": {"id": "default"}}}}}
        self.token = None
        _, headers = self.call("POST", "/v3/auth/tokens", body)
        self.token = headers["X-Subject-Token"]


def populate(api):
    api.login("admin", PASSWORD, "admin")
    project = api.call("POST", "/v3/projects", {"project": {"name": "bench"}})[0]["project"]["id"]
    user = api.call("POST", "/v3/users", {"user": {"name": "bench", "password": "bench-pw", "default_project_id": project}})[0]["user"]["id"]
    role = api.call("GET", "/v3/roles?name=member")[0]["roles"][0]["id"]
    api.call("PUT", f"/v3/projects/{project}/users/{user}/roles/{role}")
    # The default quota (100 connections per project) is below N: the operator raises it, as a real one would.
    api.call("PUT", f"/v2.0/quotas/{project}", {"quota": {"ipsec_site_connection": N + 10, "endpoint_group": 20}})
    ext = api.call("POST", "/v2.0/networks", {"network": {"name": "provider", "router:external": True}})[0]["network"]
    api.call("POST", "/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "203.0.113.0/24", "ip_version": 4}})
    api.login("bench", "bench-pw", "bench")
    net = api.call("POST", "/v2.0/networks", {"network": {"name": "bench-net"}})[0]["network"]
    sub = api.call("POST", "/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": "10.1.0.0/24", "ip_version": 4}})[0]["subnet"]
    router = api.call("POST", "/v2.0/routers", {"router": {"name": "bench-router", "external_gateway_info": {"network_id": ext["id"]}}})[0]["router"]
    api.call("PUT", f"/v2.0/routers/{router['id']}/add_router_interface", {"subnet_id": sub["id"]})
    ike = api.call("POST", "/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "ike"}})[0]["ikepolicy"]
    ipsec = api.call("POST", "/v2.0/vpn/ipsecpolicies", {"ipsecpolicy": {"name": "ipsec"}})[0]["ipsecpolicy"]
    svc = api.call("POST", "/v2.0/vpn/vpnservices", {"vpnservice": {"name": "vpn", "router_id": router["id"]}})[0]["vpnservice"]
    local = api.call("POST", "/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "local", "type": "subnet", "endpoints": [sub["id"]]}})[0]["endpoint_group"]
    peer = api.call("POST", "/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "peer", "type": "cidr", "endpoints": ["172.16.0.0/16"]}})[0]["endpoint_group"]
    t0 = time.monotonic()
    for i in range(N):
        addr = f"198.51.{100 + i // 250}.{1 + i % 250}"
        api.call("POST", "/v2.0/vpn/ipsec-site-connections", {"ipsec_site_connection": {
            "name": f"connection-{i:04d}", "vpnservice_id": svc["id"], "ikepolicy_id": ike["id"], "ipsecpolicy_id": ipsec["id"],
            "local_ep_group_id": local["id"], "peer_ep_group_id": peer["id"], "peer_address": addr, "peer_id": addr,
            "psk": "bench-psk-secret"}}, expect=201)
    return time.monotonic() - t0


def dashboard_opener(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/dashboard/login", timeout=30).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "user": "bench", "password": "bench-pw", "project": "bench"}).encode()
    opener.open(base + "/dashboard/login", data=form, timeout=30).read()
    return opener


def main():
    work = tempfile.mkdtemp(prefix="vpnaas-dashbench.")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "server.log"), "w")
    env = dict(os.environ, VPNAAS_BOOTSTRAP_PASSWORD=PASSWORD, LOG_LEVEL="warning")
    proc = subprocess.Popen([BINARY, "all-in-one", "--no-agent", "--data-dir", os.path.join(work, "data"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthcheck", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        create_s = populate(API(base))
        opener = dashboard_opener(base)
        server, wall, size = [], [], 0
        for i in range(SAMPLES + 5):
            t0 = time.perf_counter()
            r = opener.open(base + "/dashboard/", timeout=30)
            body = r.read()
            dt = (time.perf_counter() - t0) * 1000
            timing = r.headers.get("Server-Timing", "")
            m = re.search(r"dur=([0-9.]+)", timing)
            if r.status != 200 or not m or body.count(b'data-id="') < N:
                raise RuntimeError(f"bad overview page: {r.status} {timing} rows={body.count(b'data-id=')}")
            if i >= 5:  # warm-up
                server.append(float(m.group(1)))
                wall.append(dt)
                size = len(body)
        json_ms = []
        for i in range(10):
            t0 = time.perf_counter()
            opener.open(base + "/dashboard/overview.json", timeout=30).read()
            json_ms.append((time.perf_counter() - t0) * 1000)
        result = {
            "overview_json_ms_median": round(statistics.median(json_ms), 2),
            "binary": BINARY, "connections": N, "samples": SAMPLES, "create_seconds": round(create_s, 2),
            "server_ms_median": round(statistics.median(server), 2), "server_ms_p95": round(sorted(server)[int(len(server) * 0.95) - 1], 2),
            "wall_ms_median": round(statistics.median(wall), 2), "page_bytes": size, "goal_ms": GOAL_MS,
        }
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "w") as f:
            json.dump(result, f, indent=2)
        print(f"overview with {N} connections: server {result['server_ms_median']} ms median, {result['server_ms_p95']} ms p95; "
              f"round trip {result['wall_ms_median']} ms median; page {size} bytes; live JSON {result['overview_json_ms_median']} ms ({BINARY})")
        met = result["server_ms_median"] <= GOAL_MS
        print(f"goal <= {GOAL_MS} ms: {'met' if met else 'MISSED'}")
        return 0 if met else 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
