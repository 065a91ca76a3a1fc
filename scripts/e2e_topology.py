"""The two-site topology shared by the data-plane e2e test and the benchmarks: a provider network
(flat, physnet public, 2001:db8::/64 + 203.0.113.0/24), and for projects left and right a network with an
IPv6 and an IPv4 subnet, a router with gateway and both interfaces, a probe port, seed-like IKE/IPsec
policies (IKEv2, aes-256, sha256, group14), a VPN service and local/peer endpoint groups for both families.
Talks to vpnaasd in noauth mode with X-Project-Id headers (or with a Keystone token). Standard library only.

Also the pieces for several "hosts" on one machine (`Host`: a network + mount namespace pair held by a
sleeping process, so each vpnaasd sees only its own named namespaces) and a capture helper that counts
plaintext pings against ESP-in-UDP.
"""
import contextlib
import ctypes
import glob
import json
import os
import signal
import subprocess
import time
import traceback
import urllib.error
import urllib.request

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


@contextlib.contextmanager
def in_netns(pid):
    """Runs the block (this thread) inside the network namespace of process `pid`: sockets made here
    stay there. Used to talk to a vpnaasd that listens on the loopback of its own "host"."""
    if pid is None:
        yield
        return
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY)
    try:
        if _libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns")
        try:
            yield
        finally:
            if _libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(target)
        os.close(home)


