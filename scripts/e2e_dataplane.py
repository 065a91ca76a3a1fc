#!/usr/bin/env python3
"""End-to-end data-plane test: the real vpnaasd (API + in-process agent) on a fresh data dir,
real namespaces and real charon processes. Two projects, two routers on one provider network,
probes on each private network; checks tunnels come up, traffic crosses the provider bridge only
as ESP-in-UDP, wrong PSK / admin-down / SIGKILLed charon behave, and deleting everything leaves
nothing behind. Needs root and the strongSwan packages (scripts/prereqs.sh). Standard library only.

Usage: e2e_dataplane.py BINARY [--results FILE]
Prints one line per check and a final 'N passed, N failed'.
"""
import glob
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_topology import API, Tally, build_two_sites, stop_process, Capture as _Capture, crash_detail  # noqa: E402


class Capture(_Capture):
    """A capture on a device inside a named namespace; stop() -> (plaintext, ESP-in-UDP, raw ESP)."""

    def __init__(self, ns, dev, path):
        super().__init__(["ip", "netns", "exec", ns], dev, path)

    def stop(self):
        return super().stop()[:3]

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnaasd"
RESULTS = sys.argv[sys.argv.index("--results") + 1] if "--results" in sys.argv else None
RUNS = int(os.environ.get("E2E_DATAPLANE_RUNS", "5"))

TALLY = Tally()
check = TALLY.check
timings = {}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sh(*argv, check_rc=False, timeout=60):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check_rc and r.returncode != 0:
        raise RuntimeError(f"{argv}: {r.returncode} {r.stderr}")
    return r


def namespaces():
    return [line.split()[0] for line in sh("ip", "netns", "list").stdout.splitlines() if line.strip()]


def ping(ns, address, count=3):
    fam = "-6" if ":" in address else "-4"
    r = sh("ip", "netns", "exec", ns, "ping", fam, "-c", str(count), "-i", "0.2", "-W", "1", address)
    if os.environ.get("E2E_DEBUG"):
        print(r.stdout)
    return r.returncode == 0


