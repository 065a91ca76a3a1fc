#!/usr/bin/env python3
"""Browser end-to-end test of unmodified Horizon 27 + neutron-vpnaas-dashboard 15 against vpnaasd.

Starts its own vpnaasd all-in-one (embedded Keystone, --no-agent: Horizon only needs the API) and Horizon
(Django's server from the venv of scripts/horizon-setup.sh, configured by horizon/local_settings.py) on free
loopback ports, then with Debian's chromium + chromedriver: logs in as admin and as a member, opens the VPN
panel's five tabs, creates each VPN resource through Horizon's own forms, and checks the project pages
Horizon shows without compute load without errors; then edits (an unused IKE policy, an endpoint group) and
deletes every VPN object through Horizon's tables, and signs out.

Usage: e2e_horizon.py BINARY HORIZON_VENV SELENIUM_VENV
Prints ok/FAIL lines and a final 'N passed, N failed'.
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

BINARY, HVENV, SVENV = (sys.argv[1:4] + [None, None, None])[:3]
sys.path[:0] = glob.glob(os.path.join(SVENV or "", "lib", "python3*", "site-packages"))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Checks, crash_detail, free_port, page_replaced  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ADMIN_PASSWORD = "horizon-e2e-admin-pw"
check = Checks()


def wait_http(url, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except Exception:
            time.sleep(0.2)
    return False


class API:
    def __init__(self, base, user, password, project):
        self.base = base
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "password": password, "domain": {"id": "default"}}}},
            "scope": {"project": {"name": project, "domain": {"id": "default"}}}}}
        req = urllib.request.Request(base + "/v3/auth/tokens", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            self.token = r.headers["X-Subject-Token"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                     headers={"Content-Type": "application/json", "X-Auth-Token": self.token})
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return json.loads(raw) if raw else None


def seed(base):
    """The member's project with a network, subnet and router with gateway (what the VPN forms pick from)."""
    admin = API(base, "admin", ADMIN_PASSWORD, "admin")
    project = admin.call("POST", "/v3/projects", {"project": {"name": "demo"}})["project"]["id"]
    user = admin.call("POST", "/v3/users", {"user": {"name": "demo", "password": "demo-pw", "default_project_id": project}})["user"]["id"]
    role = admin.call("GET", "/v3/roles?name=member")["roles"][0]["id"]
    admin.call("PUT", f"/v3/projects/{project}/users/{user}/roles/{role}")
    ext = admin.call("POST", "/v2.0/networks", {"network": {"name": "provider", "router:external": True}})["network"]
    admin.call("POST", "/v2.0/subnets", {"subnet": {"network_id": ext["id"], "cidr": "203.0.113.0/24", "ip_version": 4}})
    demo = API(base, "demo", "demo-pw", "demo")
    net = demo.call("POST", "/v2.0/networks", {"network": {"name": "demo-net"}})["network"]
    sub = demo.call("POST", "/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": "10.1.0.0/24", "ip_version": 4, "name": "demo-subnet"}})["subnet"]
    router = demo.call("POST", "/v2.0/routers", {"router": {"name": "demo-router", "external_gateway_info": {"network_id": ext["id"]}}})["router"]
    demo.call("PUT", f"/v2.0/routers/{router['id']}/add_router_interface", {"subnet_id": sub["id"]})
    return demo


