"""Per-host drivers for scripts/bench_hosts.py: each starts its host fresh (so a new kernel) and
shows `FaceScope(clip)` in a Chromium page driven over bare DevTools (scripts/cdp_page.py), where a
recorder script notes when the widget's viewer is ready and its first frame analysed.

What the recorder calls
- viewer ready: the widget's viewer box holds the Rerun viewer's <canvas> and no longer Rerun's own
  "Loading Rerun…" overlay (`.rerun-progress-bar`), i.e. WebViewer.start() has finished: its wasm
  is loaded and started on the canvas. Counted whether the canvas is visible or, with
  live_viewer="auto" on software GL (src/widget/liveViewer.ts), hidden behind the widget's note
  while the clip analyses (the canvas then has no size, so "has a size" would wait for the end).
- first frame: the widget's progress bar reaches 1 (it is set on the first analysed frame), or the
  widget says done.
- done: the widget's data-state is "done" (the kernel holds every row; the viewer is shown after).
Times are epoch milliseconds (Date.now(), the system clock that Python's time.time() reads too), so
a start taken in Python and a mark taken in the page subtract.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cdp_page import CdpError, CdpPage

from tests.e2e.jupyter_server import jupyter_server, kernel_env, stop_process
from tests.e2e.notebook_page import NOTEBOOK_URL, write_notebook

DISPLAY_TIMEOUT_MS = 240_000  # a display's end (done or error); generous for a loaded 2-core machine
WIDGET = ".facescope:not([data-old])"

# Runs in every new document of the page (Page.addScriptToEvaluateOnNewDocument). It polls every
# 10 ms, which costs nothing next to loading the viewer: a MutationObserver would miss the
# progress bar's value (a property, not an attribute). marimo renders widgets inside (open) shadow
# roots, so the widget is searched there too, at a slower pace.
RECORDER = (
    """(() => {
  if (window.top !== window || window.__facescopeBench) return;
  const marks = { widget: null, viewer: null, frame: null, done: null, state: null, status: "" };
  window.__facescopeBench = marks;
  const deep = (node) => {
    const hit = node.querySelector("WIDGET");
    if (hit) return hit;
    for (const el of node.querySelectorAll("*")) if (el.shadowRoot) { const h = deep(el.shadowRoot); if (h) return h; }
    return null;
  };
  let root = null, searched = 0;
  const tick = () => {
    const now = Date.now();
    if (!root?.isConnected) {
      root = document.querySelector("WIDGET");
      if (!root && now - searched > 100 && document.body) { searched = now; root = deep(document.body); }
    }
    if (root) {
      marks.widget ??= now;
      const box = root.querySelector(".facescope-viewer");
      if (marks.viewer === null && box?.querySelector("canvas") && !box.querySelector(".rerun-progress-bar")) marks.viewer = now;
      const state = root.dataset.state ?? null;
      if (marks.frame === null && ((root.querySelector("progress")?.value ?? 0) >= 1 || state === "done")) marks.frame = now;
      if (marks.done === null && state === "done") marks.done = now;
      marks.state = state;
      marks.status = root.querySelector(".facescope-status")?.textContent ?? "";
      if (["done", "error", "disconnected"].includes(state)) return;
    }
    setTimeout(tick, 10);
  };
  tick();
})()"""
).replace("WIDGET", WIDGET)

# The classic Notebook's widget manager, once made, re-renders every widget output and loses a view
# made before (tests/e2e/classic_host.py): its start-up question to the kernel is watched for here,
# without DevTools' Network domain (it would slow the kernel's WebSocket, see cdp_page.py).
CLASSIC_WATCH = """(() => {
  if (window.top !== window) return;
  const send = WebSocket.prototype.send;
  window.__classicAsked = [];
  WebSocket.prototype.send = function (data) {
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    const found = /"msg_type":\\s*"(comm_close|comm_info_request)"/.exec(text);
    if (found) { window.__classicAsked.push(found[1]); WebSocket.prototype.send = send; }
    return send.call(this, data);
  };
})()"""


@dataclass
class Times:
    """Seconds from the start (the cell's run) to each mark; None: never reached."""

    viewer: float | None
    frame: float | None
    done: float | None


class BenchPage(CdpPage):
    """A CdpPage that can navigate and run scripts in each new document. Page is enabled for that
    (its events are a handful per navigation); Network stays off."""

    @classmethod
    @contextlib.contextmanager
    def start(cls, profile: str, scripts: tuple[str, ...] = ()) -> Iterator[BenchPage]:
        with cls.open("about:blank", profile=profile) as page:
            page._call("Page.enable", {})
            # As a user's tab, the page has focus: JupyterLab's current notebook follows focus.
            page._call("Emulation.setFocusEmulationEnabled", {"enabled": True})
            for source in (RECORDER, *scripts):
                page._call("Page.addScriptToEvaluateOnNewDocument", {"source": source})
            yield page

    def goto(self, url: str) -> None:
        self._call("Page.navigate", {"url": url})
        self.wait_for("window.__facescopeBench", 60_000)

    def now_ms(self) -> float:
        return self.evaluate("() => Date.now()")

    def times(self, t0_ms: float) -> Times:
        """Waits for the widget to end (done or error) and returns its marks relative to `t0_ms`."""
        with contextlib.suppress(TimeoutError):
            self.wait_for(
                "(m => m && ['done', 'error', 'disconnected'].includes(m.state))(window.__facescopeBench)",
                DISPLAY_TIMEOUT_MS,
            )
        marks = self.evaluate("() => window.__facescopeBench")
        if marks["state"] != "done":
            raise RuntimeError(f"widget {marks['state'] or 'absent'}: {marks['status'][:160]}")
        seconds = {k: None if marks[k] is None else (marks[k] - t0_ms) / 1000 for k in ("viewer", "frame", "done")}
        return Times(**seconds)


def cell_code(clip: Path) -> str:
    return f"from facescope import FaceScope\nscope = FaceScope({str(clip)!r}, height=420)\nscope"


class JupyterHost:
    """JupyterLab or Notebook 7: the cell is run with the app's own command (window.jupyterapp)."""

    route = "labextension"
    scripts: tuple[str, ...] = ()

    def __init__(self, app: str, clip: Path) -> None:
        self.app, self.clip = app, clip
        self.label = {"lab": "JupyterLab", "notebook": "Notebook 7"}[app]

    @contextlib.contextmanager
    def serve(self) -> Iterator[JupyterHost]:
        with tempfile.TemporaryDirectory() as tmp:
            notebook = write_notebook(Path(tmp) / "bench_hosts.ipynb", [cell_code(self.clip)])
            self.name = notebook.name
            with jupyter_server(self.app, [notebook], expose_app=True, configure=expose_notebook_app) as base:
                self.base = base
                yield self

    def show(self, page: BenchPage) -> float:
        page.goto(self.base + NOTEBOOK_URL[self.app].format(name=self.name))
        page.open_notebook()
        # JupyterLab's current widget follows focus, which a page opened by Page.navigate may not have yet.
        page.wait_for(
            "(s => { if (!s.currentWidget) { const nb = [...s.widgets('main')].find((w) => w.content?.widgets);"
            " if (nb) s.activateById(nb.id); } return !!s.currentWidget?.content; })(window.jupyterapp.shell)",
            30_000,
        )
        t0 = page.now_ms()
        page.run_code_cell(0)
        return t0

    def after(self, page: BenchPage) -> None:
        """Clears and saves the notebook, so that the next page open shows no old output (its view
        would load a second viewer beside the measured one)."""
        page.evaluate(
            "async () => { const c = window.jupyterapp.commands;"
            " await c.execute('notebook:clear-all-cell-outputs'); await c.execute('docmanager:save'); }"
        )
        page.wait_for("!window.jupyterapp.shell.currentWidget.context.model.dirty", 30_000)


def expose_notebook_app(config_dir: Path) -> None:
    """Notebook 7 exposes `window.jupyterapp` on its own setting (jupyter_server.py sets JupyterLab's)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    setting = json.dumps({"JupyterNotebookApp": {"expose_app_in_browser": True}})
    for name in ("jupyter_notebook_config.json", "jupyter_server_config.json"):
        (config_dir / name).write_text(setting)


class ClassicHost:
    """nbclassic with ipywidgets' and anywidget's nbextensions; no page config: the kernel channel."""

    label, route = "nbclassic", "kernel channel"
    scripts = (CLASSIC_WATCH,)

    def __init__(self, clip: Path) -> None:
        self.clip = clip

    @contextlib.contextmanager
    def serve(self) -> Iterator[ClassicHost]:
        from tests.e2e.classic_host import classic_server

        with tempfile.TemporaryDirectory() as tmp:
            notebook = write_notebook(Path(tmp) / "bench_hosts.ipynb", [cell_code(self.clip)])
            self.name = notebook.name
            with classic_server([notebook]) as base:
                self.base = base
                yield self

    def show(self, page: BenchPage) -> float:
        page.goto(f"{self.base}nbclassic/notebooks/{self.name}")
        page.wait_for(
            "window.Jupyter?.notebook?.kernel?.is_connected?.()"
            " && !!Jupyter.notebook.kernel.comm_manager.targets['jupyter.widget'] && window.__classicAsked.length",
            120_000,
        )
        if "comm_close" not in page.evaluate("() => window.__classicAsked"):
            # The manager asked which widgets the kernel has: an answer to our own question, asked
            # after, comes after its answer (the same reasoning as classic_host.open_classic_notebook).
            page.evaluate("() => new Promise((done) => Jupyter.notebook.kernel.comm_info('jupyter.widget', done))")
        t0 = page.now_ms()
        page.evaluate("() => { Jupyter.notebook.execute_cells([0]); }")
        return t0

    def after(self, page: BenchPage) -> None:
        page.evaluate("() => { Jupyter.notebook.clear_all_output(); return Jupyter.notebook.save_notebook(); }")


class PageLoadHost:
    """Voilà and marimo run the notebook when its page is requested: the start is that request."""

    scripts: tuple[str, ...] = ()

    def __init__(self, kind: str, clip: Path) -> None:
        self.kind, self.clip = kind, clip
        self.label = {"voila": "Voilà", "marimo": "marimo"}[kind]
        self.route = {"voila": "labextension", "marimo": "kernel channel"}[kind]

    @contextlib.contextmanager
    def serve(self) -> Iterator[PageLoadHost]:
        if self.kind == "voila":
            from tests.e2e.voila_host import voila_server as server
        else:
            from tests.e2e.marimo_host import marimo_server as server
        with server(self.clip) as base:
            self.base = base
            yield self

    def show(self, page: BenchPage) -> float:
        t0 = time.time() * 1000
        page.goto(self.base)
        return t0

    def after(self, page: BenchPage) -> None:
        pass


class BareHost:
    """The bare anywidget page (tests/e2e/bare_host.py) with its Python side in a process of its own
    (scripts/bench_bare_process.py): a first load gets a Python that has not imported facescope."""

    label, route = "bare page", "kernel channel"
    scripts: tuple[str, ...] = ()

    def __init__(self, clip: Path) -> None:
        self.clip = clip

    @contextlib.contextmanager
    def serve(self) -> Iterator[BareHost]:
        script = Path(__file__).with_name("bench_bare_process.py")
        with tempfile.TemporaryDirectory(prefix="facescope-bare-") as tmp:
            proc = subprocess.Popen(
                [sys.executable, str(script), str(self.clip)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=kernel_env(Path(tmp)),
            )
            try:
                self.proc = proc
                self._answer()  # the host is up
                yield self
            finally:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
                stop_process(proc)

    def _answer(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise CdpError(f"the bare host process exited ({self.proc.poll()})")
        return json.loads(line)

    def show(self, page: BenchPage) -> float:
        self.proc.stdin.write("show\n")
        self.proc.stdin.flush()
        shown = self._answer()
        page.goto(shown["url"])
        return shown["t0"]

    def after(self, page: BenchPage) -> None:
        pass


HOSTS = ("lab", "notebook", "voila", "nbclassic", "marimo", "bare")


def make_host(name: str, clip: Path):
    if name in ("lab", "notebook"):
        return JupyterHost(name, clip)
    if name == "nbclassic":
        return ClassicHost(clip)
    if name in ("voila", "marimo"):
        return PageLoadHost(name, clip)
    if name == "bare":
        return BareHost(clip)
    raise ValueError(name)
