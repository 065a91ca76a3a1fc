#!/usr/bin/env python3
"""Agents on several network hosts at scale (issue 13's benchmark): a controller (`vpnaasd all-in-one --no-agent`,
keystone mode) and two network hosts, each a network namespace plus a private mount namespace running its own
`vpnaasd agent` (the topology of scripts/e2e_remote_agent.py: underlay 192.168.200.0/24, provider segment
100.64.0.0/16 bridged across the hosts).

Stages (each builds its own controller and hosts, and removes them):
  curve  routers with a gateway only, 10 → 100 → 1000 in place (split over the two agents by the scheduler): at
         each size the agents' CPU when idle (per second) and per API write that changes one router (an extra
         route), the server's CPU per write, and the time to realise the routers added.
  vpn    100 routers (50 on each host, paired across the hosts), 10 connections per router = 1000 connections
         (IKEv2, distinct IKE ids per connection, 10 subnets on one side of each pair): first POST → all 1000 ACTIVE;
         agents' and charons' CPU when idle; agent CPU per API write at that size; then one host killed (its agent
         and charons SIGKILLed, its links down): the outage of each of its 500 connections (kill → ACTIVE again with
         an IKE_SA established after the kill, through the survivor); API GET-one latency (p50/p99) sampled all along.

  python3 bench/agents_bench.py .build/release/vpnaasd [--stages curve,vpn] [--out bench/out/agents.json]
Needs root and strongSwan (charon-systemd, swanctl). Standard library only.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
from e2e_topology import API, Host, charon_pids, link_hosts, stop_process, wait_for  # noqa: E402

SERVER = "http://192.168.200.1:9696"
HOST_ADDR = {"net-1": "192.168.200.2", "net-2": "192.168.200.3"}
PSK = "agents-bench-psk-0123456789"
DOWN_TIME = 9
TICK = os.sysconf("SC_CLK_TCK")
CONN = "/v2.0/vpn/ipsec-site-connections"


def log(msg):
    print(f"agents-bench: {msg}", file=sys.stderr, flush=True)


def cpu_seconds(pid):
    """utime + stime of one process, in seconds (0 when it is gone)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        return 0.0


def agent_charons(work, host):
    return charon_pids(os.path.join(work, f"agent-data-{host}"))


