"""A fresh install with no network: the wheel in a new environment, run inside a network namespace
that has only loopback, with no FACESCOPE_MODEL and an empty home and cache. The CLI analyses a clip
with the packaged model, and the quickstart runs top to bottom in JupyterLab served from that
environment: nothing is downloaded and no request leaves the machine.

Dependencies come from the test environment (a path entry, not its editable facescope), so only
facescope's own wheel is new. Needs root (for the namespace) and iproute2's `ip`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.browser import MEDIA, build_wheel

ROOT = Path(__file__).resolve().parent.parent
CLIP = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"),
    reason="needs root, unshare and ip to cut the network off",
)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """(python, env): a new environment holding the built wheel, and the clean variables to run it with."""
    tmp = tmp_path_factory.mktemp("offline")
    wheel = build_wheel(tmp / "dist")
    env_dir = tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--no-warn-script-location",
            "--prefix",
            str(env_dir),
            str(wheel),
        ],
        check=True,
    )
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    home = tmp / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "FACESCOPE_CHROMIUM": os.environ.get("FACESCOPE_CHROMIUM", "/usr/bin/chromium"),
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
    }
    return str(env_dir / "bin" / "python"), env, tmp


def lab_env(env: dict, tmp: Path) -> dict:
    """The fresh environment's variables plus what JupyterLab needs from outside it: its built
    application and the widget managers' labextensions (facescope's own comes from the wheel), and
    Jupyter's and IPython's state under the empty home."""
    shared = Path(sysconfig.get_path("data")) / "share" / "jupyter"
    extensions = tmp / "jupyter-path" / "labextensions"
    extensions.mkdir(parents=True, exist_ok=True)
    for name in ("anywidget", "@jupyter-widgets"):
        link = extensions / name
        if not link.exists():
            link.symlink_to(shared / "labextensions" / name)
    home = Path(env["HOME"])
    return {
        **env,
        "JUPYTER_PATH": str(tmp / "jupyter-path"),
        "JUPYTERLAB_DIR": str(shared / "lab"),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / ".jupyter-runtime"),
        "IPYTHONDIR": str(home / ".ipython"),
        # The driver (this checkout's tests) runs in the test environment; the server it starts
        # gets `env` above, without this path.
        "PYTHONPATH": str(ROOT),
    }


def offline(*command: str, env: dict, cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """Runs `command` in a new network namespace with only loopback up."""
    script = 'ip link set lo up && exec "$@"'
    return subprocess.run(
        ["unshare", "-n", "sh", "-c", script, "sh", *command],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_installed_package_is_the_wheel_with_its_model_and_no_download_path(fresh):
    python, env, tmp = fresh
    code = (
        "import facescope, facescope.model as m; from facescope.demo import demo_clip\n"
        "print(facescope.__file__); print(len(m.resolve_model(None))); print(demo_clip())"
    )
    done = offline(python, "-c", code, env=env, cwd=tmp, timeout=120)
    assert done.returncode == 0, done.stderr
    where, size, clip = done.stdout.split()
    assert where.startswith(str(tmp / "env")), where
    assert int(size) > 3_000_000
    # The demo clip comes with the wheel too: the quickstart needs no download.
    assert clip.startswith(str(tmp / "env")) and Path(clip).stat().st_size > 100_000, clip


def test_the_cli_analyses_a_clip_with_no_network_and_no_model_setting(fresh):
    python, env, tmp = fresh
    out = tmp / "cli-out"
    done = offline(python, "-m", "facescope", "analyze", str(CLIP), "--out", str(out), env=env, cwd=tmp, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["frames"] == 75, summary
    assert (out / "recording.rrd").stat().st_size > 0
    assert not list((tmp / "home").rglob("*.task")), "nothing may be downloaded into the user's cache"


def test_the_quickstart_runs_top_to_bottom_with_no_network(fresh):
    python, env, tmp = fresh
    notebook = ROOT / "examples" / "quickstart.ipynb"
    driver = [sys.executable, "-m", "tests.offline_quickstart", python, str(notebook), str(tmp)]
    done = offline(*driver, env=lab_env(env, tmp), cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "frames" in report["status"] and "face" in report["status"], report["status"]
    assert not any("Traceback" in out or "Error" in out for out in report["outputs"]), report["outputs"]
    assert any("rows × 53 columns" in out for out in report["outputs"]), report["outputs"]
    assert report["foreign_requests"] == []
    assert report["facescope_file"].startswith(str(tmp / "env")), "the kernel must use the wheel's facescope"
    assert not list((tmp / "home").rglob("*.task")), "nothing may be downloaded into the user's cache"
