"""Voilà as a facescope host: `voila notebook.ipynb` on 127.0.0.1 serving a notebook that shows
`FaceScope(clip)` and, below it, a label the kernel fills in when the analysis ends."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.browser import ROOT
from tests.e2e.jupyter_server import free_port, kernel_env, stop_process, wait_until
from tests.e2e.notebook_page import write_notebook

LABEXTENSION = ROOT / "facescope" / "labextension"
KERNEL_LINE = "facescope-kernel:"
# Voilà shows the page only after every cell ran, so no cell may wait for the analysis (the
# widget is not on screen yet): an observer of `status` writes what the kernel holds into a
# label, which the page shows when the front end reports "done" or "error".
CELLS = [
    "import ipywidgets\nfrom facescope import FaceScope\n"
    "scope = FaceScope({clip!r}, height=420)\n"
    "kernel = ipywidgets.Label('facescope-kernel: waiting')\n"
    "def report(change):\n"
    "    if change.new in ('done', 'error'):\n"
    "        kernel.value = f'facescope-kernel: status={{scope.status}} rows={{len(scope.blendshapes)}} error={{scope.error!r}}'\n"
    "scope.observe(report, names='status')\n"
    "display(scope, kernel)"
]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def voila_server(clip: Path) -> Iterator[str]:
    """Serves the notebook with `voila`; yields the page's URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="facescope-voila-") as tmp:
        home = Path(tmp)
        notebook = write_notebook(home / "facescope_voila.ipynb", [c.format(clip=str(clip)) for c in CELLS])
        # `make build` links the labextension into the venv; Voilà's file handler (tornado >= 6.5.9)
        # refuses files behind a symlink that leaves its folder, which an installed wheel never has.
        # So Voilà gets the built labextension as real files (hard links: no copy) on its own path.
        extensions = home / "labextensions"
        shutil.copytree(LABEXTENSION, extensions / "facescope", copy_function=os.link)
        cmd = [
            str(Path(sys.executable).parent / "voila"),
            str(notebook),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            "--show_tracebacks=True",
            f"--VoilaConfiguration.extra_labextensions_path={extensions}",
        ]
        log = open(home / "voila.log", "wb")
        proc = subprocess.Popen(cmd, env=kernel_env(home), stdout=log, stderr=subprocess.STDOUT, cwd=home)
        base = f"http://127.0.0.1:{port}/"
        try:
            # The port accepting connections: asking for the page itself would start a kernel.
            wait_until(lambda: listening(port), proc, home / "voila.log", "voila")
            yield base
        finally:
            stop_process(proc)
            log.close()
