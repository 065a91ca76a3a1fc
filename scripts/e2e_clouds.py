#!/usr/bin/env python3
"""End-to-end test of real external networks: two independent vpnaasd "clouds", each a host of its own
(network + mount namespace, scripts/e2e_topology.Host), their provider network `public` on an existing
Linux bridge `br-inet` (physical_network_mappings public=bridge:br-inet) and the two bridges joined by one
veth — the inter-cloud link. Cloud A is driven with the real `openstack` CLI (keystone mode), cloud B
through the API (noauth). On cloud B's segment also sit, in namespaces vpnaasd did not make:
  - an upstream router holding the provider gateway addresses 203.0.113.1 / 2001:db8::1,
  - a plain strongSwan peer from a hand-written swanctl.conf directly on the segment (203.0.113.20),
  - one beyond the upstream router (198.51.100.2, reached via the routers' default route; email id),
  - one behind an IPv4 masquerading router (192.168.77.2 behind 203.0.113.50; FQDN id; NAT-T on 4500).
Checks: the bad mapping (bridge missing at start) is an ERROR with its reason, logged once, and heals when
the bridge appears; IPv6/IKEv2 and IPv4/IKEv1 pairs between the clouds ACTIVE, time from the second side's
create to both ACTIVE, pings both ways, the inter-cloud link carries ESP-in-UDP only; the three plain
peers ACTIVE with pings both ways; wrong PSK on one side -> DOWN, no traffic, 0 plaintext, fixed -> ACTIVE;
the operator's bridge, its other ports and the foreign namespaces survive vpnaasd's exit.
Needs root, strongSwan, tcpdump, ../shared (the CLI pins). Standard library only.

Usage: e2e_clouds.py BINARY
Prints ok/FAIL lines, figures, and a final 'N passed, N failed'; removes everything it made.
"""
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_topology import Capture, Cloud, PlainPeer, Tally, linked_hosts, ping, swanctl_conf, teardown, crash_detail, wait_for  # noqa: E402

BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnaasd")
SHARED = os.environ.get("VPNAAS_SHARED", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
PSK = "clouds-psk-0123456789"
V4, V6 = "203.0.113.0/24", "2001:db8::/64"
POOLS = {"A": ("203.0.113.100", "203.0.113.149", "2001:db8::a:1", "2001:db8::a:ffff"),
         "B": ("203.0.113.150", "203.0.113.199", "2001:db8::b:1", "2001:db8::b:ffff")}
TENANT = {"A": ("2001:db8:1:33bc::/64", "10.1.0.0/24"), "B": ("2001:db8:1:33bd::/64", "10.2.0.0/24")}

TALLY = Tally()
check = TALLY.check
figures = []


def figure(text):
    figures.append(text)
    print(f"     {text}", flush=True)


# Polled closely: some checks measure how soon a state shows.
wait_for = functools.partial(wait_for, step=0.01)


def status(api, conn_id, project=None):
    return api.get(f"/v2.0/vpn/ipsec-site-connections/{conn_id}", project)["ipsec_site_connection"]["status"]


def detail(api, conn_id, project=None):
    return api.get(f"/v2.0/vpn/ipsec-site-connections/{conn_id}/status", project)["ipsec_site_connection_status"]


class OSC:
    """The real `openstack` CLI inside cloud A's host, with the clouds.yaml vpnaasd wrote."""

    def __init__(self, cloud):
        req = os.path.join(SHARED, "tools", "osc-requirements.txt")
        self.binary = subprocess.run(["bash", "scripts/osc-venv.sh", req], capture_output=True, text=True, check=True).stdout.strip()
        self.cloud = cloud
        self.env = dict(os.environ, OS_CLIENT_CONFIG_FILE=os.path.join(cloud.data, "clouds.yaml"), OS_CLOUD="vpnaas")

    def __call__(self, *args):
        # Only commands that print an object take -f (set/add print nothing).
        fmt = ["-f", "json"] if {"create", "show", "list"} & set(args) else []
        argv = self.cloud.host.argv(self.binary, *args, *fmt, mount=False)
        r = subprocess.run(argv, capture_output=True, text=True, env=self.env, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"openstack {' '.join(args)}: {r.stderr.strip()}")
        return json.loads(r.stdout) if r.stdout.strip() else None


def agents_api_checks(osc, ha, qrA, A, apiA, ca6, pa, B):
    """`openstack network agent list/show/set/delete` and `network agent add/remove router --l3`, unmodified:
    taking the router off its agent tears its namespace down (the tunnel goes DOWN), adding it back rebuilds
    it (ACTIVE, ping again); a disabled agent takes no routers; a live agent cannot be deleted."""
    router = A["router"]["id"]
    agents = osc("network", "agent", "list")
    one = agents[0] if len(agents) == 1 else {}
    check("agent list: cloud A's one L3 agent, alive and up, binary vpnaasd-agent",
          one.get("Agent Type") == "L3 agent" and one.get("Alive") is True and one.get("State") is True
          and one.get("Binary") == "vpnaasd-agent", str(agents))
    aid = one.get("ID", "")
    hosting = osc("network", "agent", "list", "--router", router)
    check("agent list --router: the router is scheduled to that agent", [a.get("ID") for a in hosting] == [aid], str(hosting))
    shown = osc("network", "agent", "show", aid)
    conf = shown.get("configuration") or shown.get("configurations") or {}
    check("agent show: heartbeat, host and the agent's own configurations",
          shown.get("host") and shown.get("last_heartbeat_at", shown.get("heartbeat_timestamp")) and conf.get("agent_mode") == "legacy"
          and conf.get("ipsec_backend") in ("xfrm", "libipsec"), str(shown))
    t0 = time.monotonic()
    osc("network", "agent", "remove", "router", "--l3", aid, router)
    gone = wait_for(lambda: qrA not in ha.namespaces() and status(apiA, ca6["id"]) == "DOWN", timeout=20)
    check("agent remove router: the agent tears the router down (namespace gone, tunnel DOWN: nothing realises it)", gone,
          f"{qrA in ha.namespaces()} {status(apiA, ca6['id'])}")
    figure(f"router removed from its agent -> namespace gone {time.monotonic() - t0:.3f} s")
    check("agent list --router: nobody hosts it now", osc("network", "agent", "list", "--router", router) == [])
    time.sleep(1.5)
    check("... and the scheduler does not put it back behind the admin's back", qrA not in ha.namespaces())
    t0 = time.monotonic()
    osc("network", "agent", "add", "router", "--l3", aid, router)
    up = wait_for(lambda: status(apiA, ca6["id"]) == "ACTIVE", timeout=30)
    check("agent add router: rebuilt and the tunnel ACTIVE again", up, status(apiA, ca6["id"]))
    figure(f"router added back to its agent -> tunnel ACTIVE {time.monotonic() - t0:.3f} s")
    check("agent add router: ping passes again", ping(ha, pa, addr(B["probe"], 6)))
    osc("network", "agent", "set", "--disable", aid)
    listed = osc("network", "agent", "list")
    check("agent set --disable: State down, still alive", listed and listed[0].get("State") is False and listed[0].get("Alive") is True,
          str(listed))
    check("a disabled agent keeps the routers it has", [a.get("ID") for a in osc("network", "agent", "list", "--router", router)] == [aid])
    osc("network", "agent", "remove", "router", "--l3", aid, router)
    # openstacksdk does not raise on this call's error answer (as against Neutron): the binding tells.
    osc("network", "agent", "add", "router", "--l3", aid, router)
    check("a disabled agent takes no routers", osc("network", "agent", "list", "--router", router) == [])
    check("... and the router's tunnel shows DOWN meanwhile", wait_for(lambda: status(apiA, ca6["id"]) == "DOWN", timeout=10),
          status(apiA, ca6["id"]))
    osc("network", "agent", "set", "--enable", aid)
    osc("network", "agent", "add", "router", "--l3", aid, router)
    check("enabled again: it takes the router, tunnel ACTIVE", wait_for(lambda: status(apiA, ca6["id"]) == "ACTIVE", timeout=30),
          status(apiA, ca6["id"]))
    try:
        osc("network", "agent", "delete", aid)
        refused = ""
    except RuntimeError as e:
        refused = str(e)
    check("agent delete of a live agent is refused with the reason", "alive" in refused, refused[-300:])
    check("... and the router stays with its agent",
          [a.get("ID") for a in osc("network", "agent", "list", "--router", router)] == [aid])


def provider_subnets(make, name):
    v4lo, v4hi, v6lo, v6hi = POOLS[name]
    return make(V6, "2001:db8::1", 6, v6lo, v6hi), make(V4, "203.0.113.1", 4, v4lo, v4hi)


def build_cloud_a(osc):
    """The user guide's walkthrough in cloud A, every step through the CLI (as the bootstrap admin)."""
    osc("network", "create", "provider", "--external", "--provider-network-type", "flat", "--provider-physical-network", "public")
    provider_subnets(lambda cidr, gw, v, lo, hi: osc(
        "subnet", "create", f"provider-v{v}", "--network", "provider", "--subnet-range", cidr, "--ip-version", str(v),
        "--gateway", gw, "--allocation-pool", f"start={lo},end={hi}", "--no-dhcp"), "A")
    v6, v4 = TENANT["A"]
    osc("network", "create", "vpnaas-left-network")
    osc("subnet", "create", "left-v6", "--network", "vpnaas-left-network", "--subnet-range", v6, "--ip-version", "6")
    osc("subnet", "create", "left-v4", "--network", "vpnaas-left-network", "--subnet-range", v4)
    osc("router", "create", "vpnaas-left-router")
    osc("router", "set", "vpnaas-left-router", "--external-gateway", "provider")
    osc("router", "add", "subnet", "vpnaas-left-router", "left-v6")
    osc("router", "add", "subnet", "vpnaas-left-router", "left-v4")
    osc("port", "create", "--network", "vpnaas-left-network", "--device-owner", "network:probe", "left-probe")
    for version in ("v2", "v1"):
        osc("vpn", "ike", "policy", "create", f"ike{version}", "--ike-version", version, "--encryption-algorithm", "aes-256",
            "--auth-algorithm", "sha256", "--pfs", "group14")
    osc("vpn", "ipsec", "policy", "create", "ipsecpolicy", "--encryption-algorithm", "aes-256", "--auth-algorithm", "sha256",
        "--pfs", "group14", "--transform-protocol", "esp")
    osc("vpn", "service", "create", "vpn", "--router", "vpnaas-left-router")
    osc("vpn", "endpoint", "group", "create", "local6", "--type", "subnet", "--value", "left-v6")
    osc("vpn", "endpoint", "group", "create", "local4", "--type", "subnet", "--value", "left-v4")
    osc("vpn", "endpoint", "group", "create", "peer6", "--type", "cidr", "--value", TENANT["B"][0])
    osc("vpn", "endpoint", "group", "create", "peer4", "--type", "cidr", "--value", TENANT["B"][1])
    # The objects as the API shows them (the CLI's -f json uses display names).
    api = osc.cloud.api
    return dict(router=api.get("/v2.0/routers?name=vpnaas-left-router")["routers"][0],
                probe=api.get("/v2.0/ports?name=left-probe")["ports"][0],
                svc=api.get("/v2.0/vpn/vpnservices?name=vpn")["vpnservices"][0])


def build_cloud_api(api, name="B", other="A"):
    """The same walkthrough in a cloud through the API (noauth, one project)."""
    side = "right" if name == "B" else "left"
    p, admin = f"project-{side}", "admin-project"
    ext = api.post("/v2.0/networks", {"network": {"name": "provider", "router:external": True,
                   "provider:network_type": "flat", "provider:physical_network": "public"}}, admin, "admin")["network"]
    provider_subnets(lambda cidr, gw, v, lo, hi: api.post("/v2.0/subnets", {"subnet": {
        "network_id": ext["id"], "cidr": cidr, "ip_version": v, "gateway_ip": gw, "enable_dhcp": False,
        "allocation_pools": [{"start": lo, "end": hi}], "name": f"provider-v{v}"}}, admin, "admin"), name)
    v6, v4 = TENANT[name]
    net = api.post("/v2.0/networks", {"network": {"name": f"vpnaas-{side}-network"}}, p)["network"]
    s6 = api.post("/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": v6, "ip_version": 6}}, p)["subnet"]
    s4 = api.post("/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": v4, "ip_version": 4}}, p)["subnet"]
    router = api.post("/v2.0/routers", {"router": {"name": f"vpnaas-{side}-router"}}, p)["router"]
    api.put(f"/v2.0/routers/{router['id']}", {"router": {"external_gateway_info": {"network_id": ext["id"]}}}, p)
    for s in (s6, s4):
        api.put(f"/v2.0/routers/{router['id']}/add_router_interface", {"subnet_id": s["id"]}, p)
    probe = api.post("/v2.0/ports", {"port": {"network_id": net["id"], "device_owner": "network:probe",
                     "project_id": p, "name": f"{side}-probe"}}, admin, "admin")["port"]
    ike = {v: api.post("/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": f"ike{v}", "ike_version": v,
           "encryption_algorithm": "aes-256", "auth_algorithm": "sha256", "pfs": "group14"}}, p)["ikepolicy"] for v in ("v2", "v1")}
    ipsec = api.post("/v2.0/vpn/ipsecpolicies", {"ipsecpolicy": {"name": "ipsecpolicy", "encryption_algorithm": "aes-256",
                     "auth_algorithm": "sha256", "pfs": "group14"}}, p)["ipsecpolicy"]
    svc = api.post("/v2.0/vpn/vpnservices", {"vpnservice": {"name": "vpn", "router_id": router["id"]}}, p)["vpnservice"]
    eg = lambda name, kind, values: api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {
        "name": name, "type": kind, "endpoints": values}}, p)["endpoint_group"]
    groups = dict(local6=eg("local6", "subnet", [s6["id"]]), local4=eg("local4", "subnet", [s4["id"]]),
                  peer6=eg("peer6", "cidr", [TENANT[other][0]]), peer4=eg("peer4", "cidr", [TENANT[other][1]]))
    svc = api.get(f"/v2.0/vpn/vpnservices/{svc['id']}", p)["vpnservice"]
    return dict(project=p, ext=ext, net=net, router=router, probe=probe, ike=ike, ipsec=ipsec, svc=svc, **groups)