class Cloud:
    """The controller and the two network hosts, their processes and what they made."""

    def __init__(self, binary, work, name):
        self.binary, self.work, self.name = binary, work, name
        self.hosts, self.procs, self.agents = [], [], {}
        ctl, net1, net2 = Host("ctl"), Host("net-1"), Host("net-2")
        self.hosts += [ctl, net1, net2]
        self.ctl, self.net = ctl, {"net-1": net1, "net-2": net2}
        ctl.script("""
            ip link add br-under type bridge; ip link set br-under up; ip addr add 192.168.200.1/24 dev br-under
            ip link add br-seg type bridge; ip link set br-seg up
        """)
        for n, host in enumerate((net1, net2), start=1):
            link_hosts(ctl, f"under{n}", host, "under0")
            link_hosts(ctl, f"seg{n}", host, "seg0")
            ctl.script(f"ip link set under{n} master br-under up; ip link set seg{n} master br-seg up")
            host.script(f"""
                ip addr add {HOST_ADDR[host.name]}/24 dev under0; ip link set under0 up
                ip link add br-inet type bridge; ip link set br-inet up; ip link set seg0 master br-inet; ip link set seg0 up
            """)
        env = dict(os.environ, LOG_LEVEL="notice", VPNAAS_AGENT_DOWN_TIME=str(DOWN_TIME))
        for r in ("network", "subnet", "port", "router", "vpnservice", "endpoint_group", "ipsec_site_connection"):
            env[f"VPNAAS_QUOTA_{r.upper()}"] = "-1"
        data = os.path.join(work, f"{name}-ctl-data")
        self.ctl_log = os.path.join(work, f"{name}-controller.log")
        self.server = ctl.popen(binary, "all-in-one", "--no-agent", "--auth-strategy", "keystone", "--bind", "192.168.200.1:9696",
                                "--data-dir", data, stdout=open(self.ctl_log, "w"), stderr=subprocess.STDOUT, env=env)
        self.procs.append(self.server)
        self.api = API(SERVER, netns_pid=ctl.pid)
        if not wait_for(lambda: _healthy(self.api), timeout=30):
            raise RuntimeError("controller did not come up")
        self.password = open(os.path.join(data, "admin-password")).read().strip()
        self.api.login("admin", self.password, "admin")
        for host in (net1, net2):
            self.start_agent(host)
        if not wait_for(lambda: sum(a["alive"] for a in self.api.get("/v2.0/agents")["agents"]) == 2, timeout=30):
            raise RuntimeError("agents did not register")

    def start_agent(self, host):
        data = os.path.join(self.work, f"agent-data-{host.name}")
        env = dict(os.environ, LOG_LEVEL="notice", VPNAAS_PHYSICAL_NETWORK_MAPPINGS="public=bridge:br-inet",
                   VPNAAS_AGENT_CLEANUP_ON_EXIT="1", VPNAAS_AGENT_REPORT_INTERVAL="1",
                   VPNAAS_AGENT_USERNAME="admin", VPNAAS_AGENT_PASSWORD=self.password, VPNAAS_AGENT_PROJECT="admin",
                   VPNAAS_TUNNEL_LOCAL_IP=HOST_ADDR[host.name], VPNAAS_AGENT_FENCE_TIME="2")
        out = open(os.path.join(self.work, f"{self.name}-agent-{host.name}.log"), "a")
        proc = host.popen(self.binary, "agent", "--server", SERVER, "--host", host.name, "--data-dir", data,
                          stdout=out, stderr=subprocess.STDOUT, env=env)
        self.procs.append(proc)
        self.agents[host.name] = proc

    def agent_cpu(self):
        return {h: cpu_seconds(p.pid) for h, p in self.agents.items()}

    def charon_cpu(self):
        return sum(cpu_seconds(pid) for h in self.agents for pid in agent_charons(self.work, h))

    def server_cpu(self):
        return cpu_seconds(self.server.pid)

    def close(self):
        for h, p in self.agents.items():
            stop_process(p, timeout=120)
        for p in self.procs:
            stop_process(p)
        for h in self.agents:  # charons of a killed agent outlive it
            for pid in agent_charons(self.work, h):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        for h in self.hosts:
            h.close()


def _healthy(api):
    try:
        return api.call("GET", "/healthcheck")[0] == 200
    except Exception:
        return False


def provider(api):
    ext = api.post("/v2.0/networks", {"network": {"name": "provider", "router:external": True,
                   "provider:network_type": "flat", "provider:physical_network": "public"}})["network"]
    api.post("/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "100.64.0.0/16", "ip_version": 4,
             "gateway_ip": "100.64.0.1", "enable_dhcp": False,
             "allocation_pools": [{"start": "100.64.1.1", "end": "100.64.250.254"}]}})
    return ext


def parallel(fn, items, workers=8):
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


class Sampler:
    """GET-one latency of the API, sampled every 50 ms in the background, by phase."""

    def __init__(self, api, path):
        self.api, self.path, self.phase, self.samples = api, path, None, {}
        self.stop_flag = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop_flag:
            phase = self.phase
            if phase:
                t0 = time.perf_counter()
                try:
                    self.api.get(self.path)
                    self.samples.setdefault(phase, []).append((time.perf_counter() - t0) * 1000)
                except Exception:
                    self.samples.setdefault(phase + " errors", []).append(1)
            time.sleep(0.05)

    def stop(self):
        self.stop_flag = True
        self.thread.join()

    def summary(self):
        out = {}
        for phase, xs in self.samples.items():
            if phase.endswith("errors"):
                out[phase] = len(xs)
                continue
            xs = sorted(xs)
            out[phase] = {"n": len(xs), "p50_ms": round(statistics.median(xs), 2), "p99_ms": round(xs[int(len(xs) * 0.99) - 1 if len(xs) > 1 else 0], 2)}
        return out


def idle_cpu(cloud, seconds):
    """Per second of wall time: each agent's, the charons' and the server's CPU while nothing is written."""
    a0, c0, s0, t0 = cloud.agent_cpu(), cloud.charon_cpu(), cloud.server_cpu(), time.monotonic()
    time.sleep(seconds)
    a1, c1, s1, dt = cloud.agent_cpu(), cloud.charon_cpu(), cloud.server_cpu(), time.monotonic() - t0
    return {"agents_pct": {h: round(100 * (a1[h] - a0[h]) / dt, 2) for h in a0},
            "charons_pct": round(100 * (c1 - c0) / dt, 2), "server_pct": round(100 * (s1 - s0) / dt, 2), "seconds": round(dt, 1)}


