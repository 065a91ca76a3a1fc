#!/usr/bin/env python3
"""End-to-end test of what vpnaasd tells tenants about their tunnels: the real vpnaasd (API + agent) with real
charons in real namespaces. For each cause — wrong PSK, mismatched proposal, unreachable peer, admin down — the
status sub-resource's failure_reason (and last_error) must be set within 10 s, and fixing it must give ACTIVE
with reason null and an "up" event. Also: the event log API (newest first, paging, 404 for another project,
400 for a bad marker, kept across a restart) and the peer-config file: the swanctl.conf served for a connection
is loaded as is into a plain strongSwan (swanctl --load-all) in its own namespace, and the tunnel comes up.
Needs root and the strongSwan packages. Standard library only.

Usage: e2e_insight.py BINARY
Prints ok/FAIL lines and a final 'N passed, N failed'.
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Checks, run_with_server  # noqa: E402
from e2e_dataplane import ping, sh  # noqa: E402
from e2e_topology import build_two_sites  # noqa: E402

check = Checks()
measured = {}
CONN = "/v2.0/vpn/ipsec-site-connections"
PSK = "e2e-insight-psk-0123"


def status(api, side, conn):
    return api.get(f"{CONN}/{conn}/status", side["project"])["ipsec_site_connection_status"]


def wait_reason(api, side, conn, reason, timeout=10.0):
    """Seconds until failure_reason == reason (None when it never came), and the last status seen."""
    t0 = time.monotonic()
    st = None
    while time.monotonic() - t0 < timeout:
        st = status(api, side, conn)
        if st["failure_reason"] == reason:
            return time.monotonic() - t0, st
        time.sleep(0.05)
    return None, st


def wait_active(api, side, conn, timeout=20.0):
    t0 = time.monotonic()
    st = None
    while time.monotonic() - t0 < timeout:
        st = status(api, side, conn)
        if st["status"] == "ACTIVE":
            return True, st
        time.sleep(0.05)
    return False, st


def events(api, side, conn, query=""):
    return api.get(f"{CONN}/{conn}/events{query}", side["project"])


def conn_body(me, other, name, psk=PSK, ike=None, peer=None, peer_group=None):
    return {"ipsec_site_connection": {
        "name": name, "vpnservice_id": me["svc"]["id"], "ikepolicy_id": ike or me["ike"]["id"],
        "ipsecpolicy_id": me["ipsec"]["id"], "peer_address": peer or other["svc"]["external_v4_ip"],
        "peer_id": peer or other["svc"]["external_v4_ip"], "psk": psk,
        "local_ep_group_id": me["local4"]["id"], "peer_ep_group_id": peer_group or me["peer4"]["id"]}}


def reason_step(api, label, side, conn, reason):
    took, st = wait_reason(api, side, conn, reason)
    check(f"{label}: failure_reason {reason} within 10 s", took is not None, f"last status {st}")
    if took is not None:
        measured[label] = took
        check(f"{label}: last_error says why", bool(st["last_error"]) and st["status"] != "ACTIVE", str(st))
    return took


def fixed_step(api, label, side, conn, since_ms):
    ok, st = wait_active(api, side, conn)
    check(f"{label} fixed: ACTIVE with failure_reason null", ok and st["failure_reason"] is None and st["last_error"] is None, str(st))
    log = events(api, side, conn)["ipsec_site_connection_events"]
    ups = [e for e in log if e["type"] == "up" and iso_ms(e["time"]) >= since_ms]
    check(f"{label} fixed: an 'up' event", bool(ups), str([(e["type"], e["time"]) for e in log[:6]]))


def iso_ms(text):
    import datetime
    return int(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)


def now_ms():
    return int(time.time() * 1000) - 1000  # a second of slack between the agent's and our clock reads


def run(api, work, server):
    ext, L, R = build_two_sites(api, "insight")
    L["c"] = api.post(CONN, conn_body(L, R, "l"), L["project"])["ipsec_site_connection"]
    R["c"] = api.post(CONN, conn_body(R, L, "r"), R["project"])["ipsec_site_connection"]
    ok_l, st = wait_active(api, L, L["c"]["id"])
    ok_r, _ = wait_active(api, R, R["c"]["id"])
    check("IPv4 pair ACTIVE, failure_reason null", ok_l and ok_r and st["failure_reason"] is None, str(st))

    # 1. Wrong PSK on the right side.
    t = now_ms()
    api.put(f"{CONN}/{R['c']['id']}", {"ipsec_site_connection": {"psk": "e2e-insight-WRONG"}}, R["project"])
    reason_step(api, "wrong PSK (changed side)", R, R["c"]["id"], "authentication_failed")
    reason_step(api, "wrong PSK (other side)", L, L["c"]["id"], "authentication_failed")
    failures = [e for e in events(api, L, L["c"]["id"])["ipsec_site_connection_events"] if e["type"] == "failure"]
    check("wrong PSK: a failure event with the reason", any(e["failure_reason"] == "authentication_failed" for e in failures), str(failures[:3]))
    t = now_ms()
    api.put(f"{CONN}/{R['c']['id']}", {"ipsec_site_connection": {"psk": PSK}}, R["project"])
    fixed_step(api, "wrong PSK", L, L["c"]["id"], t)

    # 2. Mismatched proposal: the right side's connection uses an IKE policy the left one does not offer.
    other = api.post("/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "other", "ike_version": "v2", "encryption_algorithm": "aes-128",
                     "auth_algorithm": "sha512", "pfs": "group19"}}, R["project"])["ikepolicy"]
    api.delete(f"{CONN}/{R['c']['id']}", R["project"])
    R["c"] = api.post(CONN, conn_body(R, L, "r", ike=other["id"]), R["project"])["ipsec_site_connection"]
    reason_step(api, "mismatched proposal (initiator)", R, R["c"]["id"], "no_proposal_chosen")
    reason_step(api, "mismatched proposal (responder)", L, L["c"]["id"], "no_proposal_chosen")
    t = now_ms()
    api.delete(f"{CONN}/{R['c']['id']}", R["project"])
    R["c"] = api.post(CONN, conn_body(R, L, "r"), R["project"])["ipsec_site_connection"]
    fixed_step(api, "mismatched proposal", L, L["c"]["id"], t)

    # 3. Unreachable peer: nobody answers at 203.0.113.99.
    nowhere = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "nowhere", "type": "cidr",
                       "endpoints": ["10.99.0.0/24"]}}, L["project"])["endpoint_group"]
    lost = api.post(CONN, conn_body(L, R, "lost", peer="203.0.113.99", peer_group=nowhere["id"]), L["project"])["ipsec_site_connection"]
    reason_step(api, "unreachable peer", L, lost["id"], "peer_unreachable")
    api.delete(f"{CONN}/{lost['id']}", L["project"])

    # 4. Admin down.
    api.put(f"{CONN}/{L['c']['id']}", {"ipsec_site_connection": {"admin_state_up": False}}, L["project"])
    reason_step(api, "admin down", L, L["c"]["id"], "admin_down")
    t = now_ms()
    api.put(f"{CONN}/{L['c']['id']}", {"ipsec_site_connection": {"admin_state_up": True}}, L["project"])
    fixed_step(api, "admin down", L, L["c"]["id"], t)

    # Event log API.
    full = events(api, L, L["c"]["id"])
    log = full["ipsec_site_connection_events"]
    times = [iso_ms(e["time"]) for e in log]
    check("events: several, newest first", len(log) >= 6 and times == sorted(times, reverse=True), str(len(log)))
    check("events: every entry has the documented keys",
          all(set(e) == {"id", "time", "type", "ike_state", "child_state", "failure_reason", "message"} for e in log))
    kinds = {e["type"] for e in log}
    check("events: IKE/CHILD up and down, config applied, failures", {"up", "down", "ike_up", "child_up", "config_applied", "failure"} <= kinds, str(kinds))
    page1 = events(api, L, L["c"]["id"], "?limit=2")
    nxt = [l for l in page1["ipsec_site_connection_events_links"] if l["rel"] == "next"]
    check("events: limit=2 gives 2 and a next link", len(page1["ipsec_site_connection_events"]) == 2 and len(nxt) == 1, str(page1)[:300])
    marker = page1["ipsec_site_connection_events"][-1]["id"]
    page2 = events(api, L, L["c"]["id"], f"?limit=2&marker={marker}")
    check("events: the next page continues where the first ended",
          [e["id"] for e in page1["ipsec_site_connection_events"] + page2["ipsec_site_connection_events"]] == [e["id"] for e in log[:4]])
    s, body = api.call("GET", f"{CONN}/{L['c']['id']}/events", project=R["project"])
    check("events: another project's connection is 404", s == 404 and "NeutronError" in body, str(body))
    s, body = api.call("GET", f"{CONN}/{L['c']['id']}/events?marker=nope", project=L["project"])
    check("events: an unknown marker is a 400", s == 400 and "NeutronError" in body, str(body))
    before = len(log)
    server.stop()
    server.start(cleanup=True)
    after = events(api, L, L["c"]["id"])["ipsec_site_connection_events"]
    check("events: kept across a restart", len(after) >= before and after[-1]["id"] == log[-1]["id"], f"{before} -> {len(after)}")

    peer_config_step(api, work, ext, L, R)


def peer_config_step(api, work, ext, L, R):
    """A plain strongSwan, configured only by the served swanctl.conf, as the peer of a new left connection."""
    devices = api.get("/v2.0/vpn/peer-config-devices", L["project"])["peer_config_devices"]
    check("peer-config devices: strongswan-swanctl, libreswan, generic",
          {"strongswan-swanctl", "libreswan", "generic"} <= {d["id"] for d in devices}, str(devices))
    group = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "plain", "type": "cidr",
                     "endpoints": ["10.77.0.0/24"]}}, L["project"])["endpoint_group"]
    c = api.post(CONN, conn_body(L, R, "plain", psk="plain-peer-psk-42", peer="203.0.113.77", peer_group=group["id"]),
                 L["project"])["ipsec_site_connection"]
    s, body = api.call("GET", f"{CONN}/{c['id']}/peer-config?device=nope", project=L["project"])
    check("peer-config: unknown device is a 404", s == 404, str(body))
    s, body = api.call("GET", f"{CONN}/{c['id']}/peer-config?device=generic", project=R["project"])
    check("peer-config: another project's connection is 404", s == 404, str(body))
    text = fetch_text(api, f"{CONN}/{c['id']}/peer-config?device=strongswan-swanctl", L["project"], "member")
    check("peer-config: the owner's file carries the PSK", "plain-peer-psk-42" in text)
    reader = fetch_text(api, f"{CONN}/{c['id']}/peer-config?device=strongswan-swanctl", L["project"], "reader")
    check("peer-config: a reader's file does not", "plain-peer-psk-42" not in reader and "hidden" in reader)

    ns = f"e2epeer-{os.getpid()}"
    d = os.path.join(work, "peer")
    os.makedirs(os.path.join(d, "conf.d"))
    with open(os.path.join(d, "conf.d", "vpnaas.conf"), "w") as f:
        f.write(text)
    with open(os.path.join(d, "swanctl.conf"), "w") as f:
        f.write(f"include {d}/conf.d/*.conf\n")
    sock = f"/tmp/e2epeer-{os.getpid()}.vici"
    with open(os.path.join(d, "strongswan.conf"), "w") as f:
        f.write(f"""charon-systemd {{
    load_modular = no
    load = random nonce openssl aes sha1 sha2 hmac gmp kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici
    routing_table = 220
    routing_table_prio = 220
    plugins {{
        vici {{
            socket = unix://{sock}
        }}
    }}
    journal {{
        default = -1
    }}
    filelog {{
        main {{
            path = {d}/charon.log
            default = 1
        }}
    }}
}}
""")
    bridge = "brq" + ext["id"][:11]
    charon = None
    try:
        sh("ip", "netns", "add", ns, check_rc=True)
        sh("ip", "-n", ns, "link", "set", "lo", "up", check_rc=True)
        sh("ip", "link", "add", "e2epv0", "netns", ns, "type", "veth", "peer", "name", "e2epvb", "netns", "vpnaas-pn-public", check_rc=True)
        sh("ip", "-n", "vpnaas-pn-public", "link", "set", "e2epvb", "master", bridge, "up", check_rc=True)
        sh("ip", "-n", ns, "addr", "add", "203.0.113.77/24", "dev", "e2epv0", check_rc=True)
        sh("ip", "-n", ns, "link", "set", "e2epv0", "up", check_rc=True)
        # The peer's "site": an address on its loopback (no dummy module needed).
        sh("ip", "-n", ns, "addr", "add", "10.77.0.1/32", "dev", "lo", check_rc=True)
        charon = subprocess.Popen(["ip", "netns", "exec", ns, "env", f"STRONGSWAN_CONF={d}/strongswan.conf", "/usr/sbin/charon-systemd"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        r = sh("swanctl", "--load-all", "--file", f"{d}/swanctl.conf", "--uri", f"unix://{sock}")
        check("peer-config: swanctl --load-all accepts the file as is", r.returncode == 0 and "loaded connection" in r.stdout, r.stdout + r.stderr)
        ok, st = wait_active(api, L, c["id"], timeout=30)
        check("peer-config: the tunnel to the plain strongSwan peer comes up", ok, str(st))
        sas = sh("swanctl", "--list-sas", "--uri", f"unix://{sock}").stdout
        check("peer-config: the plain peer shows the SA installed", "ESTABLISHED" in sas and "INSTALLED" in sas, sas[-500:])
        probe = f"qprobe-{L['probe']['id']}"
        check("peer-config: ping from the left probe to the peer's network", ping(probe, "10.77.0.1"))
    finally:
        if charon is not None:
            os.killpg(charon.pid, signal.SIGTERM) if charon.poll() is None else None
            try:
                charon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(charon.pid, signal.SIGKILL)
                charon.wait()
        sh("ip", "netns", "delete", ns)
        if os.path.exists(sock):
            os.remove(sock)


def fetch_text(api, path, project, roles):
    import urllib.request
    req = urllib.request.Request(api.base + path, headers={"X-Project-Id": project, "X-Roles": roles})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read().decode()


def main():
    def report():
        for k, v in measured.items():
            print(f"measured: {k}: {v:.2f} s")
    # The first start keeps charons and namespaces on exit (the restart adopts them); the second cleans up.
    return run_with_server(check, "vpnaas-insight.", run, cleanup_on_exit=False, secrets=(PSK, "plain-peer-psk-42"), after=report)


if __name__ == "__main__":
    sys.exit(main())
