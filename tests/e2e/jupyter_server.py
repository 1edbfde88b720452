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
from pathlib import Path
from typing import Iterator

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
def jupyter_server(app: str, notebooks: list[Path], expose_app: bool = False) -> Iterator[str]:
    """Starts `jupyter lab` or `jupyter notebook` in a temp root holding copies of `notebooks`.
    `expose_app` sets `window.jupyterapp` in the page (scripts/cdp_page.py drives cells with it).

    Yields the server's base URL. The server has no token (it listens on loopback only), no
    announcements and no update checks, so it makes no request of its own to the outside.
    """
    assert app in ("lab", "notebook")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix=f"facescope-{app}-") as tmp:
        home = Path(tmp)
        root = home / "root"
        root.mkdir()
        for nb in notebooks:
            shutil.copy(nb, root / nb.name)
        env = kernel_env(home)
        cmd = [str(Path(sys.executable).parent / "jupyter"), app, "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.allow_root=True",
               "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               f"--LabApp.workspaces_dir={home / 'workspaces'}",
               f"--LabApp.user_settings_dir={home / 'settings'}"] + \
              (["--LabApp.expose_app_in_browser=True"] if expose_app else [])
        log = open(home / "server.log", "wb")
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
        base = f"http://127.0.0.1:{port}/"
        try:
            _wait_until_up(base + "api/status", proc, home / "server.log")
            yield base
        finally:
            stop_process(proc)
            log.close()


def kernel_env(home: Path) -> dict[str, str]:
    """The environment of a host server and so of its kernels: Jupyter's and IPython's state under
    `home`, facescope importable from this checkout, and no FACESCOPE_MODEL, so that the kernel
    hands the browser the model packaged inside facescope, as a user's would."""
    env = {k: v for k, v in os.environ.items() if k != "FACESCOPE_MODEL"}
    env.update({"JUPYTER_CONFIG_DIR": str(home / "config"),
                "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
                "IPYTHONDIR": str(home / "ipython"),
                "PYTHONPATH": str(ROOT),
                "FACESCOPE_CACHE": str(home / "cache")})
    return env


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter did not answer {url} in {timeout} s:\n{log.read_text()[-3000:]}")
