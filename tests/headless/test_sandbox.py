"""Chromium's sandbox follows the user: on for a plain user where the kernel allows it (checked here
independently, with util-linux's unshare), off with one plain message as root, without user
namespaces, or when the user opts out. Read from Chromium's real command line while the CLI runs."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import MODEL, ROOT
from tests.headless.cli_process import chromium_processes, descendants, start_cli
from tests.headless.conftest import TALKING

ROOT_MESSAGE = "facescope: Chromium sandbox off: running as root"


@dataclass
class Observed:
    returncode: int
    stderr: str
    summary: dict
    browser_args: list[str]
    renderers_in_own_userns: bool  # some renderer runs in a user namespace of its own: sandboxed


def observe(prefix: list[str], python: str, workdir: Path, *args: str, uid: int | None = None) -> Observed:
    """Runs the CLI on 4 frames and watches its Chromium processes until it ends."""
    out, stderr = workdir / "out", workdir / "stderr.txt"
    run = start_cli(TALKING, out, "--max-frames", "4", *args, stderr_path=stderr, prefix=prefix, python=python)
    browser: list[str] = []
    own_userns = False
    try:

        def look() -> bool:
            nonlocal browser, own_userns
            procs = chromium_processes(descendants(run.pid))
            for pid, argv in procs.items():
                if not any(a.startswith("--type=") for a in argv):
                    browser = browser or argv
                    browser_ns = _userns(pid)
                    own_userns = own_userns or any(
                        "--type=renderer" in a and _userns(p) not in (None, browser_ns)
                        for p, a in ((p, " ".join(v)) for p, v in procs.items())
                    )
            return bool(browser) and (own_userns or "--no-sandbox" in browser)

        run.wait_for("Chromium's browser and renderer processes", look)
    finally:
        returncode = run.finish()
    summary = json.loads((out / "summary.json").read_text()) if (out / "summary.json").exists() else {}
    assert uid is None or os.stat(out).st_uid == uid
    return Observed(returncode, run.stderr(), summary, browser, own_userns)


def _userns(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/user")
    except OSError:
        return None


def test_as_root_the_sandbox_is_off_and_said_once(app_built, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("this machine runs the tests as a plain user; test_as_a_plain_user covers that")
    seen = observe([], sys.executable, tmp_path)
    assert seen.returncode == 0, seen.stderr
    assert "--no-sandbox" in seen.browser_args
    assert seen.stderr.count("Chromium sandbox off") == 1 and ROOT_MESSAGE in seen.stderr.splitlines()
    assert seen.summary["chromium_sandbox"] == "off: running as root"


@dataclass
class PlainUser:
    name: str
    uid: int
    python: str
    env: dict[str, str]
    home: Path

    def prefix(self) -> list[str]:
        return ["runuser", "-u", self.name, "--", "env", "-i", *(f"{k}={v}" for k, v in self.env.items())]

    def run(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.prefix() + list(argv), capture_output=True, text=True, timeout=120, cwd=self.home)

    def workdir(self, name: str) -> Path:
        path = self.home / name
        path.mkdir()
        os.chown(path, self.uid, self.uid)
        return path


@pytest.fixture(scope="module")
def plain_user(app_built) -> Iterator[PlainUser]:
    """A throwaway unprivileged user who can read the repo and run its Python environment."""
    if os.geteuid() != 0:
        pytest.skip("creating a user needs root")
    name = f"fs-sbx-{os.getpid()}"
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    home = Path(tempfile.mkdtemp(prefix="fs-user-", dir="/tmp"))  # short: Chromium's socket paths
    try:
        uid = pwd.getpwnam(name).pw_uid
        os.chown(home, uid, uid)
        # The venv's interpreter may sit in root's home; then a system interpreter of the same
        # version runs the venv's packages (read-only, never chmod'ed) from PYTHONPATH.
        env = {
            "HOME": str(home),
            "TMPDIR": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": os.pathsep.join(
                dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], str(ROOT)])
            ),
            "PYTHONDONTWRITEBYTECODE": "1",
            "FACESCOPE_MODEL": str(MODEL),
        }
        if "FACESCOPE_CHROMIUM" in os.environ:
            env["FACESCOPE_CHROMIUM"] = os.environ["FACESCOPE_CHROMIUM"]
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        candidates = [sys.executable, shutil.which(version, path="/usr/local/bin:/usr/bin:/bin") or ""]
        user = None
        for python in filter(None, candidates):
            user = PlainUser(name, uid, python, env, home)
            if user.run(python, "-c", "import facescope.headless, playwright").returncode == 0:
                break
            user = None
        assert user is not None, (
            f"no Python {sys.version_info[:2]} that {name} can run with this venv's packages "
            f"(tried {candidates}); the test needs one"
        )
        yield user
    finally:
        shutil.rmtree(home, ignore_errors=True)
        subprocess.run(["userdel", name], check=False)


def namespaces_work_for(user: PlainUser) -> bool:
    """What the kernel lets this user do, asked the way Chromium's namespace sandbox asks."""
    return user.run("unshare", "--user", "--pid", "--net", "--fork", "true").returncode == 0


def test_as_a_plain_user_the_sandbox_is_on_where_it_can_be(plain_user, app_built):
    seen = observe(plain_user.prefix(), plain_user.python, plain_user.workdir("default"), uid=plain_user.uid)
    assert seen.returncode == 0, seen.stderr
    assert seen.summary["frames"] == 4
    if namespaces_work_for(plain_user):
        assert "--no-sandbox" not in seen.browser_args, seen.browser_args
        assert seen.renderers_in_own_userns  # the sandbox is really in force, not just not refused
        assert "sandbox off" not in seen.stderr
        assert seen.summary["chromium_sandbox"] == "on"
    else:  # this machine forbids user namespaces: the fallback, said plainly
        assert "--no-sandbox" in seen.browser_args
        assert "facescope: Chromium sandbox off: this system allows no user namespaces" in seen.stderr
        assert seen.summary["chromium_sandbox"].startswith("off: this system allows no user namespaces")


@pytest.mark.parametrize("how", ["env", "flag"])
def test_a_plain_user_can_opt_out(plain_user, app_built, how):
    env = ["FACESCOPE_NO_SANDBOX=1"] if how == "env" else []
    args = ["--no-sandbox"] if how == "flag" else []
    seen = observe(
        plain_user.prefix() + env, plain_user.python, plain_user.workdir(f"opt-out-{how}"), *args, uid=plain_user.uid
    )
    assert seen.returncode == 0, seen.stderr
    assert "--no-sandbox" in seen.browser_args
    assert seen.stderr.count("Chromium sandbox off") == 1
    assert "facescope: Chromium sandbox off: FACESCOPE_NO_SANDBOX is set" in seen.stderr
    assert seen.summary["chromium_sandbox"] == "off: FACESCOPE_NO_SANDBOX is set"
