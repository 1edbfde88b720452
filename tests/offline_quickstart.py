"""Runs the quickstart notebook in JupyterLab from a fresh environment, inside the caller's network
namespace (tests/test_offline_install.py starts it with only loopback up). Prints one JSON line.

    python tests/offline_quickstart.py ENV_PYTHON NOTEBOOK WORKDIR

The server runs the environment's Python with a clean environment: no FACESCOPE_MODEL, no
PYTHONPATH, an empty home; the checkout is only used for this driver's helpers, appended last to
sys.path so `facescope` here is the installed wheel's too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))
from tests.e2e.jupyter_server import answers, free_port, stop_process, wait_until  # noqa: E402

READY = "window.jupyterapp && document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]')"
NOTEBOOK_CURRENT = "window.jupyterapp.shell.currentWidget?.content?.widgets?.length > 0"
RUN_STARTED = (
    "Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'))"
    ".some((e) => /\\[(\\*|\\d+)\\]/.test(e.innerText))"
)
PROMPTS_DONE = (
    "(() => { const p = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'))"
    ".map((e) => e.innerText); return p.length > 0 && p.every((t) => /\\[\\d+\\]/.test(t)); })()"
)
OUTPUTS = "Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-OutputArea')).map((o) => o.innerText)"


def main(python: str, notebook: Path, work: Path, env: dict[str, str]) -> dict:
    root = work / "root"
    root.mkdir()
    shutil.copy(notebook, root / notebook.name)
    port = free_port()
    log = open(work / "server.log", "wb")
    server = subprocess.Popen(
        [
            python,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.allow_root=True",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=root,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: answers(base + "api/status"), server, work / "server.log", "jupyter lab")
        from playwright.sync_api import sync_playwright

        from facescope._chromium import launch

        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            requests: list[str] = []
            page.context.on("request", lambda r: requests.append(r.url))
            page.goto(f"{base}lab/tree/{notebook.name}")
            page.wait_for_function(READY, timeout=120_000)
            # Run All acts on the current notebook: wait until the panel is current, then until a
            # prompt shows the run started (a command sent too early does nothing).
            page.wait_for_function(NOTEBOOK_CURRENT, timeout=120_000)
            for _ in range(10):
                # JupyterLab may ask which kernel to use (a slow start): its default is the notebook's.
                if page.locator(".jp-Dialog .jp-mod-accept").count():
                    page.locator(".jp-Dialog .jp-mod-accept").first.click()
                page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
                try:
                    page.wait_for_function(RUN_STARTED, timeout=5_000)
                    break
                except Exception:  # Playwright's TimeoutError: send the command again
                    continue
            try:
                page.wait_for_selector('.facescope[data-state="done"], .facescope[data-state="error"]', timeout=300_000)
                # Run All is over when every code cell's prompt shows its execution count.
                page.wait_for_function(PROMPTS_DONE, timeout=300_000)
            except Exception:
                page.screenshot(path=str(work / "quickstart.png"))
                (work / "dialog.txt").write_text(page.evaluate("document.querySelector('.jp-Dialog')?.innerText ?? ''"))
                (work / "page.txt").write_text(page.evaluate("document.body.innerText"))
                raise
            status = page.locator(".facescope .facescope-status").first.inner_text()
            outputs = page.evaluate(OUTPUTS)
            browser.close()
        return {"status": status, "outputs": outputs, "requests": requests, "base": base}
    finally:
        stop_process(server)
        log.close()


if __name__ == "__main__":
    python, notebook, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    print(json.dumps(main(python, notebook, work, dict(os.environ))))
