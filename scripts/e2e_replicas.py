#!/usr/bin/env python3
"""Two `vpnaasd api` replicas on one database, end to end: both started at the same moment on one data dir
(the SQLite file in WAL mode, shared across processes) and one separate key dir, with
VPNAAS_BOOTSTRAP_PASSWORD, on two loopback ports. Checks: the identity bootstrap ran exactly once (one admin
user, one admin project, one of each standard role); a token issued by replica A validates on B (and a
revocation through B holds on A, a dashboard session started on A is one on B) and a PSK written through A
reads back through B (one token key ring and one sealing key, 0600 in a 0700 key dir); an
object written through A is visible through B; `If-Match: revision_number=N` across replicas (stale -> 412
RevisionNumberConstraintFailed on PUT and DELETE, malformed -> 400); many parallel rounds of "delete an IKE
policy on A" against "create a connection using it on B" never both succeed and never leave a connection
with a dangling ikepolicy_id; one VLAN segment asked for by both replicas at once is granted once; concurrent PUTs from both replicas on one network end with revision_number ==
initial + successful PUTs; no 5xx in any of it; no database text in any error body; both processes stopped by
PID; no secret in their logs. Needs no root: loopback and a temporary directory only.

With E2E_REPLICAS_POSTGRES=1 the replicas share a fresh PostgreSQL database instead (created in the cluster of
$VPNAAS_TEST_PG_URL, dropped at the end; `--database`), each with its own data dir: the same checks then hold on
PostgreSQL's SERIALIZABLE transactions across two client pools.

Usage: e2e_replicas.py BINARY
Prints ok/FAIL lines and a final 'N passed, N failed'.
"""
import http.client
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Checks, crash_detail  # noqa: E402
from e2e_dataplane import free_port  # noqa: E402

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnaasd"
PASSWORD = "e2e-replicas-admin-pw-7Qx"
PSK = "replica-psk-5a1e9c0b"
ROUNDS = int(os.environ.get("E2E_REPLICA_ROUNDS", "40"))
POSTGRES = os.environ.get("E2E_REPLICAS_POSTGRES") == "1"
DATABASE = []  # ["--database", URL] on PostgreSQL
check = Checks()
statuses = []  # every HTTP status any call got
bodies = []  # every error body, to look for database text
lock = threading.Lock()
issued = []  # every token issued, none may reach a log


class Replica:
    def __init__(self, name, work, data, keys, port):
        self.name, self.port = name, port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = os.path.join(work, f"{name}.log")
        self.log = open(self.log_path, "w")
        env = dict(os.environ, VPNAAS_BOOTSTRAP_PASSWORD=PASSWORD, LOG_LEVEL="info")
        for k in ("VPNAAS_NO_AGENT", "VPNAAS_DATA_DIR", "VPNAAS_KEY_DIR", "VPNAAS_CONFIG"):
            env.pop(k, None)
        self.proc = subprocess.Popen([BINARY, "api", "--data-dir", data, "--key-dir", keys, "--bind", f"127.0.0.1:{port}"] + DATABASE,
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.token = None

    def wait_ready(self):
        for _ in range(1200):
            if self.proc.poll() is not None:
                raise RuntimeError(f"replica {self.name} exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthcheck", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"replica {self.name} did not become ready")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def login(self):
        token = self._login()
        issued.append(token)
        return token

    def _login(self):
        status, _, headers = self.call("POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {
            "user": {"name": "admin", "domain": {"name": "Default"}, "password": PASSWORD}}},
            "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}, auth=False)
        if status != 201:
            raise RuntimeError(f"login on {self.name} -> {status}")
        return headers["X-Subject-Token"]

    def call(self, method, path, body=None, headers=None, auth=True):
        h = {"Content-Type": "application/json"}
        if auth and self.token:
            h["X-Auth-Token"] = self.token
        h.update(headers or {})
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, raw, rh = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, raw, rh = e.code, e.read(), e.headers
        with lock:
            statuses.append(status)
            if status >= 400:
                bodies.append(raw.decode(errors="replace"))
        return status, (json.loads(raw) if raw else None), rh

    def ok(self, method, path, body=None, expect=200):
        status, payload, _ = self.call(method, path, body)
        if status != expect:
            raise RuntimeError(f"{method} {path} on {self.name} -> {status} {payload}")
        return payload


