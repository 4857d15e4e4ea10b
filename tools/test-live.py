#!/usr/bin/env python3
"""test-live.py - the live view, in a real browser.

    python3 tools/test-live.py build/rel/view/kvlive [--screenshot FILE]

Starts kvlive (the KV store with its live view) on a free port, loads the
page in headless Chromium, drives it through the DevTools protocol, kills
the KV registry, and waits for the page -- the same page, not a reload --
to show the new drawing: a registry that says "restarted 1x". Without a
Chromium on the machine it says so and passes (skipped).

Only Python's standard library: the DevTools protocol is JSON over a
WebSocket, and the few lines of WebSocket below are all it needs.
"""
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

TIMEOUT = 60.0  # seconds for each step: generous, the machine may be loaded


def find_browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class WebSocket:
    """A WebSocket client: enough for the DevTools protocol."""

    def __init__(self, url):
        m = re.match(r"ws://([^:/]+):(\d+)(/.*)", url)
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("the browser closed the WebSocket")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("no WebSocket: " + head.decode(errors="replace"))
        self.next_id = 0

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("the browser closed the WebSocket")
            buf += chunk
        return buf

    def send_text(self, text):
        data = text.encode()
        head = bytes([0x81])
        n = len(data)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(head + mask + body)

    def recv_text(self):
        parts = []
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            mask = self._recv_exact(4) if b1 & 0x80 else None
            data = self._recv_exact(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            op = b0 & 0x0F
            if op == 0x8:
                raise RuntimeError("the browser closed the WebSocket")
            if op in (0x9, 0xA):
                continue  # ping, pong
            parts.append(data)
            if b0 & 0x80:
                return b"".join(parts).decode()

    def call(self, method, **params):
        self.next_id += 1
        self.send_text(json.dumps({"id": self.next_id, "method": method,
                                   "params": params}))
        while True:
            msg = json.loads(self.recv_text())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})


def evaluate(ws, expr):
    r = ws.call("Runtime.evaluate", expression=expr, returnByValue=True)
    return r.get("result", {}).get("value")


STATE_JS = """(() => {
  const svg = document.querySelector('#tree svg');
  const text = svg ? svg.textContent : '';
  return JSON.stringify({version: document.body.dataset.version || '',
                         registry: text.includes('kv_registry'),
                         restarted: /kv_registry[\\s\\S]*restarted 1x/.test(text),
                         nodes: svg ? svg.querySelectorAll('g.node').length : 0});
})()"""


def page_state(ws):
    value = evaluate(ws, STATE_JS)
    return json.loads(value) if value else {}


def wait_for(what, ws, pred):
    t0 = time.monotonic()
    while time.monotonic() - t0 < TIMEOUT:
        st = page_state(ws)
        if pred(st):
            return st, time.monotonic() - t0
        time.sleep(0.1)
    raise RuntimeError(f"the page never showed {what}: last state {page_state(ws)}")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    kvlive = sys.argv[1]
    shot = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--screenshot" else None
    browser = find_browser()
    if browser is None:
        print("test-live: skipped: no Chromium here (apt-get install chromium "
              "to run the browser test)")
        return 0
    prog = subprocess.Popen([kvlive, "--port", "0"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    profile = tempfile.mkdtemp(prefix="lc-live-")
    chrome = None
    try:
        first = prog.stdout.readline()
        m = re.match(r"view: (http://127\.0\.0\.1:\d+/)", first)
        if not m:
            raise RuntimeError(f"kvlive did not start: {first!r}")
        url = m.group(1)
        chrome = subprocess.Popen(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
             "--window-size=1200,900", f"--user-data-dir={profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        devtools = None
        t0 = time.monotonic()
        while devtools is None and time.monotonic() - t0 < TIMEOUT:
            line = chrome.stderr.readline()
            if not line:
                break
            m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if m:
                devtools = int(m.group(1))
        if devtools is None:
            raise RuntimeError("Chromium did not open its DevTools port")
        targets = json.load(urllib.request.urlopen(
            f"http://127.0.0.1:{devtools}/json/list", timeout=TIMEOUT))
        page = next(t for t in targets if t.get("type") == "page")
        ws = WebSocket(page["webSocketDebuggerUrl"])
        ws.call("Page.enable")
        ws.call("Page.navigate", url=url)
        st, _ = wait_for("the KV tree", ws,
                         lambda s: s.get("registry") and s.get("nodes", 0) > 0)
        if st["restarted"]:
            raise RuntimeError("the registry shows a restart before any kill")
        before = st["version"]
        print(f"test-live: {url} in {os.path.basename(browser)}: drawing "
              f"{before}, {st['nodes']} processes, kv_registry not restarted")
        prog.stdin.write("kill kv_registry\n")
        reply = prog.stdout.readline().strip()
        if not reply.startswith("ok"):
            raise RuntimeError(f"kvlive: {reply}")
        st, took = wait_for("the restarted registry", ws,
                            lambda s: s.get("restarted"))
        print(f"test-live: killed kv_registry; the same page shows drawing "
              f"{st['version']} ({st['nodes']} processes): kv_registry "
              f"restarted 1x, after {took:.1f} s")
        if st["version"] == before:
            raise RuntimeError("the version did not change")
        if shot:
            data = ws.call("Page.captureScreenshot", format="png")["data"]
            with open(shot, "wb") as f:
                f.write(base64.b64decode(data))
            print(f"test-live: screenshot in {shot}")
        prog.stdin.write("quit\n")
        prog.stdin.close()
        rc = prog.wait(timeout=TIMEOUT)
        if rc != 0:
            raise RuntimeError(f"kvlive ended with status {rc} (a leak or a "
                               "memory error under the sanitizers?)")
        print("test-live: passed")
        return 0
    except Exception as e:  # noqa: BLE001 -- report anything, fail
        print(f"test-live: FAILED: {e}")
        return 1
    finally:
        if prog.poll() is None:
            try:
                prog.stdin.write("quit\n")
                prog.stdin.close()
                prog.wait(timeout=10)
            except Exception:  # noqa: BLE001
                prog.kill()
        if chrome is not None:
            chrome.kill()
            chrome.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
