"""Every page of a real run opens in headless Chromium with no network and shows its charts.

Chromium is Debian's (`.ci/run` installs it). Requests are routed to a local
proxy that records them: a page that tries to fetch anything fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Chromium's own background calls (clock sync, updates, accounts) go to Google even when the
# page asks for nothing; they are not the page's requests. Chromium 150 also opens, on about:blank
# with no page loaded, a connection it closes without sending a byte (seen in 2 of 3 starts): it
# carries no request, so it fetches nothing. Anything else fails the test.
BROWSER_SERVICES = re.compile(r"^(GET|CONNECT|POST) (https?://)?[a-z0-9.-]*(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)[:/ ]")

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is required in CI: .ci/run installs Debian's chromium")
    pytest.skip("chromium not installed (apt-get install chromium)", allow_module_level=True)


class RecordingProxy:
    """A TCP listener that counts connections; Chromium sends every http(s) request to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.requests.append(conn.recv(200))
            except OSError:
                self.requests.append(b"?")
            conn.close()


@pytest.fixture(scope="module")
def run_folder(full_run) -> Path:
    return full_run  # the session's full run (conftest): every report, default parameters


class Browser:
    """One headless Chromium, driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
    NUL-terminated JSON on file descriptors 3 and 4), every request sent to ``proxy``. One start serves
    every page: a start costs ~1 s of CPU, more than rendering a page."""

    def __init__(self, proxy: RecordingProxy, profile: Path):
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def pipes_on_3_and_4():
            a, b = os.dup(commands_read), os.dup(replies_write)  # first out of the way of 3 and 4
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy.port}",
             "--proxy-bypass-list=<-loopback>", "--remote-debugging-pipe", "about:blank"],
            close_fds=False, preexec_fn=pipes_on_3_and_4,  # the hook's 3 and 4 survive; Python's own fds are CLOEXEC
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(replies_write)
        self._buffer, self._id, self.events = b"", 0, []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session=True)

    def send(self, method: str, session: bool = False, timeout: float = 60, **params) -> dict:
        import json
        import select

        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
                self.events.append(reply.get("method"))
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not answer {method} in {timeout} s")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium exited during {method}")
            self._buffer += chunk

    def evaluate(self, expression: str):
        return self.send("Runtime.evaluate", session=True, expression=expression, returnByValue=True)["result"].get("value")

    def open(self, page: Path, width: int, timeout: float = 60) -> tuple[str, bytes]:
        """The page's DOM once its check has run (``data-quality`` on <body>), and a PNG screenshot."""
        import base64

        self.send("Emulation.setDeviceMetricsOverride", session=True, width=width, height=2000, deviceScaleFactor=1,
                  mobile=False)
        self.send("Page.navigate", session=True, url=page.as_uri())
        deadline = time.monotonic() + timeout
        done = "(document.readyState === 'complete' && document.body.getAttribute('data-quality')) || null"
        while self.evaluate(done) is None:
            if time.monotonic() > deadline:
                break  # the caller says which page did not finish
            time.sleep(0.05)
        dom = self.evaluate("document.documentElement.outerHTML") or ""
        shot = base64.b64decode(self.send("Page.captureScreenshot", session=True, format="png")["data"])
        return dom, shot

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._commands)
        os.close(self._replies)


def pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


