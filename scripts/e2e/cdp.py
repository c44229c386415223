"""A small Chrome DevTools Protocol client: starts headless Chromium and drives one page.

Only what the dashboard's browser test needs: navigate, evaluate JavaScript, wait for a condition with a
deadline, click and type with real input events, resize the viewport, take screenshots.
"""

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request

import websocket


class BrowserError(Exception):
    """The browser failed, or a condition was not met in time."""


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise BrowserError("no chromium on PATH: scripts/browser-test.sh installs Debian's chromium")


class Browser:
    """Headless Chromium with its DevTools endpoint on a loopback port of its choosing."""

    # Nothing but the page under test: no updates, no sync, no telemetry, no first-run pages.
    FLAGS = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--metrics-recording-only",
        "--mute-audio",
        "--hide-scrollbars",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "--remote-allow-origins=*",
        "--window-size=1280,900",
    ]

    def __init__(self, executable=None, log_path=None):
        self.profile = tempfile.mkdtemp(prefix="tenantsync-chromium-")
        self.log = open(log_path or os.devnull, "w")
        self.process = subprocess.Popen(
            [executable or find_chromium(), *self.FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.endpoint = self._read_endpoint(deadline=time.monotonic() + 60)
        # Keep draining stderr so Chromium never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _read_endpoint(self, deadline):
        pattern = re.compile(r"DevTools listening on (ws://127\.0\.0\.1:(\d+)/\S+)")
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                if self.process.poll() is not None:
                    raise BrowserError(f"chromium exited with status {self.process.returncode}")
                continue
            self.log.write(line)
            match = pattern.search(line)
            if match:
                return f"http://127.0.0.1:{match.group(2)}"
        raise BrowserError("chromium did not open its DevTools endpoint within 60 s")

    def _drain(self):
        for line in self.process.stderr:
            self.log.write(line)

    def page(self):
        """The first page target, connected."""
        with urllib.request.urlopen(self.endpoint + "/json/list") as response:
            targets = json.load(response)
        for target in targets:
            if target.get("type") == "page":
                return Page(target["webSocketDebuggerUrl"])
        raise BrowserError("chromium has no page")

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One page over its DevTools websocket."""

    def __init__(self, websocket_url):
        self.socket = websocket.create_connection(websocket_url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.console = []
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        request_id = self.next_id
        self.socket.send(json.dumps({"id": request_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == request_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def _event(self, message):
        method = message.get("method")
        if method == "Runtime.consoleAPICalled":
            args = message["params"].get("args", [])
            self.console.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in args))
        elif method == "Runtime.exceptionThrown":
            details = message["params"]["exceptionDetails"]
            self.console.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(f"{expression!r} threw: {details.get('exception', {}).get('description', details.get('text'))}")
        return result["result"].get("value")

    def navigate(self, url):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", f"{url} to load")

    def wait_for(self, expression, what, timeout=30):
        """Re-evaluates `expression` until it is truthy; fails at the deadline, saying what it waited for."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.evaluate(expression)
            if last:
                return last
            time.sleep(0.1)
        raise BrowserError(f"timed out after {timeout} s waiting for {what} (last value {last!r}; console: {self.console[-5:]})")

    def center(self, selector):
        rect = self.evaluate(
            f"""(() => {{
                const node = document.querySelector({json.dumps(selector)});
                if (!node) return null;
                node.scrollIntoView({{block: "center", inline: "center"}});
                const r = node.getBoundingClientRect();
                return r.width && r.height ? {{x: r.x + r.width / 2, y: r.y + r.height / 2}} : null;
            }})()"""
        )
        if not rect:
            raise BrowserError(f"nothing visible matches {selector}")
        return rect["x"], rect["y"]

    def click(self, selector):
        """A real mouse click in the middle of the element: move, press, release."""
        x, y = self.center(selector)
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.call("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.call("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def type(self, selector, text):
        self.click(selector)
        self.call("Input.insertText", text=text)

    def viewport(self, width, height, mobile=False):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
        return path