def neutron_type(payload):
    return ((payload or {}).get("NeutronError") or {}).get("type")


def topology(a):
    """A network with a subnet on a router with a gateway, IPsec policy, VPN service, endpoint groups: all via A."""
    ext = a.ok("POST", "/v2.0/networks", {"network": {"name": "provider", "router:external": True,
               "provider:network_type": "flat", "provider:physical_network": "public"}}, 201)["network"]
    a.ok("POST", "/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "203.0.113.0/24", "ip_version": 4,
         "gateway_ip": "203.0.113.1"}}, 201)
    net = a.ok("POST", "/v2.0/networks", {"network": {"name": "replica-net"}}, 201)["network"]
    sub = a.ok("POST", "/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": "10.7.0.0/24", "ip_version": 4}}, 201)["subnet"]
    router = a.ok("POST", "/v2.0/routers", {"router": {"name": "replica-router"}}, 201)["router"]
    a.ok("PUT", f"/v2.0/routers/{router['id']}", {"router": {"external_gateway_info": {"network_id": ext["id"]}}})
    a.ok("PUT", f"/v2.0/routers/{router['id']}/add_router_interface", {"subnet_id": sub["id"]})
    ipsec = a.ok("POST", "/v2.0/vpn/ipsecpolicies", {"ipsecpolicy": {"name": "ipsec"}}, 201)["ipsecpolicy"]
    svc = a.ok("POST", "/v2.0/vpn/vpnservices", {"vpnservice": {"name": "vpn", "router_id": router["id"]}}, 201)["vpnservice"]
    local = a.ok("POST", "/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "local", "type": "subnet",
                 "endpoints": [sub["id"]]}}, 201)["endpoint_group"]
    peer = a.ok("POST", "/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "peer", "type": "cidr",
                "endpoints": ["10.9.0.0/24"]}}, 201)["endpoint_group"]
    return dict(net=net, router=router, ipsec=ipsec, svc=svc, local=local, peer=peer)


def connection_body(t, ike_id, n):
    return {"ipsec_site_connection": {"name": f"conn-{n}", "vpnservice_id": t["svc"]["id"], "ikepolicy_id": ike_id,
            "ipsecpolicy_id": t["ipsec"]["id"], "peer_address": f"198.51.100.{10 + n % 200}", "peer_id": f"198.51.100.{10 + n % 200}",
            "psk": PSK, "local_ep_group_id": t["local"]["id"], "peer_ep_group_id": t["peer"]["id"]}}


