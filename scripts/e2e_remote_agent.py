#!/usr/bin/env python3
"""End-to-end test of an agent on another host: `vpnaasd all-in-one --no-agent` on a controller "host" (network +
mount namespace, scripts/e2e_topology.Host) and `vpnaasd agent --server URL --host net-1` on a network "host",
joined by an underlay veth (192.168.200.0/24). The network host has the provider bridge `br-inet` and, on it, a
plain strongSwan peer from a hand-written swanctl.conf (203.0.113.20, LAN 10.91.0.0/24).
Checks: the agent registers over HTTP and is listed alive; the router is scheduled to it and realised there (not on
the controller); the tunnel to the plain peer ACTIVE and pings both ways through it; a write reaches the agent
through its long-poll within a second; the agent killed (SIGKILL: its host lives): listed dead after the server's
down time, the tunnel keeps carrying traffic (namespaces and charon outlive the agent); restarted: it adopts them
and the tunnel stays ACTIVE; stopped with cleanup: its namespaces are gone; no PSK in either log.
Needs root, strongSwan. Standard library only.

Usage: e2e_remote_agent.py BINARY
Prints ok/FAIL lines, figures, and a final 'N passed, N failed'; removes everything it made.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_topology import (API, Capture, Host, PlainPeer, Tally, crash_detail, in_netns, kill_charons, link_hosts, ping,  # noqa: E402
                          stop_process, swanctl_conf, wait_for)

BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnaasd")
PSK = "remote-agent-psk-0123456789"
SERVER = "http://192.168.200.1:9696"
DOWN_TIME = 9  # ≥ fence 2 s + call timeout 5 s + report interval 1 s + resync 1 s: the documented bound
FENCE_TIME = 2
HOST_ADDR = {"net-1": "192.168.200.2", "net-2": "192.168.200.3"}
TALLY = Tally()
check = TALLY.check
figures = []


def figure(text):
    figures.append(text)
    print(f"     {text}", flush=True)


class RemoteAgent:
    def __init__(self, host, work, run, password, cleanup=False):
        self.data = os.path.join(work, f"agent-data-{host.name}")
        self.log_path = os.path.join(work, f"agent-{host.name}.{run}.log")
        self.log = open(self.log_path, "w")
        env = dict(os.environ, LOG_LEVEL="debug", VPNAAS_PHYSICAL_NETWORK_MAPPINGS="public=bridge:br-inet",
                   VPNAAS_AGENT_CLEANUP_ON_EXIT="1" if cleanup else "0", VPNAAS_AGENT_REPORT_INTERVAL="1",
                   VPNAAS_AGENT_USERNAME="admin", VPNAAS_AGENT_PASSWORD=password, VPNAAS_AGENT_PROJECT="admin",
                   VPNAAS_TUNNEL_LOCAL_IP=HOST_ADDR[host.name], VPNAAS_AGENT_FENCE_TIME=str(FENCE_TIME))
        self.proc = host.popen(BINARY, "agent", "--server", SERVER, "--host", host.name, "--data-dir", self.data,
                               stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def text(self):
        return open(self.log_path).read()


def main():
    if os.geteuid() != 0:
        print("FAIL: needs root\n0 passed, 1 failed")
        return 1
    work = tempfile.mkdtemp(prefix="vpnaas-remote.")
    os.chmod(work, 0o755)
    hosts, procs, peers = [], [], []
    logs = []
    try:
        run(work, hosts, procs, peers, logs)
    except Exception as e:
        import traceback
        traceback.print_exc()
        check("test ran to the end", False, crash_detail(e))
    finally:
        for p in peers:
            p.stop()
        for proc in procs:
            stop_process(proc)
        kill_charons(work)
        text = "".join(open(p).read() for p in logs if os.path.exists(p))
        check("no PSK in the controller's or the agent's logs (debug level)", PSK not in text)
        for h in hosts:
            h.close()
        if TALLY.failed:
            for p in logs:
                print(f"---- {p} (tail) ----")
                print(open(p).read()[-4000:])
            print(f"(files kept in {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in figures:
        print(f"figure: {f}")
    print(TALLY.summary())
    return 0 if TALLY.failed == 0 else 1


def run(work, hosts, procs, peers, logs):
    ctl, net1, net2 = Host("ctl"), Host("net-1"), Host("net-2")
    hosts += [ctl, net1, net2]
    ctl.script("""
        ip link add br-under type bridge; ip link set br-under up; ip addr add 192.168.200.1/24 dev br-under
        ip link add br-seg type bridge; ip link set br-seg up
        ip netns add peer-direct
        ip link add pd0 type veth peer name pd-br; ip link set pd0 netns peer-direct; ip link set pd-br master br-seg up
        ip netns exec peer-direct sh -ec 'ip link set lo up; ip link set pd0 up; ip addr add 203.0.113.20/24 dev pd0
          ip link add lan0 type veth peer name lan1; ip link set lan1 up; ip link set lan0 up; ip addr add 10.91.0.1/24 dev lan0
          sysctl -qw net.ipv4.ip_forward=1'
    """)
    for n, (host, addr) in enumerate(((net1, HOST_ADDR["net-1"]), (net2, HOST_ADDR["net-2"])), start=1):
        link_hosts(ctl, f"under{n}", host, "under0")
        link_hosts(ctl, f"seg{n}", host, "seg0")
        ctl.script(f"ip link set under{n} master br-under up; ip link set seg{n} master br-seg up")
        host.script(f"""
            ip addr add {addr}/24 dev under0; ip link set under0 up
            ip link add br-inet type bridge; ip link set br-inet up; ip link set seg0 master br-inet; ip link set seg0 up
        """)

    ctl_log = os.path.join(work, "controller.log")
    logs.append(ctl_log)
    env = dict(os.environ, LOG_LEVEL="debug", VPNAAS_AGENT_DOWN_TIME=str(DOWN_TIME))
    ctl_data = os.path.join(work, "ctl-data")
    controller = ctl.popen(BINARY, "all-in-one", "--no-agent", "--auth-strategy", "keystone", "--bind", "192.168.200.1:9696",
                           "--data-dir", ctl_data, stdout=open(ctl_log, "w"), stderr=subprocess.STDOUT, env=env)
    procs.append(controller)
    api = API(SERVER, netns_pid=ctl.pid)
    ready = wait_for(lambda: _healthy(api), timeout=30)
    check("controller up (API only, keystone mode, no in-process agent)", ready)
    password = open(os.path.join(ctl_data, "admin-password")).read().strip()
    api.login("admin", password, "admin")

    agents = {}
    for host in (net1, net2):
        agents[host.name] = RemoteAgent(host, work, 1, password)
        procs.append(agents[host.name].proc)
        logs.append(agents[host.name].log_path)
    listed = wait_for(lambda: sorted(a["host"] for a in api.get("/v2.0/agents")["agents"] if a["alive"]) == ["net-1", "net-2"],
                      timeout=20)
    check("both remote agents logged in (admin user), registered over HTTP and are listed alive", listed,
          str(api.get("/v2.0/agents")))
    ids_by_host = {a["host"]: a["id"] for a in api.get("/v2.0/agents")["agents"]}

    ids = build(api)
    router = ids["router"]
    hosting = api.get(f"/v2.0/routers/{router}/l3-agents")["agents"]
    owner = hosting[0]["host"] if len(hosting) == 1 else "?"
    check("the router is scheduled to one remote agent", owner in ("net-1", "net-2"), str(hosting))
    home, other = (net1, net2) if owner == "net-1" else (net2, net1)
    qr = f"qrouter-{router}"
    realised = wait_for(lambda: qr in home.namespaces(), timeout=20)
    check("realised on its host only (not on the other host, not on the controller)",
          realised and qr not in other.namespaces() and qr not in ctl.namespaces())

    # The workload sits on the other host than its router: the tenant network spans the hosts over VXLAN.
    probe = api.post("/v2.0/ports", {"port": {"network_id": ids["net"], "device_owner": "network:probe", "name": "probe",
                     "binding:host_id": other.name}})["port"]
    ids["probe"], ids["probe_ip"] = probe["id"], probe["fixed_ips"][0]["ip_address"]
    probe_ns = f"qprobe-{ids['probe']}"
    placed = wait_for(lambda: probe_ns in other.namespaces(), timeout=20)
    check("the workload (probe bound to the other host) is realised there only", placed and probe_ns not in home.namespaces())
    vni = api.get(f"/v2.0/networks/{ids['net']}")["network"]["provider:segmentation_id"]
    fdb = other.run("ip", "netns", "exec", "vpnaas-l2", "bridge", "fdb", "show", "dev", f"vx-{vni}").stdout
    check(f"VXLAN port vx-{vni} on the tenant bridge floods to the router's host", HOST_ADDR[home.name] in fdb, fdb.strip())
    lan_ip = ids["probe_ip"]
    peer = PlainPeer(ctl, "peer-direct", work, "direct", swanctl_conf(
        "203.0.113.20", "203.0.113.20", ids["gateway_ip"], ids["gateway_ip"], "10.91.0.0/24", "10.1.0.0/24", PSK))
    peers.append(peer)
    t0 = time.monotonic()
    conn = api.post("/v2.0/vpn/ipsec-site-connections", {"ipsec_site_connection": {
        "name": "to-peer", "vpnservice_id": ids["svc"], "ikepolicy_id": ids["ike"], "ipsecpolicy_id": ids["ipsec"],
        "local_ep_group_id": ids["local"], "peer_ep_group_id": ids["peer"], "peer_address": "203.0.113.20",
        "peer_id": "203.0.113.20", "psk": PSK, "dpd": {"action": "restart", "interval": 1, "timeout": 4}}})["ipsec_site_connection"]
    up = wait_for(lambda: status(api, conn["id"]) == "ACTIVE", timeout=30)
    check("tunnel to the plain peer ACTIVE, realised by the remote agent", up, status(api, conn["id"]))
    figure(f"connection create -> ACTIVE through the remote agent {time.monotonic() - t0:.3f} s")
    home_seg = "seg1" if home is net1 else "seg2"
    seg_cap = Capture(ctl.argv(mount=False), home_seg, os.path.join(work, "segment.pcap"))
    under_cap = Capture(ctl.argv(mount=False), "br-under", os.path.join(work, "underlay.pcap"), filt="udp port 4789")
    ok1 = ping(ctl, "peer-direct", lan_ip, source="10.91.0.1")
    ok2 = ping(other, probe_ns, "10.91.0.1")
    plain, esp, raw, _ = seg_cap.stop()
    _, _, _, vx_lines = under_cap.stop()
    check("ping peer LAN -> workload on the other host: through the tunnel, the router, then VXLAN", ok1, lan_ip)
    check("ping workload -> peer LAN back the same way", ok2)
    check("the provider segment carried ESP-in-UDP only (0 plaintext)", plain == 0 and esp > 0 and raw == 0,
          f"plaintext={plain} esp={esp} raw={raw}")
    check("the underlay carried the tenant traffic as VXLAN (UDP 4789) between the two hosts", len(vx_lines) > 0)
    detail = wait_for(lambda: (lambda d: d if d.get("ike_state") == "ESTABLISHED" and d.get("child_state") == "INSTALLED"
                                         and d.get("observed_at") else None)(
        api.get(f"/v2.0/vpn/ipsec-site-connections/{conn['id']}/status")["ipsec_site_connection_status"]), timeout=10)
    check("the controller's status sub-resource shows the remote agent's figures (IKE/CHILD state, observed time)", bool(detail),
          str(api.get(f"/v2.0/vpn/ipsec-site-connections/{conn['id']}/status")))
    with in_netns(ctl.pid), urllib.request.urlopen(SERVER + "/metrics", timeout=10) as r:
        metrics = r.read().decode()
    up_lines = [line for line in metrics.splitlines() if line.startswith("vpnaas_connection_up{") and conn["id"] in line]
    check("... and /metrics carries the connection as up", len(up_lines) == 1 and float(up_lines[0].split()[-1]) == 1.0, str(up_lines))
    figure(f"pings 3+3 across router host and workload host: {esp} ESP-in-UDP frames on the segment, 0 plaintext, "
           f"{len(vx_lines)} VXLAN frames on the underlay")

    # A write reaches the agent through its long-poll: admin-down the connection, it goes DOWN.
    t0 = time.monotonic()
    api.put(f"/v2.0/vpn/ipsec-site-connections/{conn['id']}", {"ipsec_site_connection": {"admin_state_up": False}})
    down = wait_for(lambda: status(api, conn["id"]) == "DOWN", timeout=10, step=0.01)
    figure(f"write on the controller -> the remote agent took the tunnel down {time.monotonic() - t0:.3f} s")
    check("a change reaches the remote agent without polling delay (admin down -> DOWN within 3 s)",
          down and time.monotonic() - t0 < 3.0)
    api.put(f"/v2.0/vpn/ipsec-site-connections/{conn['id']}", {"ipsec_site_connection": {"admin_state_up": True}})
    check("admin up again -> ACTIVE", wait_for(lambda: status(api, conn["id"]) == "ACTIVE", timeout=20))

    # The agent process dies but its host lives, and comes back within the down time: nothing moves.
    a = agents[owner]
    a.proc.send_signal(signal.SIGKILL)
    a.proc.wait()
    check("agent killed: the data plane keeps running (namespaces and charon outlive it)",
          qr in home.namespaces() and ping(other, probe_ns, "10.91.0.1"))
    agents[owner] = RemoteAgent(home, work, 2, password)
    procs.append(agents[owner].proc)
    logs.append(agents[owner].log_path)
    alive = wait_for(lambda: api.get(f"/v2.0/agents/{ids_by_host[owner]}")["agent"]["alive"], timeout=15)
    check("restarted: the same agent (same id) alive again; it adopts the router, the tunnel stays ACTIVE",
          alive and status(api, conn["id"]) == "ACTIVE" and ping(other, probe_ns, "10.91.0.1"))
    check("the router stayed where it was", [x["host"] for x in api.get(f"/v2.0/routers/{router}/l3-agents")["agents"]] == [owner])
    check("one agent per host (the restart did not register another)", len(api.get("/v2.0/agents")["agents"]) == 2)

    # The router's host loses the server (its underlay link down) but keeps running, its segment link up: it must
    # fence itself (after agent_fence_time) before the server moves the router (after agent_down_time), so the
    # gateway address is never answered by both hosts.
    t_cut = time.monotonic()
    home.script("ip link set under0 down")
    seen = {"old_gone": None, "new_up": None}

    def watch():
        now = time.monotonic() - t_cut
        if seen["old_gone"] is None and qr not in home.namespaces():
            seen["old_gone"] = now
        if seen["new_up"] is None and qr in other.namespaces():
            seen["new_up"] = now
        return seen["old_gone"] is not None and seen["new_up"] is not None

    wait_for(watch, timeout=DOWN_TIME + 15, step=0.05)
    old_gone, new_up = seen["old_gone"], seen["new_up"]
    check(f"server out of reach: the router's host fences itself after agent_fence_time ({FENCE_TIME} s)",
          old_gone is not None and old_gone < DOWN_TIME, f"gone at {old_gone}")
    check("failover: the router is rebuilt on the other host after the down time",
          new_up is not None and [x["host"] for x in api.get(f"/v2.0/routers/{router}/l3-agents")["agents"]] == [other.name])
    overlap = max(0.0, (old_gone or 99) - (new_up or 0)) if new_up is not None else 0.0
    check("the gateway address was never on both hosts at once (bound: 0 s)", old_gone is not None and new_up is not None
          and old_gone <= new_up, f"old gone {old_gone}, new up {new_up}")
    figure(f"fencing: old host removed the router {old_gone:.2f} s after losing the server, the other host built it at "
           f"{new_up:.2f} s (fence {FENCE_TIME} s, down time {DOWN_TIME} s): overlap {overlap:.2f} s")
    back = wait_for(lambda: status(api, conn["id"]) == "ACTIVE" and ping(ctl, "peer-direct", lan_ip, count=1, source="10.91.0.1"),
                    timeout=40, step=0.2)
    check("the peer's tunnel is ACTIVE again through the other host and pings resume, no tenant action", back)
    figure(f"server lost by the router's host -> tunnel back through the other host: outage {time.monotonic() - t_cut:.1f} s")
    check("... ping workload -> peer LAN (the router now beside it)", ping(other, probe_ns, "10.91.0.1"))

    # The link comes back: the fenced agent reaches the server again and rebuilds nothing that is not its own.
    home.script("ip link set under0 up")
    again = wait_for(lambda: api.get(f"/v2.0/agents/{ids_by_host[home.name]}")["agent"]["alive"], timeout=15)
    time.sleep(2)
    check("link back: the fenced agent is alive again and leaves the router to its new host",
          again and qr not in home.namespaces() and qr in other.namespaces() and status(api, conn["id"]) == "ACTIVE")

    # Now kill the router's (new) host outright: agent killed, every link down. The router moves back.
    t_kill = time.monotonic()
    agents[other.name].proc.send_signal(signal.SIGKILL)
    agents[other.name].proc.wait()
    other.script("ip link set seg0 down; ip link set under0 down")
    moved = wait_for(lambda: [x["host"] for x in api.get(f"/v2.0/routers/{router}/l3-agents")["agents"]] == [home.name],
                     timeout=DOWN_TIME + 10)
    check("host killed: after the down time the router moves back to the surviving host", moved)
    back = wait_for(lambda: status(api, conn["id"]) == "ACTIVE" and ping(ctl, "peer-direct", "10.1.0.1", count=1, source="10.91.0.1"),
                    timeout=40, step=0.2)
    outage = time.monotonic() - t_kill
    check("... the peer's tunnel ACTIVE through it, pings to the router's tenant address resume", back)
    figure(f"host killed -> tunnel back through the surviving host: outage {outage:.1f} s "
           f"(down time {DOWN_TIME} s + report interval 1 s + rebuild and IKE)")
    other = home  # the surviving agent is cleaned up below

    # A graceful stop with cleanup removes what the surviving agent made.
    stop_process(agents[other.name].proc)
    cleanup = RemoteAgent(other, work, 3, password, cleanup=True)
    procs.append(cleanup.proc)
    logs.append(cleanup.log_path)
    wait_for(lambda: status(api, conn["id"]) == "ACTIVE", timeout=15)
    time.sleep(1)
    stop_process(cleanup.proc)
    gone = wait_for(lambda: qr not in other.namespaces(), timeout=10)
    check("agent stopped with cleanup: its namespaces are gone, the operator's bridge stays",
          gone and other.run("ip", "link", "show", "br-inet").returncode == 0)


def _healthy(api):
    try:
        return api.call("GET", "/healthcheck")[0] == 200
    except Exception:
        return False


def status(api, conn_id):
    return api.get(f"/v2.0/vpn/ipsec-site-connections/{conn_id}")["ipsec_site_connection"]["status"]


def build(api):
    admin, p = "admin-project", "project-net1"
    ext = api.post("/v2.0/networks", {"network": {"name": "provider", "router:external": True,
                   "provider:network_type": "flat", "provider:physical_network": "public"}}, admin, "admin")["network"]
    api.post("/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "203.0.113.0/24", "ip_version": 4,
             "gateway_ip": "203.0.113.1", "enable_dhcp": False,
             "allocation_pools": [{"start": "203.0.113.100", "end": "203.0.113.149"}]}}, admin, "admin")
    net = api.post("/v2.0/networks", {"network": {"name": "tenant"}}, p)["network"]
    sub = api.post("/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": "10.1.0.0/24", "ip_version": 4}}, p)["subnet"]
    router = api.post("/v2.0/routers", {"router": {"name": "r", "external_gateway_info": {"network_id": ext["id"]}}}, p)["router"]
    api.put(f"/v2.0/routers/{router['id']}/add_router_interface", {"subnet_id": sub["id"]}, p)
    router = api.get(f"/v2.0/routers/{router['id']}", p)["router"]
    gateway_ip = router["external_gateway_info"]["external_fixed_ips"][0]["ip_address"]
    ike = api.post("/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "ike", "ike_version": "v2", "encryption_algorithm": "aes-256",
                   "auth_algorithm": "sha256", "pfs": "group14"}}, p)["ikepolicy"]
    ipsec = api.post("/v2.0/vpn/ipsecpolicies", {"ipsecpolicy": {"name": "ipsec", "encryption_algorithm": "aes-256",
                     "auth_algorithm": "sha256", "pfs": "group14"}}, p)["ipsecpolicy"]
    svc = api.post("/v2.0/vpn/vpnservices", {"vpnservice": {"name": "vpn", "router_id": router["id"]}}, p)["vpnservice"]
    local = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "local", "type": "subnet",
                     "endpoints": [sub["id"]]}}, p)["endpoint_group"]
    peer = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "peer", "type": "cidr",
                    "endpoints": ["10.91.0.0/24"]}}, p)["endpoint_group"]
    return dict(project=p, router=router["id"], net=net["id"], gateway_ip=gateway_ip, ike=ike["id"], ipsec=ipsec["id"],
                svc=svc["id"], local=local["id"], peer=peer["id"])


if __name__ == "__main__":
    sys.exit(main())
