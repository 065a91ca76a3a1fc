#!/usr/bin/env python3
"""A write on one replica wakes the agent of another process, through PostgreSQL's LISTEN/NOTIFY.

On one PostgreSQL database (a fresh one in the cluster of $VPNAAS_TEST_PG_URL, dropped at the end) and one key
dir: process B is `vpnaasd all-in-one` with its agent, re-reading the whole state only every 60 s
(VPNAAS_AGENT_RESYNC_SECONDS=60); process A is `vpnaasd api` (no agent). Through A only: a provider network,
a tenant network, subnet and router with gateway and interface. Checks that B's agent realises the router (its
`qrouter-` namespace appears) well before any resync could have (goal: the write is heard within 100 ms; the
check allows 3 s for the pass itself on a loaded machine), that deleting it through A removes the namespace as
promptly, that B's log shows no database text leak and both processes stop by PID leaving no namespace.

Needs root (the agent makes namespaces; run it isolated: scripts/isolate.sh) and VPNAAS_TEST_PG_URL.
Usage: e2e_pg_wake.py BINARY
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Checks, crash_detail  # noqa: E402
from e2e_dataplane import free_port, namespaces, sh  # noqa: E402
from e2e_topology import API, stop_process  # noqa: E402

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnaasd"
check = Checks()


def start(argv, log, env):
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
    port = argv[argv.index("--bind") + 1].rsplit(":", 1)[1]
    api = API(f"http://127.0.0.1:{port}")
    for _ in range(600):
        try:
            api.call("GET", "/healthcheck")
            return proc, api
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError(f"{argv[1]} exited with {proc.returncode}")
            time.sleep(0.05)
    raise RuntimeError(f"{argv[1]} did not become ready")


def wait_until(predicate, timeout):
    """Seconds until predicate() held, or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if predicate():
            return time.monotonic() - t0
        time.sleep(0.01)
    return None


def main():
    admin_url = os.environ.get("VPNAAS_TEST_PG_URL", "")
    if os.geteuid() != 0 or not admin_url or not shutil.which("psql"):
        check("needs root, psql and VPNAAS_TEST_PG_URL (scripts/test.sh starts a cluster)", False)
        return check.exit_code()
    db = f"wake{os.getpid()}"
    host = urllib.parse.parse_qs(urllib.parse.urlparse(admin_url).query)["host"][0]
    url = f"postgresql://postgres@/{db}?host={host}"
    subprocess.run(["psql", "-q", admin_url, "-c", f"CREATE DATABASE {db}"], check=True)
    work = tempfile.mkdtemp(prefix="vpnaas-pgwake.")
    keys = os.path.join(work, "keys")
    before = set(namespaces())
    logs = {n: open(os.path.join(work, f"{n}.log"), "w") for n in ("A", "B")}
    procs = []
    try:
        env = dict(os.environ, LOG_LEVEL="info", VPNAAS_AGENT_RESYNC_SECONDS="60", VPNAAS_AGENT_CLEANUP_ON_EXIT="1")
        for k in ("VPNAAS_NO_AGENT", "VPNAAS_DATA_DIR", "VPNAAS_KEY_DIR", "VPNAAS_CONFIG", "VPNAAS_DATABASE"):
            env.pop(k, None)
        common = ["--database", url, "--key-dir", keys, "--auth-strategy", "noauth"]
        b, _ = start([BINARY, "all-in-one", "--data-dir", os.path.join(work, "b"), "--bind", f"127.0.0.1:{free_port()}"] + common,
                     logs["B"], env)
        procs.append(b)
        a, api = start([BINARY, "api", "--data-dir", os.path.join(work, "a"), "--bind", f"127.0.0.1:{free_port()}"] + common,
                       logs["A"], env)
        procs.append(a)
        # Let B's first passes (start-up, its own first resync) settle: from here on only a wake-up explains a pass.
        time.sleep(2)
        admin, p = "admin-project", "project-wake"
        ext = api.post("/v2.0/networks", {"network": {"name": "provider", "router:external": True,
                       "provider:network_type": "flat", "provider:physical_network": "public"}}, admin, "admin")["network"]
        api.post("/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "203.0.113.0/24", "ip_version": 4,
                 "gateway_ip": "203.0.113.1"}}, admin, "admin")
        net = api.post("/v2.0/networks", {"network": {"name": "wake-net"}}, p)["network"]
        sub = api.post("/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": "10.9.0.0/24", "ip_version": 4}}, p)["subnet"]
        router = api.post("/v2.0/routers", {"router": {"name": "wake-router",
                          "external_gateway_info": {"network_id": ext["id"]}}}, p)["router"]
        ns = f"qrouter-{router['id']}"
        api.put(f"/v2.0/routers/{router['id']}/add_router_interface", {"subnet_id": sub["id"]}, p)
        up = wait_until(lambda: ns in namespaces(), 20)
        check("a router written through replica A is realised by B's agent, woken by NOTIFY (resync is 60 s)",
              up is not None and up < 3, f"{up} s")
        print(f"figure: write on A -> router namespace on B {up if up is None else round(up, 3)} s", flush=True)
        api.put(f"/v2.0/routers/{router['id']}/remove_router_interface", {"subnet_id": sub["id"]}, p)
        api.put(f"/v2.0/routers/{router['id']}", {"router": {"external_gateway_info": {}}}, p)
        api.call("DELETE", f"/v2.0/routers/{router['id']}", project=p)
        gone = wait_until(lambda: ns not in namespaces(), 20)
        check("deleting it through A removes the namespace on B as promptly", up is not None and gone is not None and gone < 3, f"{gone} s")
        print(f"figure: delete on A -> namespace gone on B {gone if gone is None else round(gone, 3)} s", flush=True)
    except Exception as e:
        check("test ran to the end", False, crash_detail(e))
    finally:
        for proc in reversed(procs):
            stop_process(proc, timeout=20)
        for log in logs.values():
            log.close()
        leftover = [n for n in namespaces() if n not in before]
        for n in leftover:
            sh("ip", "netns", "delete", n)
        check("both processes stopped, no namespace left", not leftover, str(leftover))
        subprocess.run(["psql", "-q", admin_url, "-c", f"DROP DATABASE IF EXISTS {db}"])
        if check.failed:
            for n in ("A", "B"):
                print(f"---- {n}.log (tail) ----")
                print(open(os.path.join(work, f"{n}.log")).read()[-3000:])
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return check.exit_code()


if __name__ == "__main__":
    sys.exit(main())
