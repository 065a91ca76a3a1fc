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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_topology import API, Host, PlainPeer, Tally, crash_detail, link_hosts, stop_process, swanctl_conf  # noqa: E402

BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnaasd")
PSK = "remote-agent-psk-0123456789"
SERVER = "http://192.168.200.1:9696"
DOWN_TIME = 4
TALLY = Tally()
check = TALLY.check
figures = []


def figure(text):
    figures.append(text)
    print(f"     {text}", flush=True)


def wait_for(predicate, timeout=15.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


class RemoteAgent:
    def __init__(self, host, work, run):
        self.log_path = os.path.join(work, f"agent.{run}.log")
        self.log = open(self.log_path, "w")
        env = dict(os.environ, LOG_LEVEL="debug", VPNAAS_PHYSICAL_NETWORK_MAPPINGS="public=bridge:br-inet",
                   VPNAAS_AGENT_CLEANUP_ON_EXIT="0", VPNAAS_AGENT_REPORT_INTERVAL="1")
        self.proc = host.popen(BINARY, "agent", "--server", SERVER, "--host", "net-1", "--data-dir",
                               os.path.join(work, "agent-data"), stdout=self.log, stderr=subprocess.STDOUT, env=env)

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
    ctl, net1 = Host("ctl"), Host("net-1")
    hosts += [ctl, net1]
    link_hosts(ctl, "ctl0", net1, "ctl0")
    ctl.script("ip addr add 192.168.200.1/24 dev ctl0; ip link set ctl0 up")
    net1.script("ip addr add 192.168.200.2/24 dev ctl0; ip link set ctl0 up")
    # The provider segment on the network host: the operator's bridge and a plain strongSwan peer on it.
    net1.script("""
        ip link add br-inet type bridge; ip link set br-inet up
        ip netns add peer-direct
        ip link add pd0 type veth peer name pd-br; ip link set pd0 netns peer-direct
        ip link set pd-br master br-inet up
        ip netns exec peer-direct sh -ec 'ip link set lo up; ip link set pd0 up; ip addr add 203.0.113.20/24 dev pd0
          ip link add lan0 type veth peer name lan1; ip link set lan1 up; ip link set lan0 up; ip addr add 10.91.0.1/24 dev lan0
          sysctl -qw net.ipv4.ip_forward=1'
    """)

    ctl_log = os.path.join(work, "controller.log")
    logs.append(ctl_log)
    env = dict(os.environ, LOG_LEVEL="debug", VPNAAS_AGENT_DOWN_TIME=str(DOWN_TIME))
    controller = ctl.popen(BINARY, "all-in-one", "--no-agent", "--auth-strategy", "noauth", "--bind", "192.168.200.1:9696",
                           "--data-dir", os.path.join(work, "ctl-data"), stdout=open(ctl_log, "w"), stderr=subprocess.STDOUT,
                           env=env)
    procs.append(controller)
    api = API(SERVER, netns_pid=ctl.pid)
    ready = wait_for(lambda: _healthy(api), timeout=30)
    check("controller up (API only, no in-process agent)", ready)

    agent = RemoteAgent(net1, work, 1)
    procs.append(agent.proc)
    logs.append(agent.log_path)
    listed = wait_for(lambda: [a for a in api.get("/v2.0/agents")["agents"] if a["host"] == "net-1" and a["alive"]], timeout=20)
    check("the remote agent registered over HTTP and is listed alive", bool(listed), str(api.get("/v2.0/agents")))
    agent_id = listed[0]["id"] if listed else ""

    ids = build(api)
    router = ids["router"]
    hosting = api.get(f"/v2.0/routers/{router}/l3-agents")["agents"]
    check("the router is scheduled to the remote agent", [a["id"] for a in hosting] == [agent_id], str(hosting))
    qr = f"qrouter-{router}"
    realised = wait_for(lambda: qr in net1.namespaces(), timeout=20)
    check("realised on the network host, not on the controller", realised and qr not in ctl.namespaces())

    lan_ip = ids["probe_ip"]
    peer = PlainPeer(net1, "peer-direct", work, "direct", swanctl_conf(
        "203.0.113.20", "203.0.113.20", ids["gateway_ip"], ids["gateway_ip"], "10.91.0.0/24", "10.1.0.0/24", PSK))
    peers.append(peer)
    t0 = time.monotonic()
    conn = api.post("/v2.0/vpn/ipsec-site-connections", {"ipsec_site_connection": {
        "name": "to-peer", "vpnservice_id": ids["svc"], "ikepolicy_id": ids["ike"], "ipsecpolicy_id": ids["ipsec"],
        "local_ep_group_id": ids["local"], "peer_ep_group_id": ids["peer"], "peer_address": "203.0.113.20",
        "peer_id": "203.0.113.20", "psk": PSK}}, ids["project"])["ipsec_site_connection"]
    up = wait_for(lambda: status(api, conn["id"]) == "ACTIVE", timeout=30)
    check("tunnel to the plain peer ACTIVE, realised by the remote agent", up, status(api, conn["id"]))
    figure(f"connection create -> ACTIVE through the remote agent {time.monotonic() - t0:.3f} s")
    probe_ns = f"qprobe-{ids['probe']}"
    check("ping peer LAN -> tenant probe through the tunnel",
          ping(net1, "peer-direct", lan_ip, source="10.91.0.1"), lan_ip)
    check("ping tenant probe -> peer LAN through the tunnel", ping(net1, probe_ns, "10.91.0.1"))

    # A write reaches the agent through its long-poll: admin-down the connection, it goes DOWN.
    t0 = time.monotonic()
    api.put(f"/v2.0/vpn/ipsec-site-connections/{conn['id']}", {"ipsec_site_connection": {"admin_state_up": False}}, ids["project"])
    down = wait_for(lambda: status(api, conn["id"]) == "DOWN", timeout=10, step=0.01)
    figure(f"write on the controller -> the remote agent took the tunnel down {time.monotonic() - t0:.3f} s")
    check("a change reaches the remote agent without polling delay (admin down -> DOWN within 3 s)",
          down and time.monotonic() - t0 < 3.0)
    api.put(f"/v2.0/vpn/ipsec-site-connections/{conn['id']}", {"ipsec_site_connection": {"admin_state_up": True}}, ids["project"])
    check("admin up again -> ACTIVE", wait_for(lambda: status(api, conn["id"]) == "ACTIVE", timeout=20))

    # The agent dies, its host lives: the data plane keeps running; the server sees the agent dead.
    agent.proc.send_signal(signal.SIGKILL)
    agent.proc.wait()
    t0 = time.monotonic()
    dead = wait_for(lambda: not api.get(f"/v2.0/agents/{agent_id}")["agent"]["alive"], timeout=DOWN_TIME + 5)
    check(f"agent killed: listed dead after the server's down time ({DOWN_TIME} s)", dead)
    figure(f"agent killed -> listed dead {time.monotonic() - t0:.1f} s (down time {DOWN_TIME} s, report interval 1 s)")
    check("... while its namespaces and charon keep carrying the tunnel",
          qr in net1.namespaces() and ping(net1, probe_ns, "10.91.0.1"))

    agent2 = RemoteAgent(net1, work, 2)
    procs.append(agent2.proc)
    logs.append(agent2.log_path)
    alive = wait_for(lambda: api.get(f"/v2.0/agents/{agent_id}")["agent"]["alive"], timeout=15)
    check("restarted: the same agent (same id) is alive again", alive)
    check("... adopts the router and the tunnel stays ACTIVE", wait_for(lambda: status(api, conn["id"]) == "ACTIVE", timeout=15)
          and ping(net1, probe_ns, "10.91.0.1"))
    agents = api.get("/v2.0/agents")["agents"]
    check("one agent per host (the restart did not register a second)", len(agents) == 1, str(agents))

    # A graceful stop with cleanup removes what it made.
    stop_process(agent2.proc)
    cleanup = net1.popen(BINARY, "agent", "--server", SERVER, "--host", "net-1", "--data-dir", os.path.join(work, "agent-data"),
                         stdout=open(os.path.join(work, "agent.3.log"), "w"), stderr=subprocess.STDOUT,
                         env=dict(os.environ, VPNAAS_PHYSICAL_NETWORK_MAPPINGS="public=bridge:br-inet",
                                  VPNAAS_AGENT_CLEANUP_ON_EXIT="1", VPNAAS_AGENT_REPORT_INTERVAL="1"))
    procs.append(cleanup)
    logs.append(os.path.join(work, "agent.3.log"))
    wait_for(lambda: status(api, conn["id"]) == "ACTIVE", timeout=15)
    time.sleep(1)
    stop_process(cleanup)
    gone = wait_for(lambda: qr not in net1.namespaces(), timeout=10)
    check("agent stopped with cleanup: its namespaces are gone, the operator's bridge and peer stay",
          gone and "peer-direct" in net1.namespaces() and net1.run("ip", "link", "show", "br-inet").returncode == 0)


def _healthy(api):
    try:
        return api.call("GET", "/healthcheck")[0] == 200
    except Exception:
        return False


def status(api, conn_id):
    return api.get(f"/v2.0/vpn/ipsec-site-connections/{conn_id}")["ipsec_site_connection"]["status"]


def ping(host, ns, address, count=3, source=None):
    argv = ["ip", "netns", "exec", ns, "ping", "-c", str(count), "-i", "0.2", "-W", "1"]
    if source:
        argv += ["-I", source]
    return host.run(*(argv + [address])).returncode == 0


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
    probe = api.post("/v2.0/ports", {"port": {"network_id": net["id"], "device_owner": "network:probe",
                     "project_id": p, "name": "probe"}}, admin, "admin")["port"]
    ike = api.post("/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "ike", "ike_version": "v2", "encryption_algorithm": "aes-256",
                   "auth_algorithm": "sha256", "pfs": "group14"}}, p)["ikepolicy"]
    ipsec = api.post("/v2.0/vpn/ipsecpolicies", {"ipsecpolicy": {"name": "ipsec", "encryption_algorithm": "aes-256",
                     "auth_algorithm": "sha256", "pfs": "group14"}}, p)["ipsecpolicy"]
    svc = api.post("/v2.0/vpn/vpnservices", {"vpnservice": {"name": "vpn", "router_id": router["id"]}}, p)["vpnservice"]
    local = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "local", "type": "subnet",
                     "endpoints": [sub["id"]]}}, p)["endpoint_group"]
    peer = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "peer", "type": "cidr",
                    "endpoints": ["10.91.0.0/24"]}}, p)["endpoint_group"]
    return dict(project=p, router=router["id"], gateway_ip=gateway_ip, probe=probe["id"],
                probe_ip=probe["fixed_ips"][0]["ip_address"], ike=ike["id"], ipsec=ipsec["id"], svc=svc["id"],
                local=local["id"], peer=peer["id"])


if __name__ == "__main__":
    sys.exit(main())
