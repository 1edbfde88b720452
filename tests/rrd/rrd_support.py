"""Helpers shared by the RRD writer suites (paths, the tsx runner, the rerun CLI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.browser import MEDIA, ROOT

VIDEO = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
IMAGE = MEDIA / "stills" / "grid_s1_frame.jpg"
RERUN = Path(sys.executable).with_name("rerun")


def run_tsx(*args: str) -> str:
    """Runs a TypeScript entry point of this repo with tsx; returns stdout."""
    npx = shutil.which("npx") or "npx"
    done = subprocess.run([npx, "tsx", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"tsx {args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def rerun_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RERUN_ANALYTICS": "false"}
    return subprocess.run([str(RERUN), *args], capture_output=True, text=True, timeout=300, env=env)