class API:
    def __init__(self, base, netns_pid=None, token=None):
        self.base = base
        self.netns_pid = netns_pid
        self.token = token

    def login(self, user, password, project):
        """Keystone password auth; later calls carry the token."""
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"name": "Default"}, "password": password}}},
            "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}}
        req = urllib.request.Request(self.base + "/v3/auth/tokens", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with in_netns(self.netns_pid), urllib.request.urlopen(req, timeout=30) as r:
            self.token = r.headers["X-Subject-Token"]

    def call(self, method, path, body=None, project=None, roles="member", expect=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["X-Auth-Token"] = self.token
        elif project:
            headers["X-Project-Id"] = project
            headers["X-Roles"] = roles
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with in_netns(self.netns_pid), urllib.request.urlopen(req, timeout=30) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        payload = json.loads(raw) if raw else None
        if expect is not None and status != expect:
            raise RuntimeError(f"{method} {path} -> {status} {payload}")
        return status, payload

    def post(self, path, body, project=None, roles="member"):
        return self.call("POST", path, body, project, roles, expect=201)[1]

    def put(self, path, body, project=None, roles="member"):
        return self.call("PUT", path, body, project, roles, expect=200)[1]

    def get(self, path, project=None):
        return self.call("GET", path, None, project, expect=200)[1]

    def delete(self, path, project=None, roles="member"):
        return self.call("DELETE", path, None, project, roles, expect=204)


def build_two_sites(api, prefix="vpnaas"):
    """Returns (provider network, left, right); each side is a dict of the objects made for it."""
    admin = "admin-project"
    ext = api.post("/v2.0/networks", {"network": {"name": "provider", "router:external": True,
                   "provider:network_type": "flat", "provider:physical_network": "public"}}, admin, "admin")["network"]
    api.post("/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "2001:db8::/64", "ip_version": 6,
             "gateway_ip": "2001:db8::1", "name": "provider-v6"}}, admin, "admin")
    api.post("/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "203.0.113.0/24", "ip_version": 4,
             "gateway_ip": "203.0.113.1", "name": "provider-v4"}}, admin, "admin")
    sides = {}
    for name, v6, v4 in (("left", "2001:db8:1:33bc::/64", "10.1.0.0/24"), ("right", "2001:db8:1:33bd::/64", "10.2.0.0/24")):
        p = f"project-{name}"
        net = api.post("/v2.0/networks", {"network": {"name": f"{prefix}-{name}-network"}}, p)["network"]
        s6 = api.post("/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": v6, "ip_version": 6, "name": f"{name}-v6"}}, p)["subnet"]
        s4 = api.post("/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": v4, "ip_version": 4, "name": f"{name}-v4"}}, p)["subnet"]
        router = api.post("/v2.0/routers", {"router": {"name": f"{prefix}-{name}-router"}}, p)["router"]
        api.put(f"/v2.0/routers/{router['id']}", {"router": {"external_gateway_info": {"network_id": ext["id"]}}}, p)
        for s in (s6, s4):
            api.put(f"/v2.0/routers/{router['id']}/add_router_interface", {"subnet_id": s["id"]}, p)
        probe = api.post("/v2.0/ports", {"port": {"network_id": net["id"], "device_owner": "network:probe",
                         "device_id": f"{prefix}-probe", "project_id": p, "name": f"{name}-probe"}}, admin, "admin")["port"]
        ike = api.post("/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "ikepolicy", "ike_version": "v2",
                       "encryption_algorithm": "aes-256", "auth_algorithm": "sha256", "pfs": "group14",
                       "lifetime": {"units": "seconds", "value": 3600}}}, p)["ikepolicy"]
        ipsec = api.post("/v2.0/vpn/ipsecpolicies", {"ipsecpolicy": {"name": "ipsecpolicy", "encryption_algorithm": "aes-256",
                         "auth_algorithm": "sha256", "pfs": "group14", "transform_protocol": "esp",
                         "encapsulation_mode": "tunnel"}}, p)["ipsecpolicy"]
        svc = api.post("/v2.0/vpn/vpnservices", {"vpnservice": {"name": "vpn", "router_id": router["id"]}}, p)["vpnservice"]
        local6 = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "local6", "type": "subnet", "endpoints": [s6["id"]]}}, p)["endpoint_group"]
        local4 = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "local4", "type": "subnet", "endpoints": [s4["id"]]}}, p)["endpoint_group"]
        sides[name] = dict(project=p, net=net, s6=s6, s4=s4, router=router, probe=probe, ike=ike, ipsec=ipsec, svc=svc,
                           local6=local6, local4=local4, v6=v6, v4=v4)
    L, R = sides["left"], sides["right"]
    for me, other in ((L, R), (R, L)):
        me["peer6"] = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "peer6", "type": "cidr", "endpoints": [other["v6"]]}}, me["project"])["endpoint_group"]
        me["peer4"] = api.post("/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "peer4", "type": "cidr", "endpoints": [other["v4"]]}}, me["project"])["endpoint_group"]
    for side in (L, R):
        # The service shows its external addresses once the router has a gateway.
        side["svc"] = api.get(f"/v2.0/vpn/vpnservices/{side['svc']['id']}", side["project"])["vpnservice"]
    return ext, L, R


def crash_detail(e):
    """What a crashed test says about it: the exception's type and text and where it came from (repr() of a
    Selenium exception is a bare 'WebDriverException()', which tells nothing)."""
    text = str(e).strip().splitlines()
    frames = traceback.extract_tb(e.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename]
    shown = ours[-3:] + ([frames[-1]] if frames and (not ours or frames[-1] is not ours[-1]) else [])
    where = "".join(traceback.format_list(shown)).strip()
    return f"{type(e).__name__}: {text[0] if text else ''}\n{where}"


def charon_pids(directory):
    """The charons whose pid files lie under `directory` (an agent's state dir) and that still run."""
    pids = []
    for root, _, files in os.walk(directory):
        if "charon.pid" in files:
            try:
                pid = int(open(os.path.join(root, "charon.pid")).read().strip())
                if b"charon" in open(f"/proc/{pid}/cmdline", "rb").read():
                    pids.append(pid)
            except (OSError, ValueError):
                pass
    return pids


def kill_charons(directory):
    """Charons that outlive their agent (it was killed): SIGKILL by PID, from the pid files under `directory`."""
    for pid in charon_pids(directory):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def ping(host, ns, address, count=3, source=None):
    """Pings from namespace `ns` of `host` (3 echoes 0.2 s apart, 1 s wait); true when answered."""
    argv = ["ip", "netns", "exec", ns, "ping", "-6" if ":" in address else "-4", "-c", str(count), "-i", "0.2", "-W", "1"]
    if source:
        argv += ["-I", source]
    return host.run(*(argv + [address])).returncode == 0


def wait_for(predicate, timeout=15.0, step=0.05):
    """Polls `predicate` until it returns something truthy (returned) or `timeout` passes (its last value)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


class Tally:
    """ok/FAIL lines and the final 'N passed, N failed' every e2e stage prints."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name} {detail}", flush=True)
        return ok

    def summary(self):
        return f"{self.passed} passed, {self.failed} failed"


