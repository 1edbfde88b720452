"""What facescope writes is readable by the user only, and a run leaves no temporary file behind:
not after success, not after Ctrl-C or SIGTERM in the middle of the analysis."""

from __future__ import annotations

import os
import select
import shutil
import signal
import stat
import tempfile
import time
from pathlib import Path

import pytest

import facescope
from facescope._export import files
from tests.browser import MEDIA
from tests.headless.cli_process import alive, chromium_processes, descendants, start_cli

LONG_CLIP = MEDIA / "a_talking_grid_4speakers.mp4"


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.lstat().st_mode) for p in [root, *root.rglob("*")]}


def test_cli_outputs_are_private(talking):
    assert modes(talking.out) == {".": 0o700, **{name: 0o600 for name in files("save")}}


def test_saved_results_are_private_whatever_the_umask(talking, tmp_path):
    res = facescope.load(talking.out)
    (tmp_path / "shared.rrd").write_bytes(b"old")
    os.chmod(tmp_path / "shared.rrd", 0o666)
    old_umask = os.umask(0)  # the widest: only the modes facescope asks for stand between the faces and others
    try:
        res.save(tmp_path / "a" / "b")
        res.to_parquet(tmp_path / "tables")
        res.save_rrd(tmp_path / "shared.rrd")
    finally:
        os.umask(old_umask)
    assert set(modes(tmp_path / "a").values()) == {0o700, 0o600}
    assert modes(tmp_path / "a")["."] == 0o700 and modes(tmp_path / "a")["b"] == 0o700
    assert modes(tmp_path / "tables") == {".": 0o700, **{name: 0o600 for name in files("parquet")}}
    assert stat.S_IMODE((tmp_path / "shared.rrd").stat().st_mode) == 0o600  # an existing file is narrowed too
    assert (tmp_path / "shared.rrd").read_bytes() == res.recording


@pytest.mark.parametrize(
    "signum, whom",
    [(signal.SIGINT, "group"), (signal.SIGTERM, "process")],
    ids=["ctrl-c-to-the-terminal-group", "sigterm-to-the-cli"],
)
def test_an_interrupted_run_leaves_nothing_behind(app_built, tmp_path, signum, whom):
    # TMPDIR short and of its own: Chromium's singleton socket path must stay under 108 bytes.
    tmpdir = Path(tempfile.mkdtemp(prefix="fs-kill-", dir="/tmp"))
    try:
        run = start_cli(
            LONG_CLIP,
            tmp_path / "out",
            env={"TMPDIR": str(tmpdir)},
            stderr_path=tmp_path / "stderr.txt",
            new_session=True,
        )
        try:
            run.wait_for("the analysis under way", lambda: "facescope: Analysing" in run.stderr())
            during = modes(tmpdir)
            processes = list(chromium_processes(descendants(run.pid)))
        finally:
            if whom == "group":  # what a terminal does on Ctrl-C: the CLI and the driver it started
                os.killpg(run.pid, signum)
            else:
                os.kill(run.pid, signum)
            returncode = run.finish(timeout=120)
        left = sorted(p.name for p in tmpdir.iterdir())
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)  # the assertions below say what was left; not in /tmp
    # While it ran: one private directory held everything (Chromium's profile, the downloads).
    top = [name for name in during if name != "." and "/" not in name]
    assert len(top) == 1 and top[0].startswith("fs-") and during[top[0]] == 0o700, during
    assert any("playwright_chromiumdev_profile-" in name for name in during), during
    assert processes, "no Chromium was running to stop"
    # Then: stopped, said so, nothing written, nothing left, no Chromium still running.
    assert returncode == 128 + signum, run.stderr()
    assert (
        run.stderr().strip().splitlines()[-1] == f"facescope: stopped by {signal.Signals(signum).name}; nothing written"
    )
    assert not (tmp_path / "out").exists()
    assert left == []
    assert still_alive(processes) == []


def still_alive(pids: list[int], deadline_s: float = 30) -> list[int]:
    """The pids still running once they had ``deadline_s`` to go: a killed process takes a moment
    to exit, and a pidfd turns readable when it has."""
    end = time.monotonic() + deadline_s
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            select.select([fd], [], [], max(0.0, end - time.monotonic()))
        finally:
            os.close(fd)
    return [pid for pid in pids if alive(pid)]