def per_write_cpu(cloud, routers, writes, idle):
    """Agent CPU spent per API write that changes one router (an extra route on it), idle share subtracted;
    writes 0.5 s apart, each router at most once."""
    api = cloud.api
    a0, s0, t0 = cloud.agent_cpu(), cloud.server_cpu(), time.monotonic()
    for i, r in enumerate(routers[:writes]):
        api.put(f"/v2.0/routers/{r['id']}", {"router": {"routes": [{"destination": f"198.18.{i % 250}.0/24", "nexthop": "100.64.0.1"}]}})
        time.sleep(0.5)
    time.sleep(1.0)
    a1, s1, dt = cloud.agent_cpu(), cloud.server_cpu(), time.monotonic() - t0
    n = min(writes, len(routers))
    total = sum(a1[h] - a0[h] for h in a0) - dt * sum(idle["agents_pct"].values()) / 100
    return {"writes": n, "agents_ms_per_write": round(1000 * max(total, 0) / n, 2),
            "server_ms_per_write": round(1000 * ((s1 - s0) - dt * idle["server_pct"] / 100) / n, 2)}


def stage_curve(binary, work, sizes):
    cloud = Cloud(binary, work, "curve")
    res = []
    try:
        api = cloud.api
        ext = provider(api)
        routers = []
        for size in sizes:
            t0 = time.monotonic()
            new = parallel(lambda i: api.post("/v2.0/routers", {"router": {"name": f"r{i}", "external_gateway_info": {"network_id": ext["id"]}}})["router"],
                           range(len(routers), size))
            routers += new
            posted = time.monotonic() - t0
            want = {f"qrouter-{r['id']}" for r in routers}
            ok = wait_for(lambda: want <= set(cloud.net["net-1"].namespaces()) | set(cloud.net["net-2"].namespaces()), timeout=600, step=1)
            realised = time.monotonic() - t0
            spread = {h: len([r for r in routers if f"qrouter-{r['id']}" in cloud.net[h].namespaces()]) for h in cloud.net}
            time.sleep(3)
            idle = idle_cpu(cloud, 20)
            write = per_write_cpu(cloud, new[-20:] if len(new) >= 20 else routers[-20:], 20, idle)
            row = {"routers": size, "all_realised": bool(ok), "posting_s": round(posted, 2), "realised_s": round(realised, 2),
                   "per_host": spread, "idle": idle, "write": write}
            log(json.dumps(row))
            res.append(row)
    finally:
        cloud.close()
    return res


