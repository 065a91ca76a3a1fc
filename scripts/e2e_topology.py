"""The two-site topology shared by the data-plane e2e test and the benchmarks: a provider network
(flat, physnet public, 2001:db8::/64 + 203.0.113.0/24), and for projects left and right a network with an
IPv6 and an IPv4 subnet, a router with gateway and both interfaces, a probe port, seed-like IKE/IPsec
policies (IKEv2, aes-256, sha256, group14), a VPN service and local/peer endpoint groups for both families.
Talks to vpnaasd in noauth mode with X-Project-Id headers. Standard library only.
"""
import json
import urllib.error
import urllib.request


class API:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, project=None, roles="member", expect=None):
        headers = {"Content-Type": "application/json"}
        if project:
            headers["X-Project-Id"] = project
            headers["X-Roles"] = roles
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
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