def main():
    if os.geteuid() != 0:
        print("FAIL: the data-plane test needs root", flush=True)
        print("0 passed, 1 failed")
        return 1
    work = tempfile.mkdtemp(prefix="vpnaas-dp.")
    port = free_port()
    log = open(os.path.join(work, "server.log"), "w")
    before = set(namespaces())
    api = API(f"http://127.0.0.1:{port}")
    server = Server(work, port, log)
    try:
        server.start(cleanup=False)
        run(api, work, server)
    except Exception as e:  # a crash of the test itself is a failure, with the server log
        check("test ran to the end", False, crash_detail(e))
    finally:
        server.stop()
        log.close()
        logs = [os.path.join(d, "charon.log") for d in glob.glob(os.path.join(work, "data", "agent", "*"))]
        sizes = [os.path.getsize(f) for f in logs if os.path.exists(f)]
        check("charon logs stay small (no negotiation storm)", all(s < 2_000_000 for s in sizes), str(sizes))
        check("no PSK in charon's logs", all("e2e-psk" not in open(f, errors="replace").read() for f in logs if os.path.exists(f)))
        leftover = [n for n in namespaces() if n not in before and (n.startswith("qrouter-") or n.startswith("qprobe-") or n.startswith("vpnaas-"))]
        for n in leftover:
            sh("ip", "netns", "delete", n)
        check("nothing left after vpnaasd exits", not leftover, str(leftover))
        text = open(os.path.join(work, "server.log")).read()
        check("no secret in the server log (trace level)", "e2e-psk" not in text)
        if TALLY.failed:
            print("---- server log (tail) ----")
            print(text[-6000:])
            print(f"(logs kept in {work})")
        elif not os.environ.get("E2E_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    print(TALLY.summary())
    if RESULTS and timings:
        write_results(timings)
    return 0 if TALLY.failed == 0 else 1


class Server:
    """vpnaasd all-in-one on a fixed data dir and port, restartable (agent adoption)."""

    def __init__(self, work, port, log):
        self.work, self.port, self.log, self.proc = work, port, log, None

    def start(self, cleanup):
        env = dict(os.environ, VPNAAS_AGENT_CLEANUP_ON_EXIT="1" if cleanup else "0",
                   LOG_LEVEL=os.environ.get("LOG_LEVEL", "trace"))
        self.proc = subprocess.Popen(
            [BINARY, "all-in-one", "--data-dir", os.path.join(self.work, "data"), "--bind", f"127.0.0.1:{self.port}",
             "--auth-strategy", "noauth"], stdout=self.log, stderr=subprocess.STDOUT, env=env)
        for _ in range(400):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthcheck", timeout=1)
                return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("vpnaasd did not become ready")

    def stop(self):
        if self.proc is None:
            return
        stop_process(self.proc, timeout=20)
        self.proc = None


def wait_status(api, path, key, project, want, timeout=15.0):
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        status = api.get(path, project)[key]["status"]
        if status in want:
            return status
        time.sleep(0.01)
    return status


def run(api, work, server):
    admin = "admin-project"
    ext, L, R = build_two_sites(api, "vpnaas")
    check("services report DOWN (not PENDING) without connections",
          wait_status(api, f"/v2.0/vpn/vpnservices/{L['svc']['id']}", "vpnservice", L["project"], {"DOWN"}) == "DOWN")

    def conn_body(me, other, family, psk="e2e-psk-secret-0123"):
        return {"ipsec_site_connection": {
            "name": f"conn{family}", "vpnservice_id": me["svc"]["id"], "ikepolicy_id": me["ike"]["id"],
            "ipsecpolicy_id": me["ipsec"]["id"], "peer_address": other["svc"][f"external_v{family}_ip"],
            "peer_id": other["svc"][f"external_v{family}_ip"], "psk": psk,
            "local_ep_group_id": me[f"local{family}"]["id"], "peer_ep_group_id": me[f"peer{family}"]["id"]}}

    check("services carry external v4 and v6 IPs", all(s["svc"]["external_v6_ip"] and s["svc"]["external_v4_ip"] for s in (L, R)))

    conn_path = "/v2.0/vpn/ipsec-site-connections"

    def both_active(c_left, c_right, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            a = api.get(f"{conn_path}/{c_left}", L["project"])["ipsec_site_connection"]["status"]
            b = api.get(f"{conn_path}/{c_right}", R["project"])["ipsec_site_connection"]["status"]
            if a == "ACTIVE" and b == "ACTIVE":
                return True
            time.sleep(0.01)
        return False

    # IPv6 pair: left first, then right; time from the second create to both ACTIVE.
    L["c6"] = api.post(conn_path, conn_body(L, R, 6), L["project"])["ipsec_site_connection"]
    t0 = time.monotonic()
    R["c6"] = api.post(conn_path, conn_body(R, L, 6), R["project"])["ipsec_site_connection"]
    ok = both_active(L["c6"]["id"], R["c6"]["id"])
    timings.setdefault("v6 pair: second create -> both ACTIVE (s)", []).append(time.monotonic() - t0)
    check("IPv6 connections ACTIVE on both sides", ok)
    check("services ACTIVE", wait_status(api, f"/v2.0/vpn/vpnservices/{L['svc']['id']}", "vpnservice", L["project"], {"ACTIVE"}) == "ACTIVE")

    pl = next(n for n in namespaces() if n == f"qprobe-{L['probe']['id']}")
    pr = f"qprobe-{R['probe']['id']}"
    addr = lambda side, fam: next(ip["ip_address"] for ip in side["probe"]["fixed_ips"] if (":" in ip["ip_address"]) == (fam == 6))
    pn = "vpnaas-pn-public"
    bridge = "brq" + ext["id"][:11]
    cap = Capture(pn, bridge, os.path.join(work, "v6.pcap"))
    ok1 = ping(pl, addr(R, 6))
    ok2 = ping(pr, addr(L, 6))
    plain, esp, raw = cap.stop()
    check("ping6 left -> right through the tunnel", ok1)
    check("ping6 right -> left through the tunnel", ok2)
    check("provider bridge saw the pings only as ESP-in-UDP (0 plaintext, 0 raw ESP)", plain == 0 and raw == 0 and esp >= 12,
          f"plaintext={plain} raw_esp={raw} esp_in_udp={esp}")

    # Counters come from the agent's last look (at most one resync interval old).
    deadline = time.monotonic() + 3
    while True:
        st = api.get(f"{conn_path}/{L['c6']['id']}/status", L["project"])["ipsec_site_connection_status"]
        if st["packets_out"] >= 6 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    check("status sub-resource shows ESTABLISHED with traffic counters",
          st["ike_state"] == "ESTABLISHED" and st["packets_out"] >= 6 and st["bytes_in"] > 0, json.dumps(st))
    s_, body = api.call("GET", f"{conn_path}/{L['c6']['id']}/status", project=R["project"])
    check("status of another project's connection is 404", s_ == 404)
    metrics = urllib.request.urlopen(api.base + "/metrics").read().decode()
    check("/metrics exposes per-connection figures",
          f'vpnaas_connection_up{{connection_id="{L["c6"]["id"]}"' in metrics and "vpnaas_connection_bytes_in" in metrics)

    # IPv4 pair (4-in-4) on the same services; the IPv6 tunnel must not be touched by it.
    time.sleep(1.2)
    v6_before = api.get(f"{conn_path}/{L['c6']['id']}/status", L["project"])["ipsec_site_connection_status"]["established_at"]
    L["c4"] = api.post(conn_path, conn_body(L, R, 4), L["project"])["ipsec_site_connection"]
    t0 = time.monotonic()
    R["c4"] = api.post(conn_path, conn_body(R, L, 4), R["project"])["ipsec_site_connection"]
    ok = both_active(L["c4"]["id"], R["c4"]["id"])
    timings.setdefault("v4 pair: second create -> both ACTIVE (s)", []).append(time.monotonic() - t0)
    check("IPv4 connections ACTIVE on both sides", ok)
    time.sleep(1.2)
    v6_after = api.get(f"{conn_path}/{L['c6']['id']}/status", L["project"])["ipsec_site_connection_status"]["established_at"]
    check("adding the IPv4 pair left the IPv6 tunnel alone (same IKE_SA)", same_second(v6_before, v6_after), f"{v6_before} -> {v6_after}")
    cap = Capture(pn, bridge, os.path.join(work, "v4.pcap"))
    ok1 = ping(pl, addr(R, 4))
    ok2 = ping(pr, addr(L, 4))
    plain, esp, raw = cap.stop()
    check("ping left -> right (IPv4) through the tunnel", ok1)
    check("ping right -> left (IPv4) through the tunnel", ok2)
    check("IPv4 pings crossed only as ESP-in-UDP", plain == 0 and raw == 0 and esp >= 12, f"plaintext={plain} esp={esp}")

    # Repeated measurements: delete and re-create the right side's v6 connection.
    for _ in range(RUNS - 1):
        api.delete(f"{conn_path}/{R['c6']['id']}", R["project"])
        wait_status(api, f"{conn_path}/{L['c6']['id']}", "ipsec_site_connection", L["project"], {"DOWN"}, timeout=10)
        t0 = time.monotonic()
        R["c6"] = api.post(conn_path, conn_body(R, L, 6), R["project"])["ipsec_site_connection"]
        if both_active(L["c6"]["id"], R["c6"]["id"]):
            timings["v6 pair: second create -> both ACTIVE (s)"].append(time.monotonic() - t0)
    check("re-created connections came up every time", len(timings["v6 pair: second create -> both ACTIVE (s)"]) == RUNS)

    # Wrong PSK on one side -> both DOWN, no plaintext; fixed -> ACTIVE again.
    api.put(f"{conn_path}/{R['c6']['id']}", {"ipsec_site_connection": {"psk": "e2e-psk-WRONG"}}, R["project"])
    a = wait_status(api, f"{conn_path}/{R['c6']['id']}", "ipsec_site_connection", R["project"], {"DOWN", "ERROR"})
    b = wait_status(api, f"{conn_path}/{L['c6']['id']}", "ipsec_site_connection", L["project"], {"DOWN", "ERROR"})
    check("wrong PSK: both sides DOWN", a == "DOWN" and b == "DOWN", f"{a} {b}")
    cap = Capture(pn, bridge, os.path.join(work, "psk.pcap"))
    ok = ping(pl, addr(R, 6), count=3)
    plain, esp, raw = cap.stop()
    check("wrong PSK: no traffic passes, 0 plaintext frames", not ok and plain == 0 and raw == 0, f"ping={ok} plaintext={plain}")
    api.put(f"{conn_path}/{R['c6']['id']}", {"ipsec_site_connection": {"psk": "e2e-psk-secret-0123"}}, R["project"])
    check("PSK fixed: ACTIVE again", both_active(L["c6"]["id"], R["c6"]["id"]))
    check("PSK fixed: ping6 passes again", ping(pl, addr(R, 6)))

    # admin_state_up=false -> DOWN and fail-closed.
    api.put(f"{conn_path}/{L['c6']['id']}", {"ipsec_site_connection": {"admin_state_up": False}}, L["project"])
    a = wait_status(api, f"{conn_path}/{L['c6']['id']}", "ipsec_site_connection", L["project"], {"DOWN"})
    b = wait_status(api, f"{conn_path}/{R['c6']['id']}", "ipsec_site_connection", R["project"], {"DOWN"})
    check("admin_state_up=false: both sides DOWN", a == "DOWN" and b == "DOWN", f"{a} {b}")
    cap = Capture(pn, bridge, os.path.join(work, "admin.pcap"))
    ok = ping(pl, addr(R, 6), count=3)
    plain, esp, raw = cap.stop()
    check("admin-down: fail-closed (no ping, 0 plaintext)", not ok and plain == 0, f"ping={ok} plaintext={plain}")
    api.put(f"{conn_path}/{L['c6']['id']}", {"ipsec_site_connection": {"admin_state_up": True}}, L["project"])
    check("admin-up again: ACTIVE", both_active(L["c6"]["id"], R["c6"]["id"]))

    # charon SIGKILLed -> the agent restores it; no plaintext meanwhile.
    data = os.path.join(work, "data", "agent", L["router"]["id"], "charon.pid")
    pid = int(open(data).read().strip())
    cap = Capture(pn, bridge, os.path.join(work, "kill.pcap"))
    pinger = subprocess.Popen(["ip", "netns", "exec", pl, "ping", "-6", "-c", "30", "-i", "0.1", "-W", "1", addr(R, 6)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The old SA must be visibly older than the kill (established_at has one-second precision).
    time.sleep(1.5)
    killed_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    t0 = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    newpid = pid
    deadline = time.monotonic() + 20
    while newpid == pid and time.monotonic() < deadline:
        try:
            newpid = int(open(data).read().strip() or pid)
        except (OSError, ValueError):
            pass
        time.sleep(0.01)
    # ACTIVE must now come from the new charon: its SAs are the only ones the status can see.
    deadline = time.monotonic() + 20
    ok = False
    while time.monotonic() < deadline:
        st = api.get(f"{conn_path}/{L['c6']['id']}/status", L["project"])["ipsec_site_connection_status"]
        if st["ike_state"] == "ESTABLISHED" and (st["established_at"] or "") >= killed_at:
            ok = both_active(L["c6"]["id"], R["c6"]["id"], timeout=5)
            break
        time.sleep(0.01)
    if ok:
        timings.setdefault("charon SIGKILL -> restarted and ACTIVE again (s)", []).append(time.monotonic() - t0)
    pinger.wait(timeout=30)
    plain, esp, raw = cap.stop()
    check("charon SIGKILLed: agent restarted it and the tunnel is ACTIVE again", ok and newpid != pid, f"old={pid} new={newpid}")
    check("charon SIGKILLed: 0 plaintext frames meanwhile", plain == 0 and raw == 0, f"plaintext={plain}")
    check("ping6 passes after the restart", ping(pl, addr(R, 6)))

    # vpnaasd restarted: the new agent adopts the running charons without renegotiating.
    pidfiles = [os.path.join(work, "data", "agent", side["router"]["id"], "charon.pid") for side in (L, R)]
    pids_before = [open(p).read().strip() for p in pidfiles]
    est_before = api.get(f"{conn_path}/{L['c6']['id']}/status", L["project"])["ipsec_site_connection_status"]["established_at"]
    server.stop()
    check("charons keep running while vpnaasd is down", all(os.path.exists(f"/proc/{p}") for p in pids_before))
    server.start(cleanup=True)
    ok = both_active(L["c6"]["id"], R["c6"]["id"], timeout=10)
    time.sleep(1.2)
    # The statuses above are the store's; the figures appear with the new agent's first pass, which
    # re-applies every router idempotently and can take longer than that second.
    deadline = time.monotonic() + 15
    while True:
        st = api.get(f"{conn_path}/{L['c6']['id']}/status", L["project"])["ipsec_site_connection_status"]
        if st["observed_at"] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    pids_after = [open(p).read().strip() for p in pidfiles]
    check("restarted agent adopts charons: same PIDs, same IKE_SA, still ACTIVE",
          ok and pids_after == pids_before and same_second(st["established_at"], est_before) and st["ike_state"] == "ESTABLISHED",
          f"pids {pids_before}->{pids_after} established {est_before}->{st['established_at']}")
    check("ping6 passes after the agent restart", ping(pl, addr(R, 6)))

    # Delete everything -> no namespace, bridge or charon left.
    pids = []
    for side in (L, R):
        path = os.path.join(work, "data", "agent", side["router"]["id"], "charon.pid")
        if os.path.exists(path):
            pids.append(int(open(path).read().strip()))
    for side in (L, R):
        p = side["project"]
        for c in ("c6", "c4"):
            api.delete(f"{conn_path}/{side[c]['id']}", p)
        for g in ("local6", "local4", "peer6", "peer4"):
            api.delete(f"/v2.0/vpn/endpoint-groups/{side[g]['id']}", p)
        api.delete(f"/v2.0/vpn/vpnservices/{side['svc']['id']}", p)
        api.delete(f"/v2.0/vpn/ikepolicies/{side['ike']['id']}", p)
        api.delete(f"/v2.0/vpn/ipsecpolicies/{side['ipsec']['id']}", p)
        api.delete(f"/v2.0/ports/{side['probe']['id']}", admin, "admin")
        for s in (side["s6"], side["s4"]):
            api.put(f"/v2.0/routers/{side['router']['id']}/remove_router_interface", {"subnet_id": s["id"]}, p)
        api.delete(f"/v2.0/routers/{side['router']['id']}", p)
        api.delete(f"/v2.0/networks/{side['net']['id']}", p)
    api.delete(f"/v2.0/networks/{ext['id']}", admin, "admin")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = [n for n in namespaces() if n.startswith("qrouter-") or n.startswith("qprobe-") or n.startswith("vpnaas-")]
        alive = [p for p in pids if os.path.exists(f"/proc/{p}") and open(f"/proc/{p}/stat").read().split(")")[1].split()[0] != "Z"]
        if not left and not alive:
            break
        time.sleep(0.05)
    check("after deleting everything: no qrouter-/qprobe-/vpnaas- namespace", not left, str(left))
    check("after deleting everything: no charon left", not alive, str(alive))


def same_second(a, b):
    """established_at is derived from charon's age counter: allow one second of rounding."""
    if not a or not b:
        return False
    parse = lambda t: time.mktime(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ"))
    return abs(parse(a) - parse(b)) <= 1


def write_results(t):
    lines = ["| figure | runs | p50 | p90 | max |", "| --- | --- | --- | --- | --- |"]
    for name, values in t.items():
        v = sorted(values)
        p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
        lines.append(f"| {name} | {len(v)} | {statistics.median(v):.3f} | {p90:.3f} | {v[-1]:.3f} |")
    with open(RESULTS, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
