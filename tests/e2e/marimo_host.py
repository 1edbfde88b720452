"""marimo as a facescope host: a notebook written by the test, served by `marimo run` (the app
view: cells run on page load, no editing), on 127.0.0.1 without a token."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.jupyter_server import answers, free_port, kernel_env, stop_process, wait_until

# The second cell reads `w.value` (the widget's synced traits), so marimo re-runs it whenever the
# front end changes a trait: it shows what the *kernel* holds, the rows included, on each change.
NOTEBOOK = """import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    from facescope import FaceScope

    scope = FaceScope({clip!r}, height=420)
    w = mo.ui.anywidget(scope)
    w
    return mo, scope, w


@app.cell
def _(mo, scope, w):
    _traits = w.value
    mo.md(f"facescope-kernel: status={{scope.status}} rows={{len(scope.blendshapes)}} error={{scope.error!r}}")
    return


if __name__ == "__main__":
    app.run()
"""
KERNEL_LINE = "facescope-kernel:"


def write_notebook(path: Path, clip: Path, notebook: str = NOTEBOOK) -> Path:
    path.write_text(notebook.format(clip=str(clip)))
    return path


@contextlib.contextmanager
def marimo_server(clip: Path, notebook: str = NOTEBOOK) -> Iterator[str]:
    """Serves a notebook (by default one showing `FaceScope(clip)`) with `marimo run`; yields the page's URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="facescope-marimo-") as tmp:
        home = Path(tmp)
        path = write_notebook(home / "facescope_marimo.py", clip, notebook)
        cmd = [
            str(Path(sys.executable).parent / "marimo"),
            "run",
            str(path),
            "--headless",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-token",
            "--no-sandbox",
            "--no-check",
        ]
        env = {**kernel_env(home), "MARIMO_SKIP_UPDATE_CHECK": "1", "HOME": str(home)}
        log = open(home / "marimo.log", "wb")
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home)
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_until(lambda: answers(base + "health"), proc, home / "marimo.log", "marimo")
            yield base
        finally:
            stop_process(proc)
            log.close()
