"""Shared helpers for tests that drive the real Debian Chromium through Playwright for Python."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import os
from pathlib import Path

# One list of flags and one launcher, shared with the headless analyser (facescope/_chromium.py).
from facescope._chromium import CHROMIUM_ARGS, chromium_executable, launch  # noqa: F401
from facescope._server import QuietHandler, running

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FACESCOPE_SHARED", ROOT.parent / "shared"))
MEDIA = SHARED / "media"
MODEL = SHARED / "models" / "face_landmarker.task"
ARTIFACTS = ROOT / "build" / "test-artifacts"

CHROMIUM = chromium_executable()


def run_coroutine(coro):
    """asyncio.run in a thread of its own: the session's Playwright driver already runs an event
    loop on this one once a browser test has started."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def serve_directory(directory: Path) -> contextlib.AbstractContextManager[str]:
    """Serve `directory` over HTTP on 127.0.0.1; yields the base URL (ending in '/')."""
    return running(functools.partial(QuietHandler, directory=str(directory)))


def artifact(name: str) -> Path:
    """Path for a test artifact (screenshots etc.), kept under build/test-artifacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def renderer_rss_mb(tag: str) -> float:
    """Resident memory of the renderer processes of the Chromium launched with `--{tag}`.

    JS heap numbers miss WebAssembly memories (the Rerun viewer's is the big one); the renderer's
    resident set shows them, and shrinks when a freed instance is collected.
    """
    procs: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        procs[int(entry.name)] = (ppid, cmdline)
    family = {pid for pid, (_, cmd) in procs.items() if f"--{tag}" in cmd}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in procs.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    total_kb = 0
    for pid in family:
        if "--type=renderer" not in procs[pid][1]:
            continue
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


def build_wheel(dest: Path) -> Path:
    """Builds facescope's wheel from this checkout into `dest`, offline (no isolation, no deps)."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(dest)],
        check=True,
    )
    (wheel,) = dest.glob("facescope-*.whl")
    return wheel