# Run in each page after its charts render; writes what a reader would stumble on into
# <body data-quality="[...]"> for --dump-dom to carry out.
QUALITY_CHECK = r"""
<script>
(function () {
  function problems() {
    var found = [], root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      found.push("the page scrolls sideways: " + root.scrollWidth + " px wide in " + root.clientWidth + " px");
    }
    document.querySelectorAll("table").forEach(function (table, n) {
      var where = "table " + (n + 1);
      var box = table.parentElement, scrolls = false;
      for (var node = box; node && node !== document.body; node = node.parentElement) {
        var style = getComputedStyle(node);
        if ((style.overflowX === "auto" || style.overflowX === "scroll") && node.clientWidth > 0) { scrolls = true; break; }
      }
      if (!scrolls && table.getBoundingClientRect().width > box.clientWidth + 1) {
        found.push(where + " is wider than its container and has no scroll box of its own");
      }
      if (table.querySelectorAll("tbody tr").length === 0) { found.push(where + " is empty"); }
      if (table.querySelector("tbody th")) { found.push(where + " has an index column"); }
      table.querySelectorAll("thead th").forEach(function (th) {
        var text = th.textContent.trim();
        if (!text) { found.push(where + " has an empty header (an index column)"); }
        if (text.indexOf("_") >= 0) { found.push(where + " header '" + text + "' has an underscore"); }
      });
      table.querySelectorAll("td, th").forEach(function (cell) {
        var text = cell.textContent.trim();
        if (/(\u2026|\.\.\.)$/.test(text)) { found.push(where + " cell cut short: '" + text.slice(-40) + "'"); }
        if (/^[\u2212+\-]?\$?[\d,]*\.\d{5,}(%|\u00d7)?$/.test(text)) { found.push(where + " number with over 4 decimals: " + text); }
      });
    });
    document.querySelectorAll(".pricewar-chart svg").forEach(function (svg, n) {
      var width = svg.width && svg.width.baseVal ? svg.width.baseVal.value : 0;
      var scale = width ? svg.getBoundingClientRect().width / width : 1;
      var smallest = Infinity;
      svg.querySelectorAll("text").forEach(function (text) {
        if (!text.textContent.trim()) { return; }
        smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * scale);
      });
      if (smallest < 9) { found.push("chart " + (n + 1) + " has text of " + smallest.toFixed(1) + " px"); }
    });
    return found;
  }
  function done() {
    var figures = document.querySelectorAll(".pricewar-chart");
    var rendered = document.querySelectorAll('.pricewar-chart[data-rendered], .pricewar-chart[data-render-error]');
    if (rendered.length < figures.length) { setTimeout(done, 100); return; }
    document.body.setAttribute("data-quality", JSON.stringify(problems()));
  }
  window.addEventListener("load", function () { setTimeout(done, 50); });
})();
</script>
"""


@pytest.mark.parametrize("width", [390, 1400])
def test_every_page_renders_offline_and_reads_like_a_briefing_at_phone_and_desktop_width(run_folder, tmp_path, width):
    """One Chromium for every page at this width: each page's DOM after its charts render, and a screenshot."""
    import html
    import io
    import json

    from PIL import Image

    proxy = RecordingProxy()
    assert len(pages(run_folder)) >= 2  # index + at least one report
    failures = {}
    browser = Browser(proxy, tmp_path / "profile")
    try:
        for page in pages(run_folder):
            probe = tmp_path / page.name
            text = page.read_text(encoding="utf-8")
            at = text.rindex("</body>")  # the page's own end (the inlined bundle may hold the string too)
            probe.write_text(text[:at] + QUALITY_CHECK + text[at:], encoding="utf-8")
            dom, shot = browser.open(probe, width)
            assert "</html>" in dom, page.name
            figures = dom.count('class="pricewar-chart"')
            if page.name != "index.html":
                assert figures >= 1, f"{page.name}: no chart"
            assert dom.count('data-rendered="interactive"') == figures, f"{page.name}: a chart did not render"
            assert 'data-render-error="' not in dom, page.name
            colours = Image.open(io.BytesIO(shot)).convert("RGB").getcolors(maxcolors=1_000_000)
            assert colours is None or len(colours) > 50, f"{page.name}: the screenshot is blank"
            found = re.search(r'<body[^>]*data-quality="([^"]*)"', dom)
            assert found, f"{page.name}: the page check did not run"
            problems = json.loads(html.unescape(found.group(1)))
            if problems:
                failures[page.name] = problems
    finally:
        browser.close()
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
    from_pages = [r for r in proxy.requests
                  if r and not BROWSER_SERVICES.search(r.split(b"\r\n")[0].decode("latin-1"))]
    assert from_pages == [], f"requests left the page: {from_pages[:3]}"
