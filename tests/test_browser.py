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
from pathlib import Path

import pytest


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Chromium's own background calls (clock sync, updates, accounts) go to Google even when the
# page asks for nothing; they are not the page's requests. Anything else fails the test.
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


def chromium(page: Path, proxy: RecordingProxy, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy.port}",
         "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=10000", *args, page.as_uri()],
        capture_output=True, timeout=120)


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
    """One Chromium start per page and width: its DOM after the charts render, and a screenshot."""
    import html
    import json

    from PIL import Image

    proxy = RecordingProxy()
    assert len(pages(run_folder)) >= 2  # index + at least one report
    failures = {}
    for i, page in enumerate(pages(run_folder)):
        probe = tmp_path / page.name
        text = page.read_text(encoding="utf-8")
        at = text.rindex("</body>")  # the page's own end (the inlined bundle may hold the string too)
        probe.write_text(text[:at] + QUALITY_CHECK + text[at:], encoding="utf-8")
        shot = tmp_path / f"{page.stem}.png"
        dom = chromium(probe, proxy, tmp_path / f"q{i}", f"--window-size={width},2000", "--dump-dom",
                       f"--screenshot={shot}").stdout.decode()
        assert "</html>" in dom, page.name
        figures = dom.count('class="pricewar-chart"')
        if page.name != "index.html":
            assert figures >= 1, f"{page.name}: no chart"
        assert dom.count('data-rendered="interactive"') == figures, f"{page.name}: a chart did not render"
        assert 'data-render-error="' not in dom, page.name
        colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is None or len(colours) > 50, f"{page.name}: the screenshot is blank"
        found = re.search(r'<body[^>]*data-quality="([^"]*)"', dom)
        assert found, f"{page.name}: the page check did not run"
        problems = json.loads(html.unescape(found.group(1)))
        if problems:
            failures[page.name] = problems
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
    from_pages = [r for r in proxy.requests if not BROWSER_SERVICES.search(r.split(b"\r\n")[0].decode("latin-1"))]
    assert from_pages == [], f"requests left the page: {from_pages[:3]}"
