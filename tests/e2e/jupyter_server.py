"""A real Jupyter server (JupyterLab or Notebook 7) on 127.0.0.1 for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.browser import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Asks the process to end, and kills it if it has not after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def jupyter_server(
    app: str,
    notebooks: list[Path],
    expose_app: bool = False,
    configure: Callable[[Path], None] | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Starts `jupyter lab`, `jupyter notebook` or `jupyter nbclassic` in a temp root holding copies of `notebooks`.
    `expose_app` sets `window.jupyterapp` in the page (scripts/cdp_page.py drives cells with it).
    `configure` may write into the server's (empty, temporary) Jupyter config dir before it starts;
    `extra_env` adds to the server's environment.

    Yields the server's base URL. The server has no token (it listens on loopback only), no
    announcements and no update checks, so it makes no request of its own to the outside.
    """
    assert app in ("lab", "notebook", "nbclassic")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix=f"facescope-{app}-") as tmp:
        home = Path(tmp)
        root = home / "root"
        root.mkdir()
        for nb in notebooks:
            shutil.copy(nb, root / nb.name)
        env = {**kernel_env(home), **(extra_env or {})}
        if configure is not None:
            configure(Path(env["JUPYTER_CONFIG_DIR"]))
        cmd = [
            str(Path(sys.executable).parent / "jupyter"),
            app,
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
        ] + (["--LabApp.expose_app_in_browser=True"] if expose_app else [])
        log = open(home / "server.log", "wb")
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_until(lambda: answers(base + "api/status"), proc, home / "server.log", f"jupyter {app}")
            yield base
        finally:
            stop_process(proc)
            log.close()


def kernel_env(home: Path) -> dict[str, str]:
    """The environment of a host server and so of its kernels: Jupyter's and IPython's state under
    `home`, facescope importable from this checkout, and no FACESCOPE_MODEL, so that the kernel
    hands the browser the model packaged inside facescope, as a user's would."""
    env = {k: v for k, v in os.environ.items() if k != "FACESCOPE_MODEL"}
    env.update(
        {
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "IPYTHONDIR": str(home / "ipython"),
            "PYTHONPATH": str(ROOT),
            "FACESCOPE_CACHE": str(home / "cache"),
        }
    )
    return env


def wait_until(ready: Callable[[], bool], proc: subprocess.Popen, log: Path, name: str, timeout: float = 90) -> None:
    """Polls `ready` until it says yes; fails with the log's tail if `proc` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if ready():
            return
        time.sleep(0.3)  # the poll's interval, not a wait for something to happen
    raise TimeoutError(f"{name} did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


def answers(url: str) -> bool:
    """Whether `url` answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False
