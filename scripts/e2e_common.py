"""What the data-plane-style e2e scripts share: ok/FAIL checks with the final 'N passed, N failed' line, and a
root-only run of one vpnaasd (e2e_dataplane.Server) that always stops it, removes any namespace it left, checks
secrets stayed out of its log, and keeps the logs only when something failed. Standard library only."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_dataplane import Server, free_port, namespaces, sh  # noqa: E402
from e2e_topology import API, Tally, crash_detail  # noqa: E402,F401


class Checks(Tally):
    """A Tally that is called like a function and ends with the exit code."""

    def __call__(self, name, ok, detail=""):
        return self.check(name, ok, detail)

    def exit_code(self):
        print(self.summary())
        return 0 if self.failed == 0 else 1


def run_with_server(check, prefix, body, cleanup_on_exit, secrets=(), after=None):
    """Starts vpnaasd (noauth, agent on) in a fresh dir and runs body(api, work, server); returns the exit code."""
    if os.geteuid() != 0:
        check("this test needs root", False)
        return check.exit_code()
    work = tempfile.mkdtemp(prefix=prefix)
    log = open(os.path.join(work, "server.log"), "w")
    before = set(namespaces())
    api = API(f"http://127.0.0.1:{free_port()}")
    server = Server(work, int(api.base.rsplit(":", 1)[1]), log)
    try:
        server.start(cleanup=cleanup_on_exit)
        body(api, work, server)
    except Exception as e:
        check("test ran to the end", False, crash_detail(e))
    finally:
        server.stop()
        log.close()
        leftover = [n for n in namespaces() if n not in before]
        for n in leftover:
            sh("ip", "netns", "delete", n)
        check("nothing left after vpnaasd exits", not leftover, str(leftover))
        text = open(os.path.join(work, "server.log")).read()
        check("no secret in the server log", not any(s in text for s in secrets))
        if after:
            after()
        if check.failed:
            print("---- server log (tail) ----")
            print(text[-5000:])
            print(f"(logs kept in {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return check.exit_code()


def page_replaced(old):
    """A WebDriverWait condition: `old`, an element of the page before a click, is gone — the next page loaded.
    Selenium's EC.staleness_of only counts StaleElementReferenceException, but chromedriver answers a call made
    while the document is being swapped with 'unknown error: … Node with given id does not belong to the
    document', which means the same thing; anything else is a real error and propagates."""
    def gone(_driver):
        try:
            old.is_enabled()
            return False
        except Exception as e:  # Selenium's classes are not imported here (stdlib-only module)
            if type(e).__name__ == "StaleElementReferenceException" or "does not belong to the document" in str(e):
                return True
            raise
    return gone