class Browser:
    def __init__(self, base, work, name):
        self.base = base
        o = webdriver.ChromeOptions()
        o.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                  f"--user-data-dir={os.path.join(work, 'chrome-' + name)}"):
            o.add_argument(a)
        # chromedriver's first start on a loaded machine can time out: one retry.
        for attempt in (1, 2):
            try:
                self.d = webdriver.Chrome(service=Service("/usr/bin/chromedriver", log_output=os.path.join(work, f"cd-{name}.log")), options=o)
                break
            except Exception:
                if attempt == 2:
                    raise
                time.sleep(2)

    def go(self, path):
        self.d.get(self.base + path)
        WebDriverWait(self.d, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def el(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def login(self, user, password):
        self.go("/auth/login/")
        self.el("#id_username").send_keys(user)
        self.el("#id_password").send_keys(password)
        old = self.el("html")
        self.el("#loginBtn").click()
        WebDriverWait(self.d, 60).until(page_replaced(old))
        WebDriverWait(self.d, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def errors(self):
        return [e.text for e in self.els(".alert-danger, .messages .error, .alert.alert-error") if e.text.strip()]

    def modal_form(self, open_css, fields, selects=None, submit_css=".modal-footer .btn-primary"):
        """Opens a Horizon modal (link or button), fills it and submits; returns the messages shown."""
        self.el(open_css).click()
        WebDriverWait(self.d, 30).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".modal form")))
        time.sleep(0.5)
        for css, value in (selects or {}).items():
            # Horizon's themable selects hide the <select> behind a dropdown: set it as the dropdown would.
            ok = self.d.execute_script("""
                var s = document.querySelector(arguments[0]), want = arguments[1];
                if (!s) return "no " + arguments[0];
                for (var i = 0; i < s.options.length; i++) {
                  var o = s.options[i];
                  if (want.startsWith("text:") ? o.text.trim() === want.slice(5) : o.value === want) {
                    s.value = o.value; s.dispatchEvent(new Event("change", {bubbles: true}));
                    if (window.jQuery) jQuery(s).trigger("change");
                    return "";
                  }
                }
                return "no option " + want + " in " + Array.from(s.options).map(function (o) { return o.value + "=" + o.text; }).join(",");
            """, f".modal {css}", value)
            if ok:
                raise RuntimeError(ok)
        for css, value in fields.items():
            e = self.el(f".modal {css}")
            e.clear()
            e.send_keys(value)
        self.el(submit_css).click()
        def closed(d):
            try:
                return not d.find_elements(By.CSS_SELECTOR, ".modal form")
            except Exception:
                return False
        WebDriverWait(self.d, 60).until(closed)
        time.sleep(1.5)
        try:
            return [e.text for e in self.els(".alert") if e.text.strip()]
        except Exception:
            return []

    def quit(self):
        try:
            self.d.quit()
        except Exception:
            pass


TABS = [("ikepolicies", "IKE Policies"), ("ipsecpolicies", "IPsec Policies"), ("vpnservices", "VPN Services"),
        ("endpointgroups", "Endpoint Groups"), ("ipsecsiteconnections", "IPsec Site Connections")]


def run(vbase, hbase, work):
    demo_api = seed(vbase)
    admin = Browser(hbase, work, "admin")
    member = Browser(hbase, work, "member")
    try:
        admin.login("admin", ADMIN_PASSWORD)
        check("admin logs in to Horizon", "/auth/login" not in admin.d.current_url and not admin.errors(), f"{admin.d.current_url} {admin.errors()}")
        admin.go("/admin/networks/")
        check("admin sees the admin network panel with every project's networks", "provider" in admin.el("body").text and
              "demo-net" in admin.el("body").text, admin.errors())
        member.login("demo", "demo-pw")
        check("member logs in to Horizon", "/auth/login" not in member.d.current_url and not member.errors(), f"{member.d.current_url} {member.errors()}")
        for path, label in (("/project/network_topology/", "Network Topology"), ("/project/networks/", "Networks"), ("/project/routers/", "Routers")):
            member.go(path)
            check(f"member: {label} panel renders without error", not member.errors() and "Error" not in member.d.title, f"{member.d.title} {member.errors()}")
        body = member.el("body").text
        check("no security-group or floating-IP panel in the menu", "Security Groups" not in body and "Floating IPs" not in body)

        # The five VPN tabs.
        for tab, label in TABS:
            member.go(f"/project/vpn/?tab=vpntabs__{tab}")
            check(f"VPN tab {label} renders", not member.errors() and label in member.el("body").text, member.errors())

        # Create each resource through Horizon's forms. The IKE/IPsec forms preselect sha1, which vpnaasd
        # refuses (as Neutron should): pick sha256, as the README says.
        member.go("/project/vpn/?tab=vpntabs__ikepolicies")
        msgs = member.modal_form("#ikepoliciestable__action_addikepolicy", {"#id_name": "horizon-ike"},
                                 {"#id_auth_algorithm": "sha256", "#id_encryption_algorithm": "aes-256", "#id_ike_version": "v2", "#id_pfs": "group14"})
        member.go("/project/vpn/?tab=vpntabs__ikepolicies")
        check("IKE policy created through Horizon's form", "horizon-ike" in member.el("body").text, msgs)
        member.go("/project/vpn/?tab=vpntabs__ipsecpolicies")
        msgs = member.modal_form("#ipsecpoliciestable__action_addipsecpolicy", {"#id_name": "horizon-ipsec"},
                                 {"#id_auth_algorithm": "sha256", "#id_encryption_algorithm": "aes-256", "#id_pfs": "group14"})
        member.go("/project/vpn/?tab=vpntabs__ipsecpolicies")
        check("IPsec policy created through Horizon's form", "horizon-ipsec" in member.el("body").text, msgs)
        member.go("/project/vpn/?tab=vpntabs__vpnservices")
        msgs = member.modal_form("#vpnservicestable__action_addvpnservice", {"#id_name": "horizon-vpn"}, {"#id_router_id": "text:demo-router"})
        member.go("/project/vpn/?tab=vpntabs__vpnservices")
        check("VPN service created through Horizon's form", "horizon-vpn" in member.el("body").text, msgs)
        member.go("/project/vpn/?tab=vpntabs__endpointgroups")
        msgs = member.modal_form("#endpointgroupstable__action_addendpointgroup", {"#id_name": "horizon-peer", "#id_cidrs": "10.2.0.0/24"},
                                 {"#id_type": "cidr"})
        member.go("/project/vpn/?tab=vpntabs__endpointgroups")
        check("endpoint group created through Horizon's form", "horizon-peer" in member.el("body").text, msgs)
        local = demo_api.call("POST", "/v2.0/vpn/endpoint-groups", {"endpoint_group": {"name": "horizon-local", "type": "subnet",
                              "endpoints": [demo_api.call("GET", "/v2.0/subnets?name=demo-subnet")["subnets"][0]["id"]]}})
        member.go("/project/vpn/?tab=vpntabs__ipsecsiteconnections")
        msgs = member.modal_form(
            "#ipsecsiteconnectionstable__action_addipsecsiteconnection",
            {"#id_name": "horizon-conn", "#id_peer_address": "198.51.100.7", "#id_peer_id": "198.51.100.7", "#id_psk": "horizon-psk-secret"},
            {"#id_vpnservice_id": "text:horizon-vpn", "#id_ikepolicy_id": "text:horizon-ike", "#id_ipsecpolicy_id": "text:horizon-ipsec",
             "#id_local_ep_group_id": "text:horizon-local", "#id_peer_ep_group_id": "text:horizon-peer"},
            submit_css=".modal-footer .btn-primary")
        member.go("/project/vpn/?tab=vpntabs__ipsecsiteconnections")
        check("IPsec site connection created through Horizon's form", "horizon-conn" in member.el("body").text, msgs)
        conns = demo_api.call("GET", "/v2.0/vpn/ipsec-site-connections")["ipsec_site_connections"]
        check("the API has the connection Horizon created", [c["name"] for c in conns] == ["horizon-conn"], str(conns))
        return admin, member, demo_api, local
    except Exception:
        admin.quit()
        member.quit()
        raise