def stop_process(proc, sig=signal.SIGTERM, timeout=20):
    """Signals one process we started (by its Popen, never by name) and waits; SIGKILL after `timeout` s."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Host:
    """A "machine" of its own: a network namespace (loopback only) and a mount namespace with private
    tmpfs on /run/netns and /run/vpnaas, held open by a sleeping process. Commands run in it with
    nsenter; it vanishes, with every named namespace and link made in it, when `close` kills the holder
    (after the caller stopped what it started there)."""

    def __init__(self, name):
        self.name = name
        self.proc = subprocess.Popen(
            ["unshare", "--net", "--mount", "--propagation", "private", "bash", "-c",
             "set -e; mkdir -p /run/netns /run/vpnaas; mount -t tmpfs -o mode=0755 tmpfs /run/netns;"
             " mount -t tmpfs -o mode=0755 tmpfs /run/vpnaas; ip link set lo up; echo ready; exec sleep infinity"],
            stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"host {name} did not come up")
        self.pid = self.proc.pid

    def argv(self, *argv, mount=True):
        return ["nsenter", "-t", str(self.pid), "-n"] + (["-m"] if mount else []) + ["--"] + list(argv)

    def run(self, *argv, check=False, timeout=60, mount=True):
        r = subprocess.run(self.argv(*argv, mount=mount), capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"{self.name}: {' '.join(argv)}: {r.returncode} {r.stderr.strip()}")
        return r

    def script(self, text):
        """A bash script inside the host (set -e): topology setup in one exec."""
        r = self.run("bash", "-ec", text)
        if r.returncode != 0:
            raise RuntimeError(f"{self.name}: setup script failed ({r.returncode}): {r.stderr.strip()[-800:]}")
        return r

    def popen(self, *argv, **kwargs):
        return subprocess.Popen(self.argv(*argv), **kwargs)

    def namespaces(self):
        return [line.split()[0] for line in self.run("ip", "netns", "list").stdout.splitlines() if line.strip()]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def link_hosts(a, a_dev, b, b_dev):
    """One veth between two hosts (made here, both ends sent away at once)."""
    subprocess.run(["ip", "link", "add", a_dev, "netns", str(a.pid), "type", "veth", "peer", "name", b_dev,
                    "netns", str(b.pid)], check=True, capture_output=True)


def linked_hosts(hosts):
    """Two hosts A and B joined by one veth `ext0`—`ext0` (the inter-cloud link); appended to `hosts`
    as soon as each exists, so the caller's cleanup closes them even if the link fails."""
    for name in ("A", "B"):
        hosts.append(Host(name))
    link_hosts(hosts[-2], "ext0", hosts[-1], "ext0")
    return hosts[-2], hosts[-1]


def teardown(peers, clouds, hosts):
    """Stops, in order, plain peers, clouds (their agents clean up), then the hosts themselves."""
    for p in peers:
        p.stop()
    for c in clouds:
        c.stop()
    for h in hosts:
        h.close()


class Cloud:
    """vpnaasd all-in-one inside its own Host, listening on that host's loopback."""

    def __init__(self, name, host, work, auth, binary, mapping="public=bridge:br-inet", run=1, port=9696, log_level="debug"):
        self.name, self.host, self.auth = name, host, auth
        self.data = os.path.join(work, f"cloud-{name}")
        self.log_path = os.path.join(work, f"cloud-{name}.{run}.log")
        self.log = open(self.log_path, "w")
        env = dict(os.environ, VPNAAS_AGENT_CLEANUP_ON_EXIT="1", LOG_LEVEL=log_level,
                   VPNAAS_PHYSICAL_NETWORK_MAPPINGS=mapping)
        self.proc = host.popen(os.path.abspath(binary), "all-in-one", "--data-dir", self.data, "--bind", f"127.0.0.1:{port}",
                               "--auth-strategy", auth, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.api = API(f"http://127.0.0.1:{port}", netns_pid=host.pid)
        for _ in range(400):
            try:
                with in_netns(host.pid):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthcheck", timeout=1)
                break
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"cloud {name}: vpnaasd exited: {open(self.log_path).read()[-2000:]}")
                time.sleep(0.05)
        else:
            raise RuntimeError(f"cloud {name}: vpnaasd did not become ready")

    def text(self):
        return open(self.log_path, errors="replace").read()

    def all_runs(self):
        return "".join(open(f, errors="replace").read() for f in glob.glob(os.path.join(os.path.dirname(self.log_path), f"cloud-{self.name}.*.log")))

    def stop(self):
        stop_process(self.proc, timeout=30)
        self.log.close()
        # Charons vpnaasd could not stop (it was killed): by PID, from its state dir.
        kill_charons(os.path.join(self.data, "agent"))


