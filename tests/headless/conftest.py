"""Runs `python -m facescope analyze` as a user would: a subprocess with real Chromium and MediaPipe."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import MEDIA, MODEL, ROOT

TALKING = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
APP = ROOT / "facescope" / "labextension" / "app" / "facescope-app.js"


@dataclass
class CliRun:
    returncode: int
    stderr: str
    out: Path


def typescript_messages(out: Path) -> tuple[list[bytes], dict]:
    """Results messages encoded by the TypeScript codec (tests/headless/codec_fixture.ts: 40 frames
    with 0, 1 and 2 faces) and the values they should decode to, as written by that script."""
    done = subprocess.run(
        [shutil.which("npx") or "npx", "tsx", "tests/headless/codec_fixture.ts", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    expected = json.loads((out / "expected.json").read_text())
    return [(out / f"results-{i}.fscr").read_bytes() for i in range(expected["messages"])], expected


def run_cli(clip: Path | str, out: Path, *args: str, timeout: float = 600) -> CliRun:
    env = {**os.environ, "FACESCOPE_MODEL": str(MODEL)}
    done = subprocess.run(
        [sys.executable, "-m", "facescope", "analyze", str(clip), "--out", str(out), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliRun(done.returncode, done.stderr, out)


@pytest.fixture(scope="session")
def app_built() -> Path:
    if not os.environ.get("FACESCOPE_SKIP_BUILD"):
        subprocess.run(
            ["npx", "webpack", "--config", "webpack.config.js", "--config-name", "app"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    assert APP.exists(), f"{APP} missing: build the app with npx webpack --config webpack.config.js --config-name app"
    if not MODEL.exists():
        pytest.skip(f"model not found at {MODEL}")
    return APP


@pytest.fixture(scope="session")
def talking(app_built, tmp_path_factory) -> CliRun:
    """The talking clip analysed once for every test that inspects its outputs."""
    run = run_cli(TALKING, tmp_path_factory.mktemp("talking") / "out")
    assert run.returncode == 0, run.stderr
    return run
