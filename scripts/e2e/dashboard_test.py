"""The dashboard in a real browser against a real supervisor syncing the demo upstream.

Run by scripts/browser-test.sh, which starts the supervisor and passes its address, key and configuration.
Drives headless Chromium over the DevTools protocol as an operator would (typing, clicking, confirming)
and checks what the page shows against the API. Screenshots of each state go to --output.
"""

import argparse
import json
import os
import sys
import threading
import time
import traceback
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cdp import Browser, BrowserError


class CallbackReceiver:
    """The callback webhook's receiver: answers 200 and keeps what it got."""

    def __init__(self, port):
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class API:
    def __init__(self, url, key):
        self.url, self.key = url, key

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"X-API-KEY": self.key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)


def row(tenant):
    return f'#tenants tbody tr[data-tenant="{tenant}"]'


def js(value):
    return json.dumps(value)


class DashboardTest:
    def __init__(self, options):
        self.options = options
        self.api = API(options.url, options.api_key)
        self.tenants = options.tenants.split(",")
        self.shots = []
        self.checks = 0

    def check(self, condition, message):
        self.checks += 1
        if not condition:
            raise AssertionError(message)

    def shot(self, name):
        path = os.path.join(self.options.output, name)
        self.shots.append(self.page.screenshot(path))
        print(f"  screenshot {path}")

    def step(self, title):
        print(f"- {title}", flush=True)

    def confirm(self, expected_text):
        self.page.wait_for("document.getElementById('confirm').open", "the confirmation dialog")
        text = self.page.evaluate("document.getElementById('confirm-text').textContent")
        self.check(expected_text in text, f"confirmation says {text!r}, expected it to mention {expected_text!r}")
        self.page.click("#confirm-ok")
        self.page.wait_for("!document.getElementById('confirm').open", "the dialog to close")

    def run(self, browser):
        self.page = browser.page()
        page = self.page
        page.viewport(1280, 900)

        self.step("the page asks for the API key, keeps it in session storage, never in the URL")
        page.navigate(self.options.url + "/")
        page.wait_for("!document.getElementById('login').hidden", "the key form")
        self.check(page.evaluate("document.getElementById('api-key').type") == "password", "the key field is a password field")
        page.type("#api-key", "not-the-key")
        page.click("#login-form button[type=submit]")
        page.wait_for("document.getElementById('login-error').textContent.includes('refused')", "a wrong key to be refused")
        page.type("#api-key", self.options.api_key)
        page.click("#login-form button[type=submit]")
        page.wait_for("!document.getElementById('main').hidden", "the dashboard after login")
        self.check(page.evaluate("sessionStorage.getItem('tenantsync.apiKey')") == self.options.api_key, "key in session storage")
        self.check(self.options.api_key not in page.evaluate("location.href"), "key not in the URL")
        self.check(page.evaluate("localStorage.length") == 0, "nothing in local storage")

        self.step(f"every tenant is listed with its state, owner and worker figures ({len(self.tenants)})")
        page.wait_for(f"[...document.querySelectorAll('#tenants tbody tr')].filter(r => r.dataset.state === 'ready').length === {len(self.tenants)}",
                      "every tenant ready", timeout=60)
        listed = page.evaluate("[...document.querySelectorAll('#tenants tbody tr')].map(r => r.dataset.tenant)")
        self.check(sorted(listed) == sorted(self.tenants), f"listed {listed}")
        first = page.evaluate(f"[...document.querySelector({js(row(self.tenants[0]))}).cells].map(c => c.textContent)")
        status = self.api.request("GET", f"/api/tenants/{self.tenants[0]}")
        self.check(status["owner"] in first[2], f"owner {status['owner']} shown: {first}")
        self.check("MiB" in first[6] or "KiB" in first[6], f"RSS shown: {first}")
        self.check(status.get("next_sync_at", "") != "", f"the API gives its next scheduled sync: {status.get('next_sync_at')}")
        next_sync = page.evaluate(f"document.querySelector({js(row(self.tenants[0]) + ' .next-sync')})?.textContent || ''")
        self.check(next_sync.startswith("next in "), f"next scheduled sync shown: {next_sync!r}")
        self.api.request("POST", f"/api/tenants/{self.tenants[0]}/pause")
        page.wait_for(f"(document.querySelector({js(row(self.tenants[0]) + ' .next-sync')})?.textContent || '') === 'schedule paused'",
                      "the paused schedule shown", timeout=15)
        self.api.request("POST", f"/api/tenants/{self.tenants[0]}/resume")
        page.wait_for(f"(document.querySelector({js(row(self.tenants[0]) + ' .next-sync')})?.textContent || '').startsWith('next in ')",
                      "the resumed schedule shown", timeout=15)
        self.check(page.evaluate("document.getElementById('log-tenant').options.length") == len(self.tenants), "log tenant choices")
        self.shot("01-tenants.png")

        tenant = self.tenants[0]
        self.step(f"sync of {tenant}: confirmation, live progress, then succeeded")
        page.click(f'{row(tenant)} button[data-action="sync"]')
        self.shot("02-confirm-sync.png")
        self.confirm(f"sync of {tenant}")
        page.wait_for(f"document.querySelector({js(row(tenant) + ' .progress')}).textContent.includes('Step ')",
                      f"{tenant}'s progress", timeout=30)
        progress = page.evaluate(f"document.querySelector({js(row(tenant) + ' .progress')}).textContent")
        self.check(" · page " in progress and "+" in progress, f"progress reads like 'Step 2/3 · reservations · page 4/9 · +12 ~3 =980': {progress!r}")
        self.shot("03-sync-progress.png")
        page.wait_for(f"document.querySelector({js(row(tenant))}).dataset.lastStatus === 'succeeded'"
                      f" && document.querySelector({js(row(tenant))}).dataset.state === 'ready'",
                      f"{tenant}'s sync to succeed", timeout=120)
        last = page.evaluate(f"document.querySelector({js(row(tenant) + ' .last')}).textContent")
        counts = self.api.request("GET", f"/api/tenants/{tenant}")["last_sync"]["counts"]
        self.check(f"+{counts['created']} ~{counts['updated']} ={counts['unchanged']}" in last, f"last sync counts {last!r} vs {counts}")
        self.shot("04-sync-succeeded.png")

        self.step("sync all: several tenants show progress at once; the run ends succeeded")
        page.click("#sync-all")
        self.confirm(f"every enabled tenant ({len(self.tenants)})")
        syncing = "[...document.querySelectorAll('#tenants .progress-text')].filter(n => n.textContent.includes('Step '))"
        page.wait_for(f"{syncing}.length >= 2", "two tenants syncing at once", timeout=60)
        # For the picture only: a moment later, when one of them has reached its reservations.
        try:
            page.wait_for(f"{syncing}.length >= 2 && {syncing}.some(n => n.textContent.includes('reservations'))",
                          "a tenant on its reservations", timeout=5)
        except BrowserError:
            pass
        self.shot("05-sync-all.png")
        run_id = page.wait_for("(() => { const r = document.querySelector('#runs tbody tr');"
                               " return r && r.cells[1].textContent === 'all' && r.dataset.run; })()",
                               "the sync-all at the top of the runs table")
        runs = self.api.request("GET", "/api/runs?limit=1")["runs"]
        self.check(runs[0]["run_id"] == run_id and runs[0]["scope"] == "all", f"newest run {runs[0]['run_id']} is the sync-all {run_id}")
        page.wait_for(f"document.querySelector('#runs tbody tr[data-run=\"{run_id}\"] .badge').textContent === 'succeeded'",
                      "the sync-all to succeed", timeout=180)

        self.step("the run's per-tenant outcomes and its callback delivery")
        page.click(f'#runs tbody tr[data-run="{run_id}"]')
        page.wait_for(f"document.getElementById('run-detail').dataset.run === {js(run_id)}", "the run's detail")
        page.wait_for("[...document.querySelectorAll('#run-detail .deliveries tbody tr')].some(r => r.dataset.status === 'delivered')",
                      "the callback delivered", timeout=60)
        outcomes = page.evaluate("Object.fromEntries([...document.querySelectorAll('#run-detail .run-tenants tbody tr')].map(r => [r.dataset.tenant, r.dataset.status]))")
        self.check(outcomes == {t: "succeeded" for t in self.tenants}, f"per-tenant outcomes {outcomes}")
        received = [body for headers, body in self.receiver.requests if body.get("run_id") == run_id]
        self.check(len(received) == 1 and received[0]["status"] == "success", f"callback received for {run_id}: {received}")
        self.check(all("webhook-signature" in {k.lower() for k in headers} for headers, _ in self.receiver.requests), "callbacks are signed")
        self.shot("06-run-detail.png")

        other = self.tenants[1]
        self.step(f"{other}'s live log tail, and its filter")
        page.click(f'{row(other)} button[data-action="logs"]')
        page.wait_for(f"document.getElementById('log-tenant').value === {js(other)}", "the log tenant to switch")
        page.wait_for("document.getElementById('log-lines').textContent.includes('sync finished')", f"{other}'s log lines", timeout=30)
        all_lines = int(page.evaluate("document.getElementById('log-lines').dataset.count"))
        page.type("#log-filter", "sync finished")
        page.wait_for(f"Number(document.getElementById('log-lines').dataset.count) < {all_lines}", "the filter to narrow the lines")
        shown = page.evaluate("[...document.querySelectorAll('#log-lines .line')].map(l => l.textContent)")
        self.check(shown and all("sync finished" in line.lower() for line in shown), f"filtered lines {shown[:3]}")
        self.shot("07-log-filter.png")

        page.evaluate("const l = document.getElementById('log-filter'); l.value = ''; l.dispatchEvent(new Event('input'))")
        page.wait_for(f"Number(document.getElementById('log-lines').dataset.count) >= {all_lines}", "every line back without the filter")

        self.step(f"kill {other}: confirmation, then the worker is shown stopped")
        page.click(f'{row(other)} button[data-action="kill"]')
        self.confirm(f"Kill the worker of {other}")
        page.wait_for(f"document.querySelector({js(row(other))}).dataset.state === 'stopped'", f"{other} stopped", timeout=30)
        status = self.api.request("GET", f"/api/tenants/{other}")
        self.check(status["state"] == "stopped" and "pid" not in status, f"API agrees: {status['state']}")
        self.check(page.evaluate(f"document.querySelector({js(row(other) + ' .state')}).textContent").startswith("stopped"), "state cell")
        page.wait_for("document.getElementById('log-lines').textContent.includes('killed')", "the kill in the log tail", timeout=30)
        self.shot("08-killed.png")

        self.step(f"start {other} again")
        page.click(f'{row(other)} button[data-action="start"]')
        self.confirm(f"Start the worker of {other}")
        page.wait_for(f"document.querySelector({js(row(other))}).dataset.state === 'ready'", f"{other} ready again", timeout=60)

        self.step("200 more tenants and a failing one: failing first, filter, sort")
        configuration = json.load(open(self.options.config))
        tenants = configuration["tenants"]
        broken = dict(tenants[0], id="hotel-broken", settings=dict(tenants[0]["settings"], consumer_secret="cs_wrong_secret"))
        extra = [{"id": f"tenant-{n:03d}", "connector": "motopress", "enabled": False,
                  "settings": {"base_url": "http://127.0.0.1:9", "consumer_key": "ck", "consumer_secret": "cs"}} for n in range(200)]
        summary = self.api.request("POST", "/api/tenants/reload", {"tenants": tenants + [broken] + extra})
        self.check(len(summary["added"]) == 201 and len(summary["unchanged"]) == len(tenants), f"reload: {len(summary['added'])} added")
        total = len(tenants) + 201
        page.wait_for(f"document.querySelectorAll('#tenants tbody tr').length === {total}", f"{total} rows", timeout=30)
        page.wait_for(f"document.querySelector({js(row('hotel-broken'))}).dataset.state === 'ready'", "hotel-broken ready", timeout=60)
        page.click(f'{row("hotel-broken")} button[data-action="sync"]')
        self.confirm("sync of hotel-broken")
        page.wait_for(f"document.querySelector({js(row('hotel-broken'))}).dataset.state === 'errored'", "hotel-broken errored", timeout=60)
        page.wait_for("document.querySelector('#tenants tbody tr').dataset.tenant === 'hotel-broken'", "the failing tenant first")
        cause = page.evaluate(f"document.querySelector({js(row('hotel-broken') + ' .state')}).textContent")
        self.check("credentials rejected" in cause, f"its cause is shown: {cause!r}")
        page.evaluate("window.scrollTo(0, 0)")
        self.shot("09-many-tenants.png")
        page.type("#filter", "tenant-01")
        page.wait_for("document.querySelectorAll('#tenants tbody tr').length === 10", "the filter to keep tenant-010…019")
        self.check(page.evaluate("document.getElementById('tenant-count').textContent") == f"10 of {total}", "count of shown rows")
        page.evaluate("const f = document.getElementById('filter'); f.value = ''; f.dispatchEvent(new Event('input'))")
        page.click("#failing-first")
        page.click('#tenants th[data-sort="id"]')
        page.click('#tenants th[data-sort="id"]')
        order = page.evaluate("[...document.querySelectorAll('#tenants tbody tr')].map(r => r.dataset.tenant)")
        self.check(order == sorted(order, reverse=True), f"sorted by tenant, descending: {order[:3]}…")

        self.step("a phone: no sideways scrolling, rows as cards")
        page.click("#failing-first")
        page.viewport(390, 844, mobile=True)
        page.wait_for("window.innerWidth === 390", "the phone viewport")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        self.check(overflow <= 390, f"page is {overflow} px wide on a 390 px screen")
        self.check(page.evaluate("getComputedStyle(document.querySelector('#tenants thead')).display") == "none", "cards, not a table")
        self.shot("10-phone.png")
        page.viewport(1280, 900)

        errors = [line for line in page.console if line.startswith("exception")]
        self.check(not errors, f"no script errors: {errors}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--tenants", required=True, help="comma-separated ids of the configured tenants")
    parser.add_argument("--config", required=True, help="the supervisor's configuration file")
    parser.add_argument("--callback-port", type=int, required=True)
    parser.add_argument("--output", required=True)
    options = parser.parse_args()
    os.makedirs(options.output, exist_ok=True)

    test = DashboardTest(options)
    test.receiver = CallbackReceiver(options.callback_port)
    browser = Browser(log_path=os.path.join(options.output, "chromium.log"))
    started = time.monotonic()
    try:
        test.run(browser)
    except (AssertionError, BrowserError) as error:
        traceback.print_exc()
        try:
            test.page.screenshot(os.path.join(options.output, "failure.png"))
            print(f"screenshot of the failure: {os.path.join(options.output, 'failure.png')}")
        except Exception:
            pass
        print(f"dashboard: {test.checks} passed, 1 failed")
        return 1
    finally:
        browser.close()
        test.receiver.close()
    print(f"dashboard browser test: {test.checks} checks in {time.monotonic() - started:.0f} s")
    print(f"{test.checks} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
