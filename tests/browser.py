"""A headless Chromium driven through the DevTools protocol over ``--remote-debugging-pipe``.

No new dependency: the pipe protocol is NUL-delimited JSON on file descriptors 3 (commands to the
browser) and 4 (replies and events from it). One browser serves many pages; ``Browser.close`` ends the
process this module started (and only it), also when the browser hangs.

Used by ``tests/test_browser.py`` and, by hand, to take screenshots of a report at phone width::

    python tests/browser.py report.html /tmp/shot.png 390
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-pipe"]

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    pass


class Browser:
    """One Chromium process; ``page()`` opens a tab with its own DevTools session."""

    def __init__(self, binary: str | None = None, timeout: float = 30.0) -> None:
        binary = binary or find_chromium()
        if not binary:
            raise BrowserError("chromium not found")
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="qudao-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # in the child: the pipe protocol's fixed descriptors 3 and 4
            import fcntl

            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        try:
            self.proc = subprocess.Popen(
                [binary, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                preexec_fn=fds, pass_fds=(3, 4), start_new_session=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    # -- protocol -------------------------------------------------------------------------------
    def _read_message(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium did not answer in time")
            ready, _w, _x = select.select([self._from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_child, data):]
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_event(self, method: str, session: str | None = None) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for k, event in enumerate(self._events):
                if event["method"] == method and (session is None or event.get("sessionId") == session):
                    del self._events[k]
                    return event
            self._events.append(self._read_message(deadline))

    # -- pages ----------------------------------------------------------------------------------
    def page(self) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, target, session)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.send("Browser.close")
                except (BrowserError, OSError):
                    pass
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, 9)  # its own session: the browser and its helpers only
                    self.proc.wait(5)
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.send(method, params, self.session)

    def emulate(self, metrics: dict[str, Any], media: str = "") -> None:
        self.send("Emulation.setDeviceMetricsOverride", metrics)
        self.send("Emulation.setEmulatedMedia", {"media": media})

    def open(self, path: Path | str) -> None:
        url = path if str(path).startswith(("file:", "about:", "data:")) else Path(path).resolve().as_uri()
        self.send("Page.navigate", {"url": url})
        self.browser.wait_event("Page.loadEventFired", self.session)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def screenshot(self, out: Path | str, full: bool = True, max_height: int = 6000, dsf: float = 1) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full:
            params["captureBeyondViewport"] = True
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], max_height),
                              "scale": 1 / dsf}
        data = self.send("Page.captureScreenshot", params)["data"]
        Path(out).write_bytes(base64.b64decode(data))

    def pdf(self, out: Path | str) -> None:
        data = self.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"]
        Path(out).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


# What a person sees: measured in the page (see tests/test_browser.py for what each figure means).
MEASURE_JS = r"""
(() => {
  const de = document.documentElement;
  const visible = el => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return false;
      if (e.getAttribute('aria-hidden') === 'true') return false;  // decoration (the draft's watermark)
    }
    return true;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const boxes = [];
  let smallest = null, smallestText = '';
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    if (!text.trim()) continue;
    const el = node.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'TITLE'].includes(el.tagName) || el.closest('title')) continue;
    if (!visible(el)) continue;
    let size, rects;
    if (el instanceof SVGElement) {
      const textEl = el.closest('text');
      if (!textEl) continue;
      const m = textEl.getScreenCTM();
      size = parseFloat(getComputedStyle(textEl).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
      const r = textEl.getBoundingClientRect();
      rects = [r];
    } else {
      size = parseFloat(getComputedStyle(el).fontSize);
      const range = document.createRange();
      range.selectNodeContents(node);
      rects = Array.from(range.getClientRects());
      if (rects.length >= 2 && text.trim().length >= 2) {
        // one character per line: at least two lines holding a single character each
        const lines = new Map();
        for (let i = 0; i < text.length; i++) {
          if (!text[i].trim()) continue;
          const r2 = document.createRange();
          r2.setStart(node, i); r2.setEnd(node, i + 1);
          const cr = r2.getClientRects()[0];
          if (!cr) continue;
          const key = Math.round(cr.top);
          lines.set(key, (lines.get(key) || 0) + 1);
        }
        const singles = Array.from(lines.values()).filter(n => n === 1).length;
        if (lines.size >= 2 && singles >= 2) broken.push(text.trim().slice(0, 40));
      }
    }
    rects = rects.filter(r => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    if (smallest === null || size < smallest) { smallest = size; smallestText = text.trim().slice(0, 40); }
    for (const r of rects) boxes.push({t: text.trim().slice(0, 30), l: r.left + scrollX, r: r.right + scrollX,
                                        top: r.top + scrollY, b: r.bottom + scrollY, n: boxes.length, node});
  }
  // overlapping text: two boxes of different text nodes sharing more than 2 px in both directions
  boxes.sort((a, b) => a.top - b.top);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].top < a.b - 2; j++) {
      const b = boxes[j];
      if (a.node === b.node) continue;
      const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
      const h = Math.min(a.b, b.b) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) overlaps.push([a.t, b.t]);
    }
  }
  return {
    scrollWidth: Math.max(de.scrollWidth, document.body.scrollWidth),
    viewport: de.clientWidth,  // the layout viewport (980 on a phone without a viewport tag)
    innerWidth: window.innerWidth,  // grows past it when a phone zooms out to show content that overflows
    smallest: smallest, smallestText: smallestText,
    overlaps: overlaps.slice(0, 20), overlapCount: overlaps.length,
    broken: broken.slice(0, 20), brokenCount: broken.length,
    texts: boxes.length,
  };
})()
"""


def main(argv: list[str]) -> int:
    source, out = argv[0], argv[1]
    width = int(argv[2]) if len(argv) > 2 else 390
    metrics = dict(PHONE) if width < 600 else dict(DESKTOP, width=width)
    metrics["width"] = width
    with Browser() as browser:
        page = browser.page()
        page.emulate(metrics, argv[3] if len(argv) > 3 else "")
        page.open(source)
        if out.endswith(".pdf"):
            page.pdf(out)
        else:
            page.screenshot(out, max_height=int(argv[4]) if len(argv) > 4 else 3000, dsf=metrics["deviceScaleFactor"])
        print(json.dumps(page.evaluate(MEASURE_JS), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