class PlainPeer:
    """A strongSwan that vpnaasd does not drive: charon-systemd with a strongswan.conf and a swanctl.conf
    written here, as a peer's admin would, loaded with `swanctl --load-all`."""

    def __init__(self, host, ns, work, name, conf):
        self.host, self.ns, self.name = host, ns, name
        self.dir = os.path.join(work, f"peer-{name}")
        os.makedirs(self.dir)
        self.socket = os.path.join(self.dir, "charon.vici")
        with open(os.path.join(self.dir, "strongswan.conf"), "w") as f:
            f.write(f"""charon-systemd {{
    load_modular = no
    load = random nonce openssl aes sha1 sha2 hmac gmp kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici
    plugins {{
        vici {{
            socket = unix://{self.socket}
        }}
    }}
    journal {{
        default = -1
    }}
    filelog {{
        main {{
            path = {self.dir}/charon.log
            default = 1
            flush_line = yes
        }}
    }}
}}
""")
        self.swanctl = os.path.join(self.dir, "swanctl.conf")
        with open(self.swanctl, "w") as f:
            f.write(conf)
        os.chmod(self.swanctl, 0o600)
        self.out = open(os.path.join(self.dir, "charon.out"), "w")
        env = dict(os.environ, STRONGSWAN_CONF=os.path.join(self.dir, "strongswan.conf"))
        self.proc = host.popen("ip", "netns", "exec", ns, "/usr/sbin/charon-systemd", stdout=self.out,
                               stderr=subprocess.STDOUT, env=env, start_new_session=True)
        for _ in range(200):
            if os.path.exists(self.socket):
                break
            time.sleep(0.05)
        self.loaded_at = time.monotonic()
        r = host.run("swanctl", "--load-all", "--file", self.swanctl, "--uri", f"unix://{self.socket}")
        if r.returncode != 0:
            raise RuntimeError(f"peer {name}: swanctl --load-all: {r.stdout} {r.stderr}")

    def sas(self):
        return self.host.run("swanctl", "--list-sas", "--uri", f"unix://{self.socket}").stdout

    def stop(self):
        stop_process(self.proc, timeout=5)
        self.out.close()


def swanctl_conf(local_addr, local_id, remote_addr, remote_id, local_ts, remote_ts, psk, start="start"):
    local = f"local_addrs = {local_addr}\n        " if local_addr else ""
    return f"""# Hand-written, as the peer's admin would: no vpnaasd involved.
connections {{
    cloud {{
        version = 2
        {local}remote_addrs = {remote_addr}
        proposals = aes256-sha256-modp2048
        local {{
            auth = psk
            id = {local_id}
        }}
        remote {{
            auth = psk
            id = {remote_id}
        }}
        children {{
            cloud {{
                local_ts = {local_ts}
                remote_ts = {remote_ts}
                esp_proposals = aes256-sha256-modp2048
                start_action = {start}
                dpd_action = restart
            }}
        }}
    }}
}}
secrets {{
    ike-cloud {{
        id-local = {local_id}
        id-remote = {remote_id}
        secret = "{psk}"
    }}
}}
"""


class Capture:
    """tcpdump with a packet cap; `stop` counts plaintext pings, ESP-in-UDP and raw ESP frames.
    `prefix` is the argv that enters where the device is (e.g. `ip netns exec NS` or a Host's nsenter)."""

    FILTER = "icmp or icmp6 or udp port 4500 or udp port 500 or ip proto 50 or ip6 proto 50"

    def __init__(self, prefix, dev, path, filt=FILTER):
        self.path = path
        self.proc = subprocess.Popen(
            list(prefix) + ["tcpdump", "-i", dev, "-n", "-U", "--immediate-mode", "-c", "4000", "-w", path, filt],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def stop(self):
        """-> (plaintext echo frames, ESP-in-UDP frames, raw ESP frames, all decoded lines)."""
        time.sleep(0.3)
        stop_process(self.proc, signal.SIGINT, timeout=5)
        lines = subprocess.run(["tcpdump", "-r", self.path, "-n"], capture_output=True, text=True).stdout.splitlines()
        if os.environ.get("E2E_DEBUG"):
            print("\n".join(lines))
        plain = [l for l in lines if "echo request" in l or "echo reply" in l]
        esp = [l for l in lines if "UDP-encap: ESP" in l or "NONESP-encap" in l or ".4500 >" in l]
        raw_esp = [l for l in lines if " ESP(" in l and "UDP-encap" not in l]
        return len(plain), len(esp), len(raw_esp), lines