def main():
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver", os.path.join(HVENV or "", "bin", "django-admin")):
        if not os.path.exists(tool):
            print(f"FAIL: {tool} missing (scripts/prereqs.sh test, scripts/horizon-setup.sh)")
            print("0 passed, 1 failed")
            return 1
    work = tempfile.mkdtemp(prefix="vpnaas-horizon.")
    vport, hport = free_port(), free_port()
    vbase, hbase = f"http://127.0.0.1:{vport}", f"http://127.0.0.1:{hport}"
    vlog = open(os.path.join(work, "vpnaasd.log"), "w")
    hlog = open(os.path.join(work, "horizon.log"), "w")
    vproc = subprocess.Popen([BINARY, "all-in-one", "--no-agent", "--data-dir", os.path.join(work, "data"), "--bind", f"127.0.0.1:{vport}"],
                             stdout=vlog, stderr=subprocess.STDOUT, env=dict(os.environ, VPNAAS_BOOTSTRAP_PASSWORD=ADMIN_PASSWORD))
    henv = dict(os.environ, DJANGO_SETTINGS_MODULE="openstack_dashboard.settings", VPNAAS_KEYSTONE_URL=vbase + "/v3",
                HORIZON_SECRET_KEY="e2e-" + str(os.getpid()), HORIZON_LOG_LEVEL="WARNING")
    hproc = subprocess.Popen([os.path.join(HVENV, "bin", "django-admin"), "runserver", "--insecure", "--noreload", f"127.0.0.1:{hport}"],
                             stdout=hlog, stderr=subprocess.STDOUT, env=henv, cwd=work)
    browsers = ()
    try:
        if not (wait_http(vbase + "/healthcheck") and wait_http(hbase + "/auth/login/")):
            raise RuntimeError("vpnaasd or Horizon did not start")
        admin, member, demo_api, local = run(vbase, hbase, work)
        browsers = (admin, member)
        more(admin, member, demo_api, local)
    except Exception as e:
        check("test ran to the end", False, crash_detail(e))
    finally:
        for b in browsers:
            b.quit()
        for p in (hproc, vproc):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        vlog.close()
        hlog.close()
        if check.failed:
            print("---- horizon log (tail) ----")
            print(open(os.path.join(work, "horizon.log")).read()[-5000:])
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return check.exit_code()