def stage_vpn(binary, work, routers_n, per_router):
    cloud = Cloud(binary, work, "vpn")
    out = {"routers": routers_n, "connections": routers_n * per_router}
    sampler = None
    try:
        api = cloud.api
        ext = provider(api)
        routers = parallel(lambda i: api.post("/v2.0/routers", {"router": {"name": f"r{i}", "external_gateway_info": {"network_id": ext["id"]}}})["router"],
                           range(routers_n))
        sampler = Sampler(api, f"/v2.0/routers/{routers[0]['id']}")
        sampler.phase = "setup"
        by_host = {}

        def placed():
            by_host.clear()
            for r in routers:
                agents = api.get(f"/v2.0/routers/{r['id']}/l3-agents")["agents"]
                by_host.setdefault(agents[0]["host"] if agents else "?", []).append(r)
            return "?" not in by_host

        wait_for(placed, timeout=60, step=0.5)
        out["per_host"] = {h: len(v) for h, v in by_host.items()}
        a_side, b_side = by_host.get("net-1", []), by_host.get("net-2", [])
        pairs = list(zip(a_side, b_side))
        if len(pairs) * 2 != routers_n:
            raise RuntimeError(f"routers not split evenly over the hosts: {out['per_host']}")
        ike = api.post("/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "ike", "ike_version": "v2", "encryption_algorithm": "aes-128",
                       "auth_algorithm": "sha256", "pfs": "group14"}})["ikepolicy"]
        ipsec = api.post("/v2.0/vpn/ipsecpolicies", {"ipsecpolicy": {"name": "ipsec", "encryption_algorithm": "aes-128",
                         "auth_algorithm": "sha256", "pfs": "group14"}})["ipsecpolicy"]

        def build_pair(k):
            a, b = pairs[k]
            na = api.post("/v2.0/networks", {"network": {"name": f"a{k}"}})["network"]
            sa = api.post("/v2.0/subnets", {"subnet": {"network_id": na["id"], "cidr": f"10.200.{k}.0/24", "ip_version": 4}})["subnet"]
            api.put(f"/v2.0/routers/{a['id']}/add_router_interface", {"subnet_id": sa["id"]})
            nb = api.post("/v2.0/networks", {"network": {"name": f"b{k}"}})["network"]
            sbs = []
            for j in range(per_router):
                sb = api.post("/v2.0/subnets", {"subnet": {"network_id": nb["id"], "cidr": f"10.{k}.{j}.0/24", "ip_version": 4}})["subnet"]
                api.put(f"/v2.0/routers/{b['id']}/add_router_interface", {"subnet_id": sb["id"]})
                sbs.append(sb)
            svc_a = api.post("/v2.0/vpn/vpnservices", {"vpnservice": {"name": f"a{k}", "router_id": a["id"]}})["vpnservice"]
            svc_b = api.post("/v2.0/vpn/vpnservices", {"vpnservice": {"name": f"b{k}", "router_id": b["id"]}})["vpnservice"]
            eg = lambda name, typ, eps: api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": name, "type": typ, "endpoints": eps}})["endpoint_group"]
            a_local = eg(f"a{k}-local", "subnet", [sa["id"]])
            b_peer = eg(f"b{k}-peer", "cidr", [f"10.200.{k}.0/24"])
            a_peers = [eg(f"a{k}-peer{j}", "cidr", [f"10.{k}.{j}.0/24"]) for j in range(per_router)]
            b_locals = [eg(f"b{k}-local{j}", "subnet", [sbs[j]["id"]]) for j in range(per_router)]
            svc_a = api.get(f"/v2.0/vpn/vpnservices/{svc_a['id']}")["vpnservice"]
            svc_b = api.get(f"/v2.0/vpn/vpnservices/{svc_b['id']}")["vpnservice"]
            conns = []
            for j in range(per_router):
                conns.append({"name": f"a{k}-{j}", "vpnservice_id": svc_a["id"], "ikepolicy_id": ike["id"], "ipsecpolicy_id": ipsec["id"],
                              "peer_address": svc_b["external_v4_ip"], "peer_id": f"@b{k}-{j}", "local_id": f"@a{k}-{j}", "psk": PSK,
                              "local_ep_group_id": a_local["id"], "peer_ep_group_id": a_peers[j]["id"]})
                conns.append({"name": f"b{k}-{j}", "vpnservice_id": svc_b["id"], "ikepolicy_id": ike["id"], "ipsecpolicy_id": ipsec["id"],
                              "peer_address": svc_a["external_v4_ip"], "peer_id": f"@a{k}-{j}", "local_id": f"@b{k}-{j}", "psk": PSK,
                              "local_ep_group_id": b_locals[j]["id"], "peer_ep_group_id": b_peer["id"]})
            return conns

        t0 = time.monotonic()
        bodies = [c for cs in parallel(build_pair, range(len(pairs))) for c in cs]
        out["setup_s"] = round(time.monotonic() - t0, 1)
        # Every router interface realised before the clock starts (not part of the figure).
        ok = wait_for(lambda: all(f"10.{k}.{per_router - 1}.1/24" in cloud.net["net-2"].run(
            "ip", "-n", f"qrouter-{b['id']}", "-4", "addr").stdout for k, (_, b) in enumerate(pairs[-3:], start=len(pairs) - len(pairs[-3:]))),
            timeout=300, step=1)
        time.sleep(3)
        log(f"setup done in {out['setup_s']} s (interfaces realised: {ok}); posting {len(bodies)} connections")
        sampler.phase = "ramp"
        t0 = time.monotonic()
        parallel(lambda body: api.post(CONN, {"ipsec_site_connection": body}), bodies)
        out["posting_s"] = round(time.monotonic() - t0, 2)
        counts = {}

        def all_active():
            cs = api.get(CONN + "?fields=id&fields=status")["ipsec_site_connections"]
            counts.clear()
            for c in cs:
                counts[c["status"]] = counts.get(c["status"], 0) + 1
            return counts.get("ACTIVE", 0) == len(bodies)

        done = wait_for(all_active, timeout=300, step=0.2)
        out["all_active"] = bool(done)
        out["all_active_s"] = round(time.monotonic() - t0, 2)
        out["states"] = dict(counts)
        log(f"{len(bodies)} connections: {counts} after {out['all_active_s']} s (posting {out['posting_s']} s)")
        sampler.phase = "idle"
        # Steady state: a connection is watched closely for its first 30 s up.
        time.sleep(35)
        out["idle"] = idle_cpu(cloud, 30)
        log(f"idle: {out['idle']}")
        sampler.phase = "writes"
        out["write"] = per_write_cpu(cloud, routers, 20, out["idle"])
        log(f"per write: {out['write']}")
        time.sleep(2)

        # One host dies: its agent and charons SIGKILLed, its links down.
        victim, survivor = "net-1", "net-2"
        moved = set()
        for c in api.get(CONN)["ipsec_site_connections"]:
            if c["name"].startswith("a"):
                moved.add(c["id"])
        sampler.phase = "failover"
        t_kill = time.time()
        t0 = time.monotonic()
        pids = agent_charons(cloud.work, victim)
        cloud.agents[victim].send_signal(signal.SIGKILL)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        cloud.net[victim].script("ip link set seg0 down; ip link set under0 down")
        back = {}
        deadline = t0 + 180
        marks = {}
        moved_ns = {f"qrouter-{a['id']}" for a, _ in pairs}
        while len(back) < len(moved) and time.monotonic() < deadline:
            now = time.monotonic() - t0
            if "all_routers_rebuilt_s" not in marks:
                have = moved_ns & set(cloud.net[survivor].namespaces())
                if have and "first_router_rebuilt_s" not in marks:
                    marks["first_router_rebuilt_s"] = round(now, 1)
                if have == moved_ns:
                    marks["all_routers_rebuilt_s"] = round(now, 1)
            for c in api.get(CONN + "?fields=id&fields=status")["ipsec_site_connections"]:
                if c["id"] in moved and c["id"] not in back and c["status"] == "ACTIVE":
                    st = api.get(f"{CONN}/{c['id']}/status")["ipsec_site_connection_status"]
                    est = st.get("established_at")
                    if est and _epoch(est) >= int(t_kill):
                        back[c["id"]] = now
            time.sleep(0.2)
        xs = sorted(back.values())
        out["failover"] = {"down_time_s": DOWN_TIME, "moved": len(moved), "back": len(back), **marks,
                           "outage_p50_s": round(statistics.median(xs), 1) if xs else None,
                           "outage_max_s": round(xs[-1], 1) if xs else None, "outage_min_s": round(xs[0], 1) if xs else None}
        log(f"failover: {out['failover']}")
        moved_hosts = {a["host"] for r in pairs for a in api.get(f"/v2.0/routers/{r[0]['id']}/l3-agents")["agents"]}
        out["failover"]["routers_now_on"] = sorted(moved_hosts)
        cloud.agents.pop(victim)
    finally:
        if sampler:
            sampler.stop()
            out["api_get_one"] = sampler.summary()
        cloud.close()
    return out


def _epoch(iso):
    import calendar
    return calendar.timegm(time.strptime(iso.replace("Z", "").split(".")[0], "%Y-%m-%dT%H:%M:%S"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--stages", default="curve,vpn")
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--routers", type=int, default=100)
    ap.add_argument("--per-router", type=int, default=10)
    ap.add_argument("--out", default=os.path.join(HERE, "out", "agents.json"))
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root")
    binary = os.path.abspath(a.binary)
    work = tempfile.mkdtemp(prefix="vpnaas-agents-bench.")
    os.chmod(work, 0o755)
    result = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout.strip()}
    stages = a.stages.split(",")
    try:
        if "curve" in stages:
            result["curve"] = stage_curve(binary, work, [int(x) for x in a.sizes.split(",")])
        if "vpn" in stages:
            result["vpn"] = stage_vpn(binary, work, a.routers, a.per_router)
    finally:
        print(json.dumps(result, indent=1))
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        json.dump(result, open(a.out, "w"), indent=1)
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"files kept in {work}")


if __name__ == "__main__":
    main()
