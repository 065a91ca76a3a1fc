#!/usr/bin/env python3
"""iperf3 through the two-cloud tunnel vs a hand-configured strongSwan pair on the same topology, same run.

The topology of scripts/e2e_clouds.py: two hosts (network + mount namespaces), each with an operator's bridge
br-inet (`public=bridge:br-inet`), joined by one veth. "ours": a vpnaasd cloud on each host, an IPv4/IKEv2
connection pair between their routers, iperf3 from cloud A's probe to cloud B's probe. "hand": on the same two
bridges, a gateway namespace per host running charon-systemd with a hand-written swanctl.conf (same
proposals: aes256-sha256-modp2048, userspace ESP in UDP 4500), each with a LAN namespace behind it; iperf3
LAN to LAN. Both paths are probe -> forwarding router namespace -> charon -> wire. Rounds alternate; both sets
of charons run in sessions of their own (as the agent starts them), iperf3 in this one. Needs root, iperf3.

Usage: clouds_bench.py --binary .build/debug/vpnaasd --out bench/out/clouds.json [--rounds 5 --seconds 10]
(bench/run passes its release build; the figure records both vpnaasd's CPU during our rounds, since their
agent passes compete with charon for the CPU.)
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from e2e_topology import Cloud, PlainPeer, linked_hosts, stop_process, swanctl_conf, teardown  # noqa: E402
from e2e_clouds import addr, build_cloud_api, conn_b, status, wait_for  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--binary", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_CLOUDS_ROUNDS", "5")))
ap.add_argument("--seconds", type=int, default=10)
A = ap.parse_args()
PSK = "bench-clouds-psk-0123456789"

HAND = """
ip link add br-inet type bridge; ip link set br-inet up; ip link set ext0 master br-inet; ip link set ext0 up
ip netns add hand-gw; ip netns add hand-lan
ip -n hand-gw link set lo up; ip -n hand-lan link set lo up
ip link add h-gw type veth peer name eth0 netns hand-gw
ip link set h-gw master br-inet up; ip -n hand-gw link set eth0 up; ip -n hand-gw address add {wan}/24 dev eth0
ip -n hand-gw link add lan0 type veth peer name eth0 netns hand-lan
ip -n hand-gw link set lan0 up; ip -n hand-gw address add {lan}.1/24 dev lan0
ip -n hand-lan link set eth0 up; ip -n hand-lan address add {lan}.2/24 dev eth0; ip -n hand-lan route add default via {lan}.1
ip netns exec hand-gw sysctl -qw net.ipv4.ip_forward=1
"""


def log(*a):
    print("clouds-bench:", *a, file=sys.stderr, flush=True)


def iperf(client, client_ns, server, server_ns, address, seconds):
    srv = server.popen("ip", "netns", "exec", server_ns, "iperf3", "-s", "-1", "-p", "5201",
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.3)
        r = client.run("ip", "netns", "exec", client_ns, "iperf3", "-c", address, "-p", "5201", "-t", str(seconds), "-J",
                       timeout=seconds + 30)
        js = json.loads(r.stdout)
        if "error" in js:
            raise RuntimeError("iperf3: " + js["error"])
        return round(js["end"]["sum_received"]["bits_per_second"] / 1e6, 1)
    finally:
        stop_process(srv, timeout=5)


def cpu_seconds(pids):
    """utime + stime of these processes (vpnaasd: its agent passes compete with charon for the CPU)."""
    total = 0
    for pid in pids:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def main():
    work = tempfile.mkdtemp(prefix="vpnaas-clouds-bench.")
    os.chmod(work, 0o755)
    hosts, clouds, peers = [], [], []
    try:
        ha, hb = linked_hosts(hosts)
        ha.script(HAND.format(wan="203.0.113.30", lan="10.61.0"))
        hb.script(HAND.format(wan="203.0.113.31", lan="10.62.0"))
        ca, cb = (Cloud(n, h, work, "noauth", A.binary, log_level="info") for n, h in (("A", ha), ("B", hb)))
        clouds += [ca, cb]
        sa, sb = build_cloud_api(ca.api, "A", "B"), build_cloud_api(cb.api, "B", "A")
        a4, b4 = sa["svc"]["external_v4_ip"], sb["svc"]["external_v4_ip"]
        c1 = conn_b(ca.api, sa, "bench", b4, b4, peer_group="peer4", psk=PSK)
        c2 = conn_b(cb.api, sb, "bench", a4, a4, peer_group="peer4", psk=PSK)
        if not wait_for(lambda: status(ca.api, c1["id"], sa["project"]) == "ACTIVE"
                        and status(cb.api, c2["id"], sb["project"]) == "ACTIVE", timeout=30):
            raise RuntimeError("the two-cloud tunnel did not come up")
        peers.append(PlainPeer(ha, "hand-gw", work, "handA", swanctl_conf(
            "203.0.113.30", "203.0.113.30", "203.0.113.31", "203.0.113.31", "10.61.0.0/24", "10.62.0.0/24", PSK)))
        peers.append(PlainPeer(hb, "hand-gw", work, "handB", swanctl_conf(
            "203.0.113.31", "203.0.113.31", "203.0.113.30", "203.0.113.30", "10.62.0.0/24", "10.61.0.0/24", PSK)))
        if not wait_for(lambda: "INSTALLED" in peers[0].sas(), timeout=30, step=0.2):
            raise RuntimeError("the hand-configured tunnel did not come up")
        pa, pb = f"qprobe-{sa['probe']['id']}", f"qprobe-{sb['probe']['id']}"
        ours, hand, agent_cpu = [], [], []
        pids = [c.proc.pid for c in clouds]
        for i in range(A.rounds):
            # Alternate which goes first: on a busy machine the load drifts within a round.
            for which in (("ours", "hand") if i % 2 == 0 else ("hand", "ours")):
                if which == "ours":
                    before = cpu_seconds(pids)
                    ours.append(iperf(ha, pa, hb, pb, addr(sb["probe"], 4), A.seconds))
                    agent_cpu.append(round(100 * (cpu_seconds(pids) - before) / A.seconds, 1))
                else:
                    hand.append(iperf(ha, "hand-lan", hb, "hand-lan", "10.62.0.2", A.seconds))
            log(f"round {i + 1}: ours {ours[-1]} Mbit/s, hand {hand[-1]} Mbit/s, both vpnaasd {agent_cpu[-1]} % CPU")
        result = {"rounds": A.rounds, "seconds": A.seconds, "ours_mbit_s": ours, "hand_mbit_s": hand,
                  "vpnaasd_cpu_percent_during_ours": agent_cpu, "load_at_end": open("/proc/loadavg").read().split()[0],
                  "ours_p50": statistics.median(ours), "hand_p50": statistics.median(hand),
                  "ratio_p50": round(statistics.median(ours) / statistics.median(hand), 3)}
        os.makedirs(os.path.dirname(os.path.abspath(A.out)), exist_ok=True)
        with open(A.out, "w") as f:
            json.dump(result, f, indent=1)
        print(f"| iperf3 TCP through the two-cloud tunnel (bridge: mappings, IPv4/IKEv2), Mbit/s, p50 of {A.rounds} x "
              f"{A.seconds} s | {result['ours_p50']} | {result['hand_p50']} | {result['ratio_p50'] * 100:.0f} % | >= 95 % |")
        return 0
    finally:
        teardown(peers, clouds, hosts)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
