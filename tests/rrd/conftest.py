"""Fixtures for the RRD writer suites: the TS sample, built once per session into a tmp dir."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rrd_support import IMAGE, MEDIA, VIDEO, run_tsx  # noqa: E402


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Writes the sample with `scripts/rrd-sample.ts` (what `npm run rrd:sample` runs)."""
    if not VIDEO.exists() or not IMAGE.exists():
        pytest.skip(f"shared media missing under {MEDIA}")
    out = tmp_path_factory.mktemp("rrd") / "sample.rrd"
    line = (
        run_tsx("scripts/rrd-sample.ts", str(out), "--video", str(VIDEO), "--image", str(IMAGE))
        .strip()
        .splitlines()[-1]
    )
    info = json.loads(line)
    assert Path(info["out"]) == out and out.stat().st_size == info["bytes"]
    return {**info, "path": out, "lastTimeNs": int(info["lastTimeNs"])}
