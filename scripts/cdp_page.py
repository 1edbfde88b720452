"""A JupyterLab page in Chromium driven over the DevTools protocol with the Runtime domain only.

Why not Playwright here: Playwright enables the Network domain on every page it drives, and then
Chromium copies every WebSocket frame the page sends into DevTools events. Through a plain
WebSocket to a local tornado sink, 40 × 6 MiB went at ~240 MB/s from a bare Chromium and ~60 MB/s
from the same Chromium under Playwright. The kernel link is a WebSocket, so a benchmark of it must
not pay for that: this driver never enables Network (nor Page, DOM or Log).

    with jupyter_server("lab", [nb], expose_app=True) as base, CdpPage.open(base + "lab/tree/x.ipynb") as page:
        page.open_notebook()
        page.run_code_cell(0)
        print(page.output_line(0, "DONE"))
"""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import websocket  # websocket-client, a jupyter_server dependency

from facescope._chromium import chromium_args, chromium_executable
from tests.e2e.jupyter_server import free_port, stop_process

CELL = "document.querySelectorAll('.jp-Notebook .jp-CodeCell')[{index}]"


class CdpError(RuntimeError):
    pass


class CdpPage:
    def __init__(self, ws: websocket.WebSocket) -> None:
        self._ws = ws
        self._ids = itertools.count(1)

    @classmethod
    @contextlib.contextmanager
    def open(
        cls, url: str, width: int = 1280, height: int = 1200, args: tuple[str, ...] = (), profile: str | None = None
    ) -> Iterator[CdpPage]:
        """Starts headless Chromium (the product's flags, then `args`) on `url` and attaches to its page.
        `profile`: a user-data folder to keep (its caches) across runs; default a fresh one."""
        port = free_port()
        with contextlib.ExitStack() as stack:
            if profile is None:
                profile = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="facescope-cdp-", ignore_cleanup_errors=True)
                )
            proc = subprocess.Popen(
                [
                    chromium_executable(),
                    "--headless",
                    *chromium_args(),
                    f"--remote-debugging-port={port}",
                    f"--user-data-dir={profile}",
                    f"--window-size={width},{height}",
                    *args,
                    url,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                ws = websocket.create_connection(_page_socket(port, proc), timeout=900, suppress_origin=True)
                try:
                    yield cls(ws)
                finally:
                    ws.close()
            finally:
                stop_process(proc)

    def _call(self, method: str, params: dict) -> dict:
        msg_id = next(self._ids)
        self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:  # no domain is enabled, so only replies come back
            reply = json.loads(self._ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise CdpError(f"{method}: {reply['error']}")
                return reply["result"]

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Calls the JS function (source text) with `arg` in the page, awaits it, returns its JSON value."""
        result = self._call(
            "Runtime.evaluate",
            {"expression": f"({function})({json.dumps(arg)})", "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise CdpError(details.get("exception", {}).get("description") or details.get("text"))
        return result["result"].get("value")

    def wait_for(self, condition: str, timeout_ms: float = 120_000) -> Any:
        """Polls the JS expression until it is truthy; returns its value (true for an object)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            value = self.evaluate(f"() => {{ const v = ({condition}); return v && (typeof v === 'object' || v); }}")
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout_ms / 1000:.0f} s for {condition}")
            time.sleep(0.05)

    def open_notebook(self) -> None:
        """Waits for the notebook and its kernel (the server must expose `window.jupyterapp`)."""
        self.wait_for(
            "window.jupyterapp && document.querySelector('.jp-Notebook .jp-CodeCell') && "
            "document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]')",
            120_000,
        )

    def run_code_cell(self, index: int) -> None:
        """Runs code cell `index` with JupyterLab's own command, as the run button does."""
        prompt = CELL.format(index=index) + ".querySelector('.jp-InputPrompt').innerText"
        before = self.evaluate(f"() => {prompt}")
        for _ in range(6):
            self.evaluate(
                """(i) => {
                const panel = window.jupyterapp.shell.currentWidget;
                panel.content.activeCellIndex = i;
                void window.jupyterapp.commands.execute('notebook:run-cell');
            }""",
                index,
            )
            with contextlib.suppress(TimeoutError):
                self.wait_for(f"{prompt} !== {json.dumps(before)} && /\\[(\\*|\\d+)\\]/.test({prompt})", 5_000)
                return
        raise TimeoutError(f"cell {index} never started")

    def output_line(self, index: int, marker: str, timeout_ms: float = 300_000) -> str:
        """The rest of the line of cell `index`'s output that starts with `marker`."""
        output = CELL.format(index=index) + ".querySelector('.jp-OutputArea')?.innerText ?? ''"
        text = self.wait_for(
            f"(({output}).includes({json.dumps(marker)}) || ({output}).includes('Traceback')) && ({output})", timeout_ms
        )
        for line in text.splitlines():
            if line.startswith(marker):
                return line[len(marker) :].strip()
        raise AssertionError(f"cell {index} failed:\n{text}")


def _page_socket(port: int, proc: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise CdpError(f"chromium exited with {proc.returncode}")
        with contextlib.suppress(OSError, ValueError):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                pages = [t for t in json.load(r) if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise CdpError("chromium's DevTools endpoint never came up")
