"""The newest rerun-sdk on PyPI, in a venv of its own under build/ (the project's venv stays on
0.33.1, the web viewer's version). Made on first use with pip and kept between runs; delete
build/rerun-sdk-newest to pick up a newer release. `check_with_newest_sdk` opens a recording with
that SDK's reader (manifest-backed `store()`, then a full scan), runs its `rerun rrd verify` and
`rerun rrd migrate`, and returns what it found.

If pip cannot install it (PyPI unreachable), the calling test fails: a skip would hide a
regression in a run nobody reads closely. Where PyPI is out of reach on purpose, set
FACESCOPE_ALLOW_OFFLINE_SKIP=1 and those tests skip instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import ROOT

VENV = ROOT / "build" / "rerun-sdk-newest"
ALLOW_OFFLINE_SKIP = "FACESCOPE_ALLOW_OFFLINE_SKIP"
_READ = r"""
import json, sys, warnings
warnings.simplefilter("error")  # the reader's "no footer/manifest, legacy format" warning is a failure
import rerun
try:
    from rerun.chunk import RrdReader  # 0.34+
except ImportError:
    from rerun.experimental import RrdReader
reader = RrdReader(sys.argv[1])
store = reader.store()  # needs the footer's manifest
print(json.dumps({
    "version": rerun.__version__,
    "recordings": [[r.application_id, r.recording_id] for r in reader.recordings()],
    "blueprints": len(reader.blueprints()),
    "store_chunks": sum(1 for _ in store.stream().to_chunks()),
    "scanned_chunks": sum(1 for _ in reader.stream().to_chunks()),
}))
"""


def newest_sdk() -> Path:
    """The venv's bin directory. If pip cannot install rerun-sdk, fails the calling test (skips it
    when ``FACESCOPE_ALLOW_OFFLINE_SKIP=1``)."""
    bin_dir = VENV / "bin"
    if not (bin_dir / "rerun").exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
        done = subprocess.run(
            [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "rerun-sdk"],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if done.returncode != 0 or not (bin_dir / "rerun").exists():
            shutil.rmtree(VENV, ignore_errors=True)
            reason = f"pip could not install the newest rerun-sdk (is PyPI reachable?): {done.stderr.strip()[-500:]}"
            if os.environ.get(ALLOW_OFFLINE_SKIP) == "1":
                pytest.skip(reason)
            pytest.fail(f"{reason}\nOn a machine without PyPI, set {ALLOW_OFFLINE_SKIP}=1 to skip this check.")
    return bin_dir


def check_with_newest_sdk(rrd: Path, work: Path) -> dict:
    bin_dir = newest_sdk()
    env = {**os.environ, "RERUN_ANALYTICS": "false"}
    run = lambda *args: subprocess.run(args, capture_output=True, text=True, timeout=600, env=env, cwd=work)  # noqa: E731
    read = run(str(bin_dir / "python"), "-c", _READ, str(rrd))
    assert read.returncode == 0, read.stderr[-3000:]
    found = json.loads(read.stdout.strip().splitlines()[-1])
    verify = run(str(bin_dir / "rerun"), "rrd", "verify", str(rrd))
    assert verify.returncode == 0, (verify.stdout + verify.stderr)[-3000:]
    copy = work / "migrated.rrd"
    shutil.copyfile(rrd, copy)
    migrate = run(str(bin_dir / "rerun"), "rrd", "migrate", str(copy))
    assert migrate.returncode == 0, (migrate.stdout + migrate.stderr)[-3000:]
    assert (work / "migrated.backup.rrd").read_bytes() == rrd.read_bytes()
    migrated = run(str(bin_dir / "python"), "-c", _READ, str(copy))
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    return {**found, "migrated": json.loads(migrated.stdout.strip().splitlines()[-1])}
