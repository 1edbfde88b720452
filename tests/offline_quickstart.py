"""Runs the quickstart in JupyterLab from a fresh environment, with no network: the driver the
offline install test starts inside a loopback-only network namespace.

    python -m tests.offline_quickstart ENV_PYTHON NOTEBOOK WORKDIR

The server (and so the kernel) is the fresh environment's Python with the environment variables
this process was given; this process drives real Chromium through the notebook's code cells, one
by one as a user would, and prints one JSON line: the widget's status line, each code cell's
output text, the requests that left the server's origin and where the kernel's facescope lives.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import artifact
from tests.e2e.jupyter_server import answers, free_port, stop_process, wait_until
from tests.e2e.notebook_page import open_notebook, recorded_page, run_code_cell, run_python, wait_widget_state

CELLS_DONE_MS = 600_000


def server_command(python: str, root: Path, home: Path, port: int) -> list[str]:
    return [
        python,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.allow_root=True",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
    ]


def run_every_code_cell(page, count: int, outputs: list[str]) -> list[str]:
    """Runs the `count` code cells in order, each once the one before has finished; appends their
    outputs to `outputs` (so a failure later can show them) and returns it. The count comes from
    the file: JupyterLab attaches a long notebook's cells a few at a time after it opens."""
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    for index in range(count):
        cells.nth(index).wait_for(state="attached", timeout=60_000)
        run_code_cell(page, index)
        prompt = cells.nth(index).locator(".jp-InputPrompt")
        page.wait_for_function(
            "el => /\\[\\d+\\]/.test(el.innerText)", arg=prompt.element_handle(), timeout=CELLS_DONE_MS
        )
        outputs.append(cells.nth(index).locator(".jp-OutputArea").inner_text())
    return outputs


def main(python: str, notebook: Path, workdir: Path) -> dict:
    home = workdir / "lab-home"
    root = home / "root"
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, root / notebook.name)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    # The driver needs this checkout on its path; the server and its kernel must not see it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with open(home / "server.log", "wb") as log:
        command = server_command(python, root, home, port)
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    try:
        wait_until(lambda: answers(base + "api/status"), proc, home / "server.log", "jupyter lab", timeout=180)
        with sync_playwright() as playwright, recorded_page(playwright) as (page, record):
            outputs: list[str] = []
            try:
                open_notebook(page, base, "lab", notebook.name)
                code_cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
                outputs = run_every_code_cell(page, len(code_cells), outputs)
                status = wait_widget_state(page, ("done", "error"), timeout_ms=60_000)
                where = run_python(page, "import facescope; print(facescope.__file__)")
            except Exception as error:
                page.screenshot(path=artifact("offline-quickstart.png"))
                artifact("offline-quickstart-page.txt").write_text(page.locator("body").inner_text())
                shown = "\n---\n".join(outputs)
                raise AssertionError(f"{error}\nthe cells' outputs so far:\n{shown[-4000:]}") from error
            foreign = record.foreign_requests(base)
            return {"status": status, "outputs": outputs, "foreign_requests": foreign, "facescope_file": where.strip()}
    finally:
        stop_process(proc)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))))