def conn_b(api, B, name, peer_address, peer_id, ike="v2", local="local4", peer_group=None, peer_cidrs=None, psk=PSK,
           initiator="bi-directional", local_id=None):
    body = {"name": name, "vpnservice_id": B["svc"]["id"], "ikepolicy_id": B["ike"][ike]["id"],
            "ipsecpolicy_id": B["ipsec"]["id"], "peer_address": peer_address, "peer_id": peer_id, "psk": psk,
            "initiator": initiator, "local_ep_group_id": B[local]["id"]}
    if local_id:
        body["local_id"] = local_id
    if peer_group:
        body["peer_ep_group_id"] = B[peer_group]["id"]
    else:
        # Another endpoint group per plain peer, as a tenant would.
        body["peer_ep_group_id"] = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {
            "name": f"{name}-peer", "type": "cidr", "endpoints": peer_cidrs}}, B["project"])["endpoint_group"]["id"]
    return api.post("/v2.0/vpn/ipsec-site-connections", {"ipsec_site_connection": body}, B["project"])["ipsec_site_connection"]


def addr(port, family):
    return next(ip["ip_address"] for ip in port["fixed_ips"] if (":" in ip["ip_address"]) == (family == 6))


SEGMENT_SETUP = """
ip link add br-inet type bridge; ip link set br-inet up
ip link set ext0 master br-inet; ip link set ext0 up
plug() {  # plug NS ADDR... : a namespace with one port on br-inet
  ns=$1; shift
  ip netns add $ns; ip -n $ns link set lo up
  ip link add s-$ns type veth peer name eth0 netns $ns
  ip link set s-$ns master br-inet up; ip -n $ns link set eth0 up
  for a in "$@"; do case $a in *:*) ip -n $ns address add $a dev eth0 nodad;; *) ip -n $ns address add $a dev eth0;; esac; done
}
lan() {  # lan NS CIDR : the private network behind a plain peer (a veth looped inside: no dummy module needed)
  ip -n $1 link add lan0 type veth peer name lan1; ip -n $1 link set lan1 up; ip -n $1 link set lan0 up
  ip -n $1 address add $2 dev lan0
}
# The operator's upstream router: the provider gateway, and a network beyond it.
plug upstream 203.0.113.1/24 2001:db8::1/64
ip netns exec upstream sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip netns add far; ip -n far link set lo up
ip -n upstream link add down0 type veth peer name eth0 netns far
ip -n upstream link set down0 up; ip -n upstream address add 198.51.100.1/24 dev down0
ip -n far link set eth0 up; ip -n far address add 198.51.100.2/24 dev eth0; ip -n far route add default via 198.51.100.1
lan far 10.93.0.1/24
# A plain peer right on the segment.
plug direct 203.0.113.20/24; ip -n direct route add default via 203.0.113.1; lan direct 10.91.0.1/24
# A peer behind an IPv4 masquerading router.
plug nat 203.0.113.50/24; ip -n nat route add default via 203.0.113.1
ip netns exec nat sysctl -qw net.ipv4.ip_forward=1
ip netns add natpeer; ip -n natpeer link set lo up
ip -n nat link add in0 type veth peer name eth0 netns natpeer
ip -n nat link set in0 up; ip -n nat address add 192.168.77.1/24 dev in0
ip -n natpeer link set eth0 up; ip -n natpeer address add 192.168.77.2/24 dev eth0; ip -n natpeer route add default via 192.168.77.1
lan natpeer 10.92.0.1/24
ip netns exec nat nft -f - <<'EOF'
table ip masq {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "eth0" masquerade
  }
}
EOF
"""