def run(a, b, keys, data):
    # --- bootstrap exactly once, keys shared and private
    a.token = a.login()
    b.token = b.token or a.token
    users = a.ok("GET", "/v3/users")["users"]
    projects = a.ok("GET", "/v3/projects")["projects"]
    roles = a.ok("GET", "/v3/roles")["roles"]
    check("exactly one admin user", [u["name"] for u in users].count("admin") == 1, str([u["name"] for u in users]))
    check("exactly one admin project", [p["name"] for p in projects].count("admin") == 1, str([p["name"] for p in projects]))
    names = [r["name"] for r in roles]
    check("each standard role exactly once", all(names.count(r) == 1 for r in ("admin", "member", "reader")), str(names))
    logs = [open(r.log_path).read() for r in (a, b)]
    check("exactly one replica bootstrapped the identity", sum("identity bootstrapped" in t for t in logs) == 1)
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)  # noqa: E731
    check("key dir is 0700", mode(keys) == 0o700, oct(mode(keys)))
    key_files = [os.path.join(keys, "secret.key")] + [os.path.join(keys, "token-keys", n) for n in os.listdir(os.path.join(keys, "token-keys"))]
    check("one token key, and key files 0600", len(key_files) == 2 and all(mode(f) == 0o600 for f in key_files),
          str([(f, oct(mode(f))) for f in key_files]))
    check("no keys in the data dir when --key-dir is given",
          not os.path.exists(os.path.join(data, "secret.key")) and not os.path.exists(os.path.join(data, "token-keys")))
    check("no temporary key files left", not [f for f in os.listdir(keys) if ".tmp-" in f])

    # --- a token from A works on B
    status, _, _ = b.call("GET", "/v3/auth/tokens", headers={"X-Subject-Token": a.token})
    check("a token issued by A validates on B (GET /v3/auth/tokens)", status == 200, str(status))
    status, _, _ = b.call("GET", "/v2.0/networks")
    check("a token issued by A authorises a Neutron call on B", status == 200, str(status))
    token_b = b.login()
    status, _, _ = a.call("GET", "/v3/auth/tokens", headers={"X-Subject-Token": token_b})
    check("and one issued by B validates on A", status == 200, str(status))
    b.token = token_b
    doomed = a.login()
    status, _, _ = b.call("DELETE", "/v3/auth/tokens", headers={"X-Subject-Token": doomed})
    check("a token issued by A is revoked via B", status == 204, str(status))
    status, _, _ = a.call("GET", "/v2.0/networks", headers={"X-Auth-Token": doomed})
    check("and A refuses it afterwards (revocations are shared)", status == 401, str(status))

    # --- a dashboard session started on A is a session on B (the cookie holds a token)
    nonce = "e2e-replica-login-nonce"
    form = urllib.parse.urlencode({"csrf": nonce, "user": "admin", "password": PASSWORD, "project": "admin"})
    c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=60)
    c.request("POST", "/dashboard/login", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Cookie": f"vpnaas_login={nonce}"})
    r = c.getresponse()
    r.read()
    cookie = next((v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("vpnaas_session=")), None)
    c.close()
    check("dashboard login on A sets a session cookie", r.status == 303 and cookie is not None, str(r.status))
    if cookie:
        issued.append(cookie.split("=", 1)[1])
        c = http.client.HTTPConnection("127.0.0.1", b.port, timeout=60)
        c.request("GET", "/dashboard/", headers={"Cookie": cookie})
        r = c.getresponse()
        page = r.read().decode(errors="replace")
        c.close()
        check("and B serves the dashboard to that session (no redirect to the login page)", r.status == 200 and "csrf" in page.lower(), str(r.status))

    # --- writes via A visible via B, PSK sealed by A opens on B
    t = topology(a)
    ike = a.ok("POST", "/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "ike-shared"}}, 201)["ikepolicy"]
    conn = a.ok("POST", "/v2.0/vpn/ipsec-site-connections", connection_body(t, ike["id"], 0), 201)["ipsec_site_connection"]
    seen = b.ok("GET", f"/v2.0/vpn/ipsec-site-connections/{conn['id']}")["ipsec_site_connection"]
    check("a connection written via A is visible via B", seen["id"] == conn["id"] and seen["ikepolicy_id"] == ike["id"])
    check("the PSK written via A reads back via B", seen.get("psk") == PSK)
    check("no agent: the connection stays PENDING_CREATE", seen.get("status") == "PENDING_CREATE", seen.get("status"))
    a.ok("DELETE", f"/v2.0/vpn/ipsec-site-connections/{conn['id']}", expect=204)

    # --- If-Match across replicas
    net = a.ok("POST", "/v2.0/networks", {"network": {"name": "ifmatch"}}, 201)["network"]
    r0 = net["revision_number"]
    upd = a.ok("PUT", f"/v2.0/networks/{net['id']}", {"network": {"name": "ifmatch-2"}})["network"]
    check("a PUT bumps revision_number by one", upd["revision_number"] == r0 + 1, f"{r0} -> {upd['revision_number']}")
    status, payload, _ = b.call("PUT", f"/v2.0/networks/{net['id']}", {"network": {"name": "stale"}},
                                headers={"If-Match": f"revision_number={r0}"})
    check("stale If-Match on B after an update via A -> 412", status == 412, f"{status} {payload}")
    check("412 body is Neutron's RevisionNumberConstraintFailed",
          neutron_type(payload) == "RevisionNumberConstraintFailed"
          and payload["NeutronError"]["message"] == f"Constrained to {r0}, but current revision is {r0 + 1}", str(payload))
    status, payload, _ = b.call("DELETE", f"/v2.0/networks/{net['id']}", headers={"If-Match": f"revision_number={r0}"})
    check("stale If-Match on DELETE -> 412", status == 412 and neutron_type(payload) == "RevisionNumberConstraintFailed", str(status))
    status, payload, _ = b.call("PUT", f"/v2.0/networks/{net['id']}", {"network": {"name": "x"}}, headers={"If-Match": "revision_number=abc"})
    check("malformed If-Match -> 400 BadRequest", status == 400 and neutron_type(payload) == "BadRequest", f"{status} {payload}")
    status, payload, _ = b.call("PUT", f"/v2.0/networks/{net['id']}", {"network": {"name": "ifmatch-3"}},
                                headers={"If-Match": f"revision_number={r0 + 1}"})
    check("current If-Match on B -> 200, revision + 1", status == 200 and payload["network"]["revision_number"] == r0 + 2, f"{status}")
    status, _, _ = a.call("DELETE", f"/v2.0/networks/{net['id']}", headers={"If-Match": f"revision_number={r0 + 2}"})
    check("current If-Match on DELETE -> 204", status == 204, str(status))

    # --- race: delete the IKE policy on A while B creates a connection using it
    both, neither, deleted, created, odd = 0, 0, 0, 0, []
    for n in range(1, ROUNDS + 1):
        pol = a.ok("POST", "/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": f"race-{n}"}}, 201)["ikepolicy"]
        results = {}
        go = threading.Barrier(2)

        def delete():
            go.wait()
            results["delete"] = a.call("DELETE", f"/v2.0/vpn/ikepolicies/{pol['id']}")[:2]

        def create():
            go.wait()
            results["create"] = b.call("POST", "/v2.0/vpn/ipsec-site-connections", connection_body(t, pol["id"], n))[:2]

        threads = [threading.Thread(target=delete), threading.Thread(target=create)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        d, c = results["delete"][0], results["create"][0]
        if d == 204 and c == 201:
            both += 1
        elif d == 204:
            deleted += 1
            if c not in (404, 409):
                odd.append(("create", c, results["create"][1]))
        elif c == 201:
            created += 1
            if d != 409:
                odd.append(("delete", d, results["delete"][1]))
        else:
            neither += 1
            odd.append(("neither", d, c))
        if c == 201:
            cid = results["create"][1]["ipsec_site_connection"]["id"]
            status, payload, _ = b.call("GET", f"/v2.0/vpn/ipsec-site-connections/{cid}")
            ref = payload["ipsec_site_connection"]["ikepolicy_id"] if status == 200 else None
            ok_ref = a.call("GET", f"/v2.0/vpn/ikepolicies/{ref}")[0] == 200 if ref else False
            if not ok_ref:
                odd.append(("dangling", cid, ref))
            a.ok("DELETE", f"/v2.0/vpn/ipsec-site-connections/{cid}", expect=204)
            a.ok("DELETE", f"/v2.0/vpn/ikepolicies/{pol['id']}", expect=204)
    print(f"race rounds: {ROUNDS}: delete won {deleted}, create won {created}, both {both}, neither {neither}")
    check(f"{ROUNDS} delete-vs-create races: never both succeed", both == 0, str(both))
    check("every round has exactly one winner, the loser a 404/409, no dangling ikepolicy", not odd and neither == 0, str(odd[:5]))
    conns = a.ok("GET", "/v2.0/vpn/ipsec-site-connections")["ipsec_site_connections"]
    pols = {p["id"] for p in a.ok("GET", "/v2.0/vpn/ikepolicies")["ikepolicies"]}
    check("no connection refers to a missing IKE policy", all(c["ikepolicy_id"] in pols for c in conns))

    # --- uniqueness under a race: one VLAN segment, asked for by both replicas at once
    for vlan in (101, 102, 103):
        got = []
        go = threading.Barrier(6)

        def claim(replica, k):
            go.wait()
            st, pl, _ = replica.call("POST", "/v2.0/networks", {"network": {"name": f"vlan-{vlan}-{replica.name}-{k}",
                                     "provider:network_type": "vlan", "provider:physical_network": "public",
                                     "provider:segmentation_id": vlan}})
            with lock:
                got.append((st, neutron_type(pl)))

        threads = [threading.Thread(target=claim, args=(r, k)) for r in (a, b) for k in range(3)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        codes = sorted(st for st, _ in got)
        if codes != [201, 409, 409, 409, 409, 409]:
            break
    check("6 concurrent creates of one VLAN segment via both replicas: one 201, five 409 (3 rounds)",
          codes == [201, 409, 409, 409, 409, 409], str(got))
    segs = [n for n in a.ok("GET", "/v2.0/networks")["networks"] if n.get("provider:segmentation_id") in (101, 102, 103)]
    check("and exactly one network per segment exists", sorted(n["provider:segmentation_id"] for n in segs) == [101, 102, 103])

    # --- concurrent PUTs from both replicas on one object
    net = a.ok("POST", "/v2.0/networks", {"network": {"name": "contended"}}, 201)["network"]
    start = net["revision_number"]
    ok_puts = []

    def hammer(replica, k):
        for i in range(15):
            s, _, _ = replica.call("PUT", f"/v2.0/networks/{net['id']}", {"network": {"name": f"{replica.name}-{k}-{i}"}})
            if s == 200:
                with lock:
                    ok_puts.append(1)

    threads = [threading.Thread(target=hammer, args=(r, k)) for r in (a, b) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    final = b.ok("GET", f"/v2.0/networks/{net['id']}")["network"]["revision_number"]
    check("concurrent PUTs via both replicas: final revision == initial + successful PUTs",
          final == start + len(ok_puts) and len(ok_puts) > 0, f"start {start}, {len(ok_puts)} ok, final {final}")

    # compare-and-swap from both replicas: of the PUTs carrying the same If-Match, exactly one wins per revision
    cur = final
    wins = []

    def cas(replica, rev):
        s, _, _ = replica.call("PUT", f"/v2.0/networks/{net['id']}", {"network": {"name": f"cas-{replica.name}"}},
                               headers={"If-Match": f"revision_number={rev}"})
        with lock:
            wins.append(s)

    for _ in range(10):
        wins.clear()
        threads = [threading.Thread(target=cas, args=(r, cur)) for r in (a, b, a, b)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if sorted(wins) != [200, 412, 412, 412]:
            break
        cur += 1
    check("4 concurrent PUTs with one If-Match: exactly one 200, three 412 (10 rounds)", sorted(wins) == [200, 412, 412, 412], str(wins))


def main():
    work = tempfile.mkdtemp(prefix="vpnaas-replicas.")
    data, keys = os.path.join(work, "data"), os.path.join(work, "keys")
    replicas = []
    admin_url, db = os.environ.get("VPNAAS_TEST_PG_URL", ""), f"replicas{os.getpid()}"
    if POSTGRES:
        if not admin_url:
            check("E2E_REPLICAS_POSTGRES=1 needs VPNAAS_TEST_PG_URL (scripts/test.sh starts a cluster)", False)
            return check.exit_code()
        host = urllib.parse.parse_qs(urllib.parse.urlparse(admin_url).query)["host"][0]
        subprocess.run(["psql", "-q", admin_url, "-c", f"CREATE DATABASE {db}"], check=True)
        DATABASE.extend(["--database", f"postgresql://postgres@/{db}?host={host}"])
    try:
        pa, pb = free_port(), free_port()
        while pb == pa:
            pb = free_port()
        # Both at the same moment: neither has a database, keys or admin yet. On PostgreSQL each has its own data
        # dir: nothing but the database and the key dir is shared.
        replicas = [Replica("A", work, data, keys, pa),
                    Replica("B", work, os.path.join(work, "data-b") if POSTGRES else data, keys, pb)]
        for r in replicas:
            r.wait_ready()
        check("two api replicas started at once on one " + ("PostgreSQL database" if POSTGRES else "data dir") + " and key dir", True)
        run(*replicas, keys, data)
    except Exception as e:
        check("test ran to the end", False, crash_detail(e))
    finally:
        for r in replicas:
            r.stop()
        check("both vpnaasd stopped (by PID)", all(r.proc.poll() is not None for r in replicas))
        check("no 5xx from either replica", not [s for s in statuses if s >= 500], str(sorted(set(statuses))))
        leaks = [b for b in bodies if any(w in b for w in ("SQLITE", "sqlite", "constraint failed", "UNIQUE", "FOREIGN KEY", "/work", "/tmp",
                                                            "violates", "SQLSTATE", "postgres", "relation"))]
        check("no database text or path in any error body", not leaks, str(leaks[:3]))
        texts = [open(r.log_path).read() for r in replicas]
        tokens = [t for t in (getattr(r, "token", None) for r in replicas) if t] + issued
        check("no secret (password, PSK, token) in the logs", not any(s in t for t in texts for s in [PASSWORD, PSK] + tokens))
        if POSTGRES:
            subprocess.run(["psql", "-q", admin_url, "-c", f"DROP DATABASE IF EXISTS {db}"])
        if check.failed:
            for r, t in zip(replicas, texts):
                print(f"---- replica {r.name} log (tail) ----")
                print(t[-4000:])
            print(f"(kept in {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return check.exit_code()


if __name__ == "__main__":
    sys.exit(main())
