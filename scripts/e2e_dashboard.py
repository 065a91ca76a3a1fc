#!/usr/bin/env python3
"""Browser end-to-end test of the dashboard: the real vpnaasd all-in-one (embedded Keystone + in-process
agent, real namespaces and charons) driven through Debian's chromium + chromedriver with Selenium.

Two projects on one host, each in its own browser: both build network, subnet, router, gateway and
interface through the dashboard's forms, then run the guided "new site-to-site VPN" flow with the other's
external IP; both connection pages turn ACTIVE without a reload; a wrong PSK (edit) takes the tunnel
DOWN and the right one brings it back; another project's object by URL is a 404 page; a form post without
its CSRF token is a 403; cookie flags; a refused delete names its users; everything is deleted through the
dashboard and nothing is left behind. With E2E_SCREENSHOTS=DIR it saves screenshots of the main pages.

Usage: e2e_dashboard.py BINARY SELENIUM_VENV
Prints ok/FAIL lines and a final 'N passed, N failed'.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import json

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnaasd"
VENV = sys.argv[2] if len(sys.argv) > 2 else None
if VENV:
    sys.path[:0] = [p for p in __import__("glob").glob(os.path.join(VENV, "lib", "python3*", "site-packages"))]

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Checks, crash_detail, free_port, page_replaced  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SHOTS = os.environ.get("E2E_SCREENSHOTS")
ADMIN_PASSWORD = "dashboard-e2e-admin-pw"
PSK = "dashboard-e2e-psk-0123"
check = Checks()


def namespaces():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


class Keystone:
    """The identity admin calls the test needs (projects, users, grants), through the API."""

    def __init__(self, base):
        self.base = base
        self.token = self.login("admin", ADMIN_PASSWORD, "admin")

    def call(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json", "X-Auth-Token": token or self.token}
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode() if body is not None else None,
                                     method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None), r.headers

    def login(self, user, password, project):
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "password": password, "domain": {"id": "default"}}}},
            "scope": {"project": {"name": project, "domain": {"id": "default"}}}}}
        req = urllib.request.Request(self.base + "/v3/auth/tokens", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.headers["X-Subject-Token"]

    def tenant(self, name, password):
        project = self.call("POST", "/v3/projects", {"project": {"name": name}})[1]["project"]["id"]
        user = self.call("POST", "/v3/users", {"user": {"name": name, "password": password, "default_project_id": project}})[1]["user"]["id"]
        role = self.call("GET", "/v3/roles?name=member")[1]["roles"][0]["id"]
        self.call("PUT", f"/v3/projects/{project}/users/{user}/roles/{role}")
        return project


class Browser:
    """One user's headless chromium."""

    def __init__(self, base, work, name, width=1280, height=800):
        self.base = base
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                  f"--user-data-dir={os.path.join(work, 'chrome-' + name)}", "--lang=en-GB"):
            options.add_argument(a)
        # The user's own time zone, to check that times are shown in it.
        env = dict(os.environ, TZ="Europe/Berlin")
        self.service = Service("/usr/bin/chromedriver", env=env, log_output=os.path.join(work, f"chromedriver-{name}.log"))
        # chromedriver's first start on a loaded machine can time out: one retry.
        try:
            self.d = webdriver.Chrome(service=self.service, options=options)
        except Exception:
            time.sleep(2)
            self.d = webdriver.Chrome(service=self.service, options=options)
        self.d.implicitly_wait(0)

    def go(self, path):
        self.d.get(self.base + path)

    def el(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def fill(self, field_id, value):
        e = self.d.find_element(By.ID, field_id)
        e.clear()
        e.send_keys(value)

    def choose(self, field_id, value=None, text_contains=None):
        s = Select(self.d.find_element(By.ID, field_id))
        if value is not None:
            s.select_by_value(value)
        else:
            for o in s.options:
                if text_contains in o.text:
                    s.select_by_visible_text(o.text)
                    return
            raise RuntimeError(f"no option with {text_contains!r} in {field_id}: {[o.text for o in s.options]}")

    def navigate_by(self, element):
        """Clicks something that loads a new page and waits for it."""
        old = self.el("html")
        element.click()
        WebDriverWait(self.d, 30).until(page_replaced(old))
        WebDriverWait(self.d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def submit(self, css="form.resource button[type=submit]"):
        self.navigate_by(self.el(css))

    def click_button(self, text):
        for b in self.els("button"):
            if b.text.strip() == text:
                self.navigate_by(b)
                return
        raise RuntimeError(f"no button {text!r} on {self.d.current_url}")

    def login(self, user, password, project=""):
        self.go("/dashboard/login")
        self.fill("user", user)
        self.fill("password", password)
        self.fill("project", project)
        self.navigate_by(self.el("form button[type=submit]"))

    def path(self):
        return "/" + self.d.current_url.split("/", 3)[3]

    def shot(self, name):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            # The whole page, not only the viewport.
            height = self.d.execute_script("return document.documentElement.scrollHeight")
            w, h = self.d.get_window_size()["width"], self.d.get_window_size()["height"]
            self.d.set_window_size(w, max(h, min(height + 120, 2400)))
            self.d.save_screenshot(os.path.join(SHOTS, name + ".png"))
            self.d.set_window_size(w, h)

    def quit(self):
        try:
            self.d.quit()
        except Exception:
            pass


def create(b, slug, fields, selects=None, checks=None):
    """Fills a resource form and submits it; returns the new object's id."""
    b.go(f"/dashboard/{slug}/new")
    for k, v in (selects or {}).items():
        if isinstance(v, tuple):
            b.choose(k, text_contains=v[0])
        else:
            b.choose(k, v)
    for k, v in fields.items():
        b.fill(k, v)
    for k, v in (checks or {}).items():
        box = b.d.find_element(By.ID, k)
        if box.is_selected() != v:
            box.click()
    b.submit()
    m = re.search(rf"/dashboard/{slug}/([0-9a-f-]{{36}})$", b.d.current_url)
    if not m:
        err = " | ".join(e.text for e in b.els(".error, .field-error"))
        raise RuntimeError(f"create {slug} failed: {err}")
    return m.group(1)


def build_site(b, name, cidr, provider_name):
    net = create(b, "networks", {"f-name": f"{name}-network"})
    subnet = create(b, "subnets", {"f-name": f"{name}-subnet", "f-cidr": cidr}, selects={"f-network_id": net})
    router = create(b, "routers", {"f-name": f"{name}-router"})
    b.go(f"/dashboard/routers/{router}")
    b.choose("gw-net", text_contains=provider_name)
    b.click_button("Set gateway")
    b.choose("if-subnet", subnet)
    b.click_button("Add interface")
    gw = b.el("[data-testid=gateway-ips]").text.strip()
    return dict(net=net, subnet=subnet, router=router, gw=gw)


def wait_field(b, field, want, timeout):
    """Waits, without reloading, for a live field to show one of `want`; True when it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if b.el(f"[data-field={field}]").text.strip() in want:
                return True
        except Exception:
            pass
        time.sleep(0.3)
    return False


def run(base, work):
    ks = Keystone(base)
    ks.tenant("left", "left-pw")
    ks.tenant("right", "right-pw")

    admin = Browser(base, work, "admin")
    left = Browser(base, work, "left")
    right = Browser(base, work, "right")
    browsers = [admin, left, right]
    try:
        # Login page, keyboard: the skip link is the first tab stop once logged in.
        admin.go("/dashboard/")
        check("not logged in -> login page", admin.path().startswith("/dashboard/login"))
        admin.shot("login")
        admin.login("admin", ADMIN_PASSWORD, "admin")
        cookies = {c["name"]: c for c in admin.d.get_cookies()}
        s = cookies.get("vpnaas_session", {})
        check("session cookie HttpOnly, SameSite=Strict, path /dashboard",
              s.get("httpOnly") is True and s.get("sameSite") == "Strict" and s.get("path") == "/dashboard", str(s))
        admin.el("body").send_keys(Keys.TAB)
        check("keyboard: first tab stop is the skip link", admin.d.switch_to.active_element.text == "Skip to content")

        # The operator's provider network, through the dashboard.
        provider = create(admin, "networks", {"f-name": "provider"}, checks={"f-router:external": True})
        create(admin, "subnets", {"f-name": "provider-v4", "f-cidr": "203.0.113.0/24", "f-gateway_ip": "203.0.113.1"},
               selects={"f-network_id": provider}, checks={"f-enable_dhcp": False})

        # CSRF: a post with the session cookie but without the form's token is refused.
        req = urllib.request.Request(base + "/dashboard/ikepolicies", data=b"name=forged", method="POST",
                                     headers={"Cookie": f"vpnaas_session={s.get('value', '')}",
                                              "Content-Type": "application/x-www-form-urlencoded"})
        try:
            code = urllib.request.urlopen(req, timeout=10).status
        except urllib.error.HTTPError as e:
            code = e.code
        check("form post without CSRF token -> 403", code == 403, str(code))

        left.login("left", "left-pw")
        right.login("right", "right-pw")
        L = build_site(left, "left", "10.1.0.0/24", "provider")
        R = build_site(right, "right", "10.2.0.0/24", "provider")
        check("both routers got a gateway address", bool(re.match(r"203\.0\.113\.\d+", L["gw"])) and bool(re.match(r"203\.0\.113\.\d+", R["gw"])),
              f"{L['gw']} {R['gw']}")
        left.go(f"/dashboard/routers/{L['router']}")
        left.shot("router")

        # The guided flow on both sides.
        conns = {}
        for b, me, other, name in ((left, L, R, "left"), (right, R, L, "right")):
            b.go("/dashboard/new-vpn")
            if name == "left":
                b.shot("new-vpn")
            b.fill("f-name", name)
            b.choose("f-subnet_id", me["subnet"])
            b.fill("f-peer_address", other["gw"])
            b.fill("f-peer_cidrs", "10.2.0.0/24" if name == "left" else "10.1.0.0/24")
            b.fill("f-psk", PSK)
            b.submit()
            shown = [e.text for e in b.els("[data-testid=external-v4]")]
            check(f"guided flow ({name}) shows the external IP to give the other side", shown == [me["gw"]], f"{shown} vs {me['gw']}")
            if name == "left":
                b.shot("new-vpn-done")
            link = b.d.find_element(By.PARTIAL_LINK_TEXT, "live status").get_attribute("href")
            conns[name] = link.rsplit("/", 1)[1]
            b.go(f"/dashboard/ipsec-site-connections/{conns[name]}")
            b.d.execute_script("window.__noReload = 1")

        for b, name in ((left, "left"), (right, "right")):
            up = wait_field(b, "status", {"ACTIVE"}, 60)
            check(f"{name} connection turns ACTIVE on the page", up, b.el("[data-field=status]").text)
            check(f"{name} page was not reloaded", b.d.execute_script("return window.__noReload") == 1)
        time.sleep(2.5)
        counters = left.el("[data-field=packets_in]").text.strip()
        check("live counters and established time shown", counters not in ("", "—") and left.els("[data-field=established_at] time"),
              counters)
        t = left.els("[data-field=established_at] time")
        check("times are shown in the browser's zone, not as raw UTC", bool(t) and t[0].text != t[0].get_attribute("datetime"),
              t[0].text if t else "")
        left.shot("connection")
        left.go("/dashboard/")
        check("overview lists the connection ACTIVE", wait_field(left, "status", {"ACTIVE"}, 10))
        left.shot("overview")
        left.go("/dashboard/ipsec-site-connections")
        left.shot("connections")

        # Phone width.
        phone = Browser(base, work, "phone", width=390, height=844)
        browsers.append(phone)
        phone.login("left", "left-pw")
        overflow = phone.d.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
        check("overview fits a phone width (no page-wide horizontal scroll)", not overflow)
        phone.shot("overview-phone")
        phone.quit()

        # Another project's object by URL -> a 404 page.
        right.go(f"/dashboard/ipsec-site-connections/{conns['left']}")
        text = right.el("main").text
        check("another project's connection by URL -> 404 page", conns["left"] in text and "not found" in text.lower() and
              right.d.title.startswith("Not found"), text)

        # Break the left side's PSK through the edit form, see it go DOWN, fix it.
        for psk, want, label in (("dashboard-e2e-WRONG", {"DOWN", "ERROR"}, "wrong PSK -> DOWN on the page"),
                                 (PSK, {"ACTIVE"}, "right PSK again -> ACTIVE on the page")):
            left.go(f"/dashboard/ipsec-site-connections/{conns['left']}/edit")
            left.fill("f-psk", psk)
            left.submit()
            left.d.execute_script("window.__noReload = 1")
            ok = wait_field(left, "status", want, 90)
            check(label, ok and left.d.execute_script("return window.__noReload") == 1, left.el("[data-field=status]").text)
            if want != {"ACTIVE"}:
                reasons = [e.text for e in left.els("[data-field=failure_reason], [data-field=last_error]") if e.text.strip() not in ("", "—")]
                print(f"   (reason shown: {reasons or 'none reported by the server'})", flush=True)
                left.shot("connection-down")

        # The event log (rendered with the page): the tunnel came up, went down with the wrong PSK, came back.
        left.go(f"/dashboard/ipsec-site-connections/{conns['left']}")
        kinds = [e.get_attribute("data-event") for e in left.els("ol.events li")]
        # The connection-level events (up/down) in order; charon's own IKE/CHILD events are a stream of their own
        # and may land on either side of the agent's `up` (a child-updown can arrive after the pass that saw the SA).
        transitions = [k for k in kinds if k in ("up", "down")]
        check("event log on the connection page: up, then down or a failure, newest first",
              bool(transitions) and transitions[0] == "up" and ("down" in kinds or "failure" in kinds), str(kinds[:8]))
        reason_shown = any("authentication" in e.text for e in left.els("ol.events li"))
        check("event log says why it went down (the PSK)", reason_shown, " | ".join(e.text for e in left.els("ol.events li")[:6]))

        # Peer configuration downloads: one per device type, with the session cookie (a browser link cannot carry
        # the API's token), the other side's settings and — for the owning project's member — the PSK.
        links = {a.get_attribute("data-device"): a.get_attribute("href") for a in left.els("a[download]")}
        check("peer configuration downloads offered for strongSwan, Libreswan, generic",
              set(links) >= {"strongswan-swanctl", "libreswan", "generic"}, str(sorted(links)))
        cookie = {c["name"]: c["value"] for c in left.d.get_cookies()}.get("vpnaas_session", "")

        def fetch(url, session):
            req = urllib.request.Request(url, headers={"Cookie": f"vpnaas_session={session}"})
            try:
                with urllib.request.urlopen(req, timeout=20) as r:
                    return r.status, r.headers.get("Content-Disposition", ""), r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, "", e.read().decode(errors="replace")
        if "strongswan-swanctl" in links:
            code, disposition, text = fetch(links["strongswan-swanctl"], cookie)
            check("swanctl download: an attachment with the left router's address as the peer and the PSK",
                  code == 200 and disposition.startswith("attachment") and L["gw"] in text and PSK in text and "connections" in text,
                  f"{code} {disposition} {text[:200]!r}")
            right_cookie = {c["name"]: c["value"] for c in right.d.get_cookies()}.get("vpnaas_session", "")
            code, _, text = fetch(links["strongswan-swanctl"], right_cookie)
            check("another project cannot download it (404)", code == 404 and PSK not in text, str(code))

        # A refused delete says what uses the object.
        left.go("/dashboard/ikepolicies")
        left.navigate_by(left.d.find_element(By.PARTIAL_LINK_TEXT, "left-ike"))
        left.d.execute_script("window.confirm = function () { return true; }")
        left.click_button("Delete")
        users = [a.text for a in left.els(".users a")]
        check("deleting an IKE policy in use names the connection", "left-connection" in users and
              "in use" in left.el("p.error").text, f"{users}")
        left.shot("delete-in-use")

        # Delete everything through the dashboard.
        for b in (left, right):
            for slug in ("ipsec-site-connections", "endpoint-groups", "vpnservices", "ipsecpolicies", "ikepolicies"):
                delete_all(b, slug)
            b.go("/dashboard/routers")
            for href in [a.get_attribute("href") for a in b.els("td.name a")]:
                b.d.get(href)
                b.d.execute_script("window.confirm = function () { return true; }")
                while b.els("button[aria-label^='Remove interface']"):
                    b.navigate_by(b.el("button[aria-label^='Remove interface']"))
            for slug in ("routers", "subnets", "networks"):
                delete_all(b, slug, owned_prefix=("left-", "right-"))
        for slug in ("subnets", "networks"):
            delete_all(admin, slug)
        status, body, _ = ks.call("GET", "/v2.0/vpn/ipsec-site-connections")
        status2, nets, _ = ks.call("GET", "/v2.0/networks")
        check("everything deleted through the dashboard", not body["ipsec_site_connections"] and not nets["networks"],
              f"{body} {nets}")

        # Logout revokes the session.
        left.click_button("Log out")
        check("logout -> login page", "You have logged out." in left.el("main").text)
    finally:
        for b in browsers:
            b.quit()


def delete_all(b, slug, owned_prefix=None):
    """Deletes every object listed on a page (only those named with owned_prefix, when given)."""
    b.go(f"/dashboard/{slug}")
    links = [(a.text, a.get_attribute("href")) for a in b.els("td.name a")]
    for text, href in links:
        if owned_prefix and not text.startswith(owned_prefix):
            continue
        b.d.get(href)
        b.d.execute_script("window.confirm = function () { return true; }")
        b.click_button("Delete")
        if b.els("p.error"):
            raise RuntimeError(f"delete {href}: {b.el('p.error').text}")


def main():
    if os.geteuid() != 0:
        print("FAIL: the dashboard browser test needs root (agent, namespaces)")
        print("0 passed, 1 failed")
        return 1
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.path.exists(tool):
            print(f"FAIL: {tool} missing (apt-get install chromium chromium-driver)")
            print("0 passed, 1 failed")
            return 1
    work = tempfile.mkdtemp(prefix="vpnaas-dash.")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    before = set(namespaces())
    log = open(os.path.join(work, "server.log"), "w")
    env = dict(os.environ, VPNAAS_BOOTSTRAP_PASSWORD=ADMIN_PASSWORD, VPNAAS_AGENT_CLEANUP_ON_EXIT="1",
               LOG_LEVEL=os.environ.get("LOG_LEVEL", "debug"))
    proc = subprocess.Popen([BINARY, "all-in-one", "--data-dir", os.path.join(work, "data"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthcheck", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        run(base, work)
    except Exception as e:  # a crash of the test itself is a failure
        check("test ran to the end", False, crash_detail(e))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        leftover = [n for n in namespaces() if n not in before and (n.startswith("qrouter-") or n.startswith("vpnaas-"))]
        for n in leftover:
            subprocess.run(["ip", "netns", "delete", n])
        check("nothing left after vpnaasd exits", not leftover, str(leftover))
        text = open(os.path.join(work, "server.log")).read()
        check("no PSK in the server log", PSK not in text and "dashboard-e2e-WRONG" not in text)
        if check.failed:
            for name in sorted(glob.glob(os.path.join(work, "chromedriver-*.log"))):
                print(f"---- {os.path.basename(name)} (tail) ----")
                print("".join(open(name, errors="replace").readlines()[-15:]))
            print("---- server log (tail) ----")
            print(text[-4000:])
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return check.exit_code()


if __name__ == "__main__":
    sys.exit(main())