FOREIGN = ["upstream", "far", "direct", "nat", "natpeer"]


def main():
    if os.geteuid() != 0:
        print("FAIL: needs root\n0 passed, 1 failed")
        return 1
    if not os.path.exists(os.path.join(SHARED, "tools", "osc-requirements.txt")):
        print(f"FAIL: {SHARED}/tools/osc-requirements.txt not found (set VPNAAS_SHARED)\n0 passed, 1 failed")
        return 1
    work = tempfile.mkdtemp(prefix="vpnaas-clouds.")
    os.chmod(work, 0o755)
    hosts, clouds, peers = [], [], []
    try:
        ha, hb = linked_hosts(hosts)
        # Cloud B first, before its bridge exists: the bad mapping case.
        B_cloud = Cloud("B", hb, work, "noauth", BINARY)
        clouds.append(B_cloud)
        run(work, ha, hb, B_cloud, clouds, peers)
    except Exception as e:
        import traceback
        traceback.print_exc()
        check("test ran to the end", False, crash_detail(e))
    finally:
        for c in clouds:
            c.stop()
        if clouds:
            logs = "".join(c.all_runs() for c in clouds)
            check("no PSK in either cloud's log (debug level)", PSK not in logs)
        teardown(peers, clouds, hosts)
        if TALLY.failed:
            for c in clouds:
                print(f"---- cloud {c.name} log (tail) ----")
                print(c.text()[-5000:])
            print(f"(files kept in {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in figures:
        print(f"figure: {f}")
    print(TALLY.summary())
    return 0 if TALLY.failed == 0 else 1


def run(work, ha, hb, B_cloud, clouds, peers):
    apiB = B_cloud.api
    B = build_cloud_api(apiB)
    p = B["project"]
    # The bridge is missing: the router is ERROR with the reason, logged once per change, not per pass.
    # This one identifies the cloud by an FQDN instead of its external IP (the default the others use).
    direct = conn_b(apiB, B, "direct", "203.0.113.20", "203.0.113.20", peer_cidrs=["10.91.0.0/24"], local_id="vpn.cloud-b.example.net")
    st = wait_for(lambda: status(apiB, direct["id"], p) == "ERROR" and status(apiB, direct["id"], p), timeout=10)
    reason = detail(apiB, direct["id"], p).get("last_error") or ""
    check("bridge missing: connection ERROR with the mapping as reason", st == "ERROR" and "bridge:br-inet" in reason
          and "no link br-inet" in reason, f"{st} {reason!r}")
    time.sleep(3)  # three resync passes
    lines = [l for l in B_cloud.text().splitlines() if "network realisation failed" in l]
    check("bridge missing: one error line per object, not one per pass", 1 <= len(lines) <= 3, f"{len(lines)} lines")

    hb.script(SEGMENT_SETUP)
    ha.script("ip link add br-inet type bridge; ip link set br-inet up; ip link set ext0 master br-inet; ip link set ext0 up")
    ok = wait_for(lambda: status(apiB, direct["id"], p) in ("DOWN", "ACTIVE"), timeout=10)
    check("bridge created: the router is realised without a restart", ok)
    check("recovery logged", "network problem resolved" in B_cloud.text())

    # Router ports on the operator's bridge; gateway address nowhere on it.
    qrB = f"qrouter-{B['router']['id']}"
    bridge_ports = hb.run("ip", "-j", "link", "show", "master", "br-inet").stdout
    gw = apiB.get(f"/v2.0/ports?device_id={B['router']['id']}&device_owner=network:router_gateway")["ports"][0]
    check("the router's gateway port is plugged into br-inet, from the agent's namespace",
          f"vp-{gw['id'][:11]}" in [l["ifname"] for l in json.loads(bridge_ports)], bridge_ports[:300])
    br_addrs = hb.run("ip", "-j", "address", "show", "dev", "br-inet").stdout
    check("br-inet carries no address of ours (the gateway is the upstream router's)",
          "203.0.113.1" not in br_addrs and "2001:db8::1\"" not in br_addrs)
    check("no vpnaas-pn-* namespace on a bridge: mapping", not any(n.startswith("vpnaas-pn-") for n in hb.namespaces()))
    route = hb.run("ip", "netns", "exec", qrB, "ip", "route", "get", "198.51.100.2").stdout
    check("a peer beyond the upstream router is routed via the provider gateway", "via 203.0.113.1" in route, route.strip())
    check("ARP: the router reaches the upstream gateway", ping(hb, qrB, "203.0.113.1", count=1))
    check("ND: the router reaches the IPv6 upstream gateway", ping(hb, qrB, "2001:db8::1", count=1))
    neigh = hb.run("ip", "netns", "exec", qrB, "ip", "neigh", "show", "2001:db8::1").stdout
    check("neighbour entry for 2001:db8::1 learnt", "lladdr" in neigh, neigh.strip())

    # ---- cloud A through the CLI (keystone mode) ----
    A_cloud = Cloud("A", ha, work, "keystone", BINARY)
    clouds.append(A_cloud)
    osc = OSC(A_cloud)
    apiA = A_cloud.api
    apiA.login("admin", open(os.path.join(A_cloud.data, "admin-password")).read().strip(), "admin")
    t0 = time.monotonic()
    A = build_cloud_a(osc)
    figure(f"cloud A walkthrough through the openstack CLI: {time.monotonic() - t0:.1f} s")
    qrA = f"qrouter-{A['router']['id']}"
    a6, a4 = A["svc"]["external_v6_ip"], A["svc"]["external_v4_ip"]
    b6, b4 = B["svc"]["external_v6_ip"], B["svc"]["external_v4_ip"]
    check("both services show external v4/v6 addresses from their own pools",
          all([a6, a4, b6, b4]) and a4.startswith("203.0.113.1") and b4 >= "203.0.113.150", f"{a4} {a6} {b4} {b6}")
    route = ha.run("ip", "netns", "exec", qrA, "ip", "route", "get", b4).stdout
    check("the other cloud is on-link (no gateway hop)", "via" not in route and "dev qg-" in route, route.strip())

    pairs = {}
    for fam, ike, peer, mine, peer_b in ((6, "v2", b6, a6, None), (4, "v1", b4, a4, None)):
        ca = osc("vpn", "ipsec", "site", "connection", "create", f"conn{fam}", "--vpnservice", "vpn", "--ikepolicy",
                 f"ike{ike}", "--ipsecpolicy", "ipsecpolicy", "--local-endpoint-group", f"local{fam}", "--peer-endpoint-group",
                 f"peer{fam}", "--peer-address", peer, "--peer-id", peer, "--psk", PSK)
        ca = {"id": ca.get("id") or ca["ID"]}
        t0 = time.monotonic()
        cb = conn_b(apiB, B, f"conn{fam}", mine, mine, ike=ike, local=f"local{fam}", peer_group=f"peer{fam}")
        up = wait_for(lambda: status(apiA, ca["id"]) == "ACTIVE" and status(apiB, cb["id"], p) == "ACTIVE", timeout=20)
        elapsed = time.monotonic() - t0
        label = f"IPv{fam}/IKE{ike}"
        check(f"{label} pair between the clouds ACTIVE on both sides", up)
        figure(f"{label}: second side's create -> both ACTIVE {elapsed:.3f} s (goal <= 1 s)")
        pairs[fam] = (ca, cb)

    pa, pb = f"qprobe-{A['probe']['id']}", f"qprobe-{B['probe']['id']}"
    for fam in (6, 4):
        cap = Capture(ha.argv(mount=False), "ext0", os.path.join(work, f"inter-{fam}.pcap"))
        ok1 = ping(ha, pa, addr(B["probe"], fam), count=5)
        ok2 = ping(hb, pb, addr(A["probe"], fam), count=5)
        plain, esp, raw, _ = cap.stop()
        check(f"IPv{fam}: ping cloud A -> cloud B through the tunnel", ok1)
        check(f"IPv{fam}: ping cloud B -> cloud A through the tunnel", ok2)
        check(f"IPv{fam}: the inter-cloud link carried ESP-in-UDP only (0 plaintext, 0 raw ESP)",
              plain == 0 and raw == 0 and esp >= 20, f"plaintext={plain} raw={raw} esp-in-udp={esp}")
        figure(f"IPv{fam} pings 5+5 ok={ok1 and ok2}; inter-cloud capture: {esp} ESP-in-UDP, {plain} plaintext, {raw} raw ESP")

    # ---- plain strongSwan peers ----
    peers.append(PlainPeer(hb, "direct", work, "direct", swanctl_conf(
        "203.0.113.20", "203.0.113.20", b4, "vpn.cloud-b.example.net", "10.91.0.0/24", TENANT["B"][1], PSK)))
    far = conn_b(apiB, B, "far", "198.51.100.2", "far@example.net", peer_cidrs=["10.93.0.0/24"])
    peers.append(PlainPeer(hb, "far", work, "far", swanctl_conf(
        "198.51.100.2", "far@example.net", b4, b4, "10.93.0.0/24", TENANT["B"][1], PSK)))
    natc = conn_b(apiB, B, "nat", "203.0.113.50", "natpeer.example.net", peer_cidrs=["10.92.0.0/24"], initiator="response-only")
    cap = Capture(hb.argv(mount=False), "br-inet", os.path.join(work, "nat.pcap"), "host 203.0.113.50")
    peers.append(PlainPeer(hb, "natpeer", work, "natpeer", swanctl_conf(
        None, "natpeer.example.net", b4, b4, "10.92.0.0/24", TENANT["B"][1], PSK)))
    probe4 = addr(B["probe"], 4)
    plain_peers = (("direct (cloud's local id an FQDN)", direct, "10.91.0.1", peers[0]), ("far (beyond the upstream router, email id)", far, "10.93.0.1", peers[1]),
                   ("behind NAT (FQDN id)", natc, "10.92.0.1", peers[2]))
    # All three at once: each one's time from its own swanctl load to ACTIVE as the API shows it.
    active_at = {}
    deadline = time.monotonic() + 20
    while len(active_at) < len(plain_peers) and time.monotonic() < deadline:
        for name, conn, _, _ in plain_peers:
            if name not in active_at and status(apiB, conn["id"], p) == "ACTIVE":
                active_at[name] = time.monotonic()
        time.sleep(0.01)
    for name, conn, lan, peer in plain_peers:
        check(f"plain strongSwan peer {name}: ACTIVE", name in active_at, detail(apiB, conn["id"], p).get("last_error") or "")
        if name in active_at:
            figure(f"plain peer {name}: ACTIVE {active_at[name] - peer.loaded_at:.3f} s after its swanctl --load-all")
        check(f"plain peer {name}: ping cloud -> peer", ping(hb, pb, lan))
        check(f"plain peer {name}: ping peer -> cloud", ping(hb, peer.ns, probe4, source=lan))
    plain, esp, raw, lines = cap.stop()
    check("NAT traversal: the NATed peer's traffic is ESP-in-UDP on 4500 from the NAT's address, 0 plaintext",
          plain == 0 and esp > 0 and any("203.0.113.50.4500 >" in l or "> 203.0.113.50.4500" in l for l in lines), f"esp={esp} plain={plain}")
    sas = peers[2].sas()
    check("NAT traversal: the peer sees itself behind NAT on port 4500", "192.168.77.2[4500]" in sas, sas[:400])

    # ---- wrong PSK on one side only ----
    ca6, cb6 = pairs[6]
    apiB.put(f"/v2.0/vpn/ipsec-site-connections/{cb6['id']}", {"ipsec_site_connection": {"psk": "wrong-psk-on-B-only"}}, p)
    down = wait_for(lambda: status(apiA, ca6["id"]) == "DOWN" and status(apiB, cb6["id"], p) == "DOWN", timeout=20)
    check("wrong PSK on cloud B only: both sides DOWN", down, f"{status(apiA, ca6['id'])} {status(apiB, cb6['id'], p)}")
    cap = Capture(ha.argv(mount=False), "ext0", os.path.join(work, "psk.pcap"))
    ok = ping(ha, pa, addr(B["probe"], 6), count=3)
    plain, esp, raw, _ = cap.stop()
    check("wrong PSK: no traffic passes, 0 plaintext frames on the inter-cloud link", not ok and plain == 0 and raw == 0,
          f"ping={ok} plaintext={plain}")
    figure(f"wrong PSK: ping ok={ok}, {plain} plaintext frames")
    t0 = time.monotonic()
    apiB.put(f"/v2.0/vpn/ipsec-site-connections/{cb6['id']}", {"ipsec_site_connection": {"psk": PSK}}, p)
    up = wait_for(lambda: status(apiA, ca6["id"]) == "ACTIVE" and status(apiB, cb6["id"], p) == "ACTIVE", timeout=30)
    check("PSK fixed: ACTIVE again on both sides", up)
    figure(f"PSK fixed -> both ACTIVE {time.monotonic() - t0:.3f} s")
    check("PSK fixed: ping passes again", ping(ha, pa, addr(B["probe"], 6)))

    # ---- the agents and L3-scheduler APIs through the real CLI, realised by cloud A's agent ----
    agents_api_checks(osc, ha, qrA, A, apiA, ca6, pa, B)

    # ---- cloud A again, now with its NIC mapped: public=interface:ext0 ----
    A_cloud.stop()
    check("cloud A stopped: its namespaces are gone, br-inet and ext0 untouched",
          not any(n.startswith(("qrouter-", "qprobe-", "vpnaas-")) for n in ha.namespaces())
          and [l["ifname"] for l in json.loads(ha.run("ip", "-j", "link", "show", "master", "br-inet").stdout)] == ["ext0"])
    # The operator dismantles the bridge; the NIC keeps an address of its own (the node's, not ours).
    ha.script("ip link set ext0 nomaster; ip link del br-inet; ip address add 192.0.2.99/24 dev ext0")
    restarted_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    A_cloud = Cloud("A", ha, work, "keystone", BINARY, mapping="public=interface:ext0", run=2)
    clouds.append(A_cloud)
    t0 = time.monotonic()
    # The stored status is the last one reported; a fresh IKE_SA (established after the restart) proves it.
    fresh = lambda ca: (lambda d: d.get("ike_state") == "ESTABLISHED" and d.get("child_state") == "INSTALLED"
                        and (d.get("established_at") or "") >= restarted_at)(detail(apiA, ca["id"]))
    up = wait_for(lambda: all(fresh(ca) and status(apiA, ca["id"]) == "ACTIVE" for ca, _ in pairs.values()), timeout=30)
    check("interface:ext0: both pairs ACTIVE again after the restart", up)
    figure(f"cloud A restarted on interface:ext0 -> both pairs ACTIVE {time.monotonic() - t0:.3f} s")
    net_a = apiA.get("/v2.0/networks?name=provider")["networks"][0]
    brq = f"brq{net_a['id'][:11]}"
    ports = [l["ifname"] for l in json.loads(ha.run("ip", "-j", "link", "show", "master", brq).stdout or "[]")]
    check("interface:ext0: the agent's bridge holds the NIC and the gateway port", "ext0" in ports
          and any(n.startswith("vp-") for n in ports), str(ports))
    ext0 = ha.run("ip", "-j", "address", "show", "dev", "ext0").stdout
    check("interface:ext0: the NIC's own address is untouched and none of ours is on it",
          "192.0.2.99" in ext0 and "203.0.113." not in ext0 and "2001:db8::" not in ext0, ext0[:300])
    check("interface:ext0: ping cloud A -> cloud B", ping(ha, pa, addr(B["probe"], 4)))
    check("interface:ext0: ping6 cloud B -> cloud A", ping(hb, pb, addr(A["probe"], 6)))
    A_cloud.stop()
    links = {l["ifname"]: l for l in json.loads(ha.run("ip", "-j", "link", "show").stdout)}
    check("interface:ext0: on exit the agent's bridge is gone and the NIC released, address intact",
          brq not in links and "ext0" in links and "master" not in links["ext0"]
          and "192.0.2.99" in ha.run("ip", "-j", "address", "show", "dev", "ext0").stdout, str(sorted(links)))

    # ---- what vpnaasd leaves alone ----
    for c in list(clouds):
        c.stop()
    clouds_left = hb.namespaces()
    check("after cloud B's vpnaasd exits: its own namespaces are gone",
          not any(n.startswith(("qrouter-", "qprobe-", "vpnaas-")) for n in clouds_left), str(clouds_left))
    check("... and the namespaces it did not make are all still there", all(n in clouds_left for n in FOREIGN), str(clouds_left))
    ports = [l["ifname"] for l in json.loads(hb.run("ip", "-j", "link", "show", "master", "br-inet").stdout)]
    check("... the operator's bridge is still there with exactly its own ports", sorted(ports) == sorted(
        ["ext0"] + [f"s-{n}" for n in ("upstream", "direct", "nat")]), str(ports))


if __name__ == "__main__":
    sys.exit(main())
