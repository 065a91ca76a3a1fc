"""The dashboard's login, pages and logout over plain HTTP (standard library only), for a server whose users live
in an external Keystone: `dashboard_login_check.py BASE USER PASSWORD PROJECT EXPECT_ON_NETWORKS_PAGE`.
Prints ok/FAIL lines (the calling script counts them)."""
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

base, user, password, project, expect = sys.argv[1:6]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def call(path, form=None, cookie=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(base + path, data=data)
    if cookie is not None:
        req.add_header("Cookie", cookie)
        o = urllib.request.build_opener(NoRedirect())
    else:
        o = opener
    try:
        with o.open(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode(errors="replace")


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"  [{detail[:300]}]"), flush=True)


def csrf(html):
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    return m.group(1) if m else ""


status, _, page = call("/dashboard/login")
check("dashboard (external Keystone): login page", status == 200 and csrf(page), str(status))
status, _, page = call("/dashboard/login", {"csrf": csrf(page), "user": user, "password": password + "-wrong", "project": project})
check("dashboard (external Keystone): wrong password refused (401, one message)", status == 401 and "Invalid user name" in page, str(status))
status, _, page = call("/dashboard/login")
status, headers, _ = call("/dashboard/login", {"csrf": csrf(page), "user": user, "password": password, "project": project})
check("dashboard (external Keystone): login with the Keystone user's password", status == 303 and headers.get("Location") == "/dashboard/",
      f"{status} {headers.get('Location')}")
session = next((c.value for c in jar if c.name == "vpnaas_session"), "")
status, _, page = call("/dashboard/")
check("dashboard (external Keystone): overview names the user and project", status == 200 and user in page and project in page, str(status))
status, _, page = call("/dashboard/networks")
check("dashboard (external Keystone): the project's network listed", status == 200 and expect in page, str(status))
status, headers, _ = call("/dashboard/logout", {"csrf": csrf(page)})
check("dashboard (external Keystone): logout", status == 303 and "reason=logout" in headers.get("Location", ""), str(status))
status, headers, _ = call("/dashboard/", cookie=f"vpnaas_session={session}")
check("dashboard (external Keystone): the old session cookie no longer works (token revoked at Keystone)",
      status == 303 and "/dashboard/login" in headers.get("Location", ""), f"{status} {headers.get('Location')}")