def more(admin, member, demo_api, local):
    """Edit and delete through Horizon's tables."""
    # Horizon's edit forms (the row action's page), without JavaScript's modal. An IKE policy in use by a
    # connection cannot be updated (409, as Neutron's IKEPolicyInUse — Horizon then shows an error), so the
    # policy edited is a second one, not in use. The connection stays PENDING_CREATE here (no agent in this
    # stage), and Neutron refuses to update a PENDING_* connection or service (400), so the other edit is of an
    # endpoint group, which can always be renamed and described.
    spare = demo_api.call("POST", "/v2.0/vpn/ikepolicies", {"ikepolicy": {"name": "horizon-ike-spare"}})["ikepolicy"]
    peer = demo_api.call("GET", "/v2.0/vpn/endpoint-groups?name=horizon-peer")["endpoint_groups"][0]
    for path, field, label, read in (
            (f"update_ikepolicy/{spare['id']}", "id_description", "IKE policy edited through Horizon",
             lambda: demo_api.call("GET", f"/v2.0/vpn/ikepolicies/{spare['id']}")["ikepolicy"]),
            (f"update_endpointgroup/{peer['id']}", "id_description", "endpoint group edited through Horizon",
             lambda: demo_api.call("GET", f"/v2.0/vpn/endpoint-groups/{peer['id']}")["endpoint_group"])):
        member.go(f"/project/vpn/{path}/")
        old = member.el("html")
        member.d.execute_script(f"""
            var d = document.querySelector("#{field}"); d.value = "edited in Horizon"; d.form.submit();""")
        WebDriverWait(member.d, 60).until(page_replaced(old))
        obj = read()
        check(label, obj["description"] == "edited in Horizon", str(obj))
    demo_api.call("DELETE", f"/v2.0/vpn/ikepolicies/{spare['id']}")

    for tab, table, name, kind, path, plural in (
            ("ipsecsiteconnections", "ipsecsiteconnectionstable", "horizon-conn", "ipsecsiteconnection", "ipsec-site-connections", "ipsec_site_connections"),
            ("endpointgroups", "endpointgroupstable", "horizon-peer", "endpointgroup", "endpoint-groups", "endpoint_groups"),
            ("vpnservices", "vpnservicestable", "horizon-vpn", "vpnservice", "vpnservices", "vpnservices"),
            ("ipsecpolicies", "ipsecpoliciestable", "horizon-ipsec", "ipsecpolicy", "ipsecpolicies", "ipsecpolicies"),
            ("ikepolicies", "ikepoliciestable", "horizon-ike", "ikepolicy", "ikepolicies", "ikepolicies")):
        oid = demo_api.call("GET", f"/v2.0/vpn/{path}?name={name}")[plural][0]["id"]
        member.go(f"/project/vpn/?tab=vpntabs__{tab}")
        # Select the row, press the table's Delete and confirm the dialog in one go: rows in a PENDING_* status
        # are re-fetched and replaced by Horizon's table polling every few seconds, which drops a selection made
        # earlier. The dialog's button exists as soon as the action is clicked (Horizon builds it synchronously).
        old = member.el("html")
        done = member.d.execute_script(f"""
            var row = document.querySelector('#{table} tr[data-object-id="{oid}"]');
            if (!row) return "no row";
            var box = row.querySelector('input[type=checkbox]'); box.checked = false; box.click();
            document.getElementById('{table}__action_delete{kind}').click();
            var ok = document.querySelector('.modal .btn-danger, .modal-footer .btn-primary');
            if (!ok) return "no confirm button";
            ok.click();
            return "submitted";""")
        check(f"{name}: Horizon's delete dialog submitted", done == "submitted", str(done))
        WebDriverWait(member.d, 60).until(page_replaced(old))
        WebDriverWait(member.d, 60).until(lambda dr: dr.execute_script("return document.readyState") == "complete")
        gone = False
        for _ in range(40):
            if not demo_api.call("GET", f"/v2.0/vpn/{path}?name={name}")[plural]:
                gone = True
                break
            time.sleep(0.25)
        member.go(f"/project/vpn/?tab=vpntabs__{tab}")
        check(f"{name} deleted through Horizon", gone and name not in member.el(f"#{table}").text)
    demo_api.call("DELETE", f"/v2.0/vpn/endpoint-groups/{local['endpoint_group']['id']}")
    member.el("body")
    # Horizon's Sign Out is a POST form in the user menu (Django refuses GET /auth/logout/).
    member.go("/project/vpn/")
    old = member.el("html")
    member.d.execute_script("document.querySelector('form[action$=\"/auth/logout/\"]').submit()")
    WebDriverWait(member.d, 60).until(page_replaced(old))
    check("member logs out", "/auth/login" in member.d.current_url, member.d.current_url)


if __name__ == "__main__":
    sys.exit(main())
