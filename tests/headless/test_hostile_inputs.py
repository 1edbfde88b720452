"""The reliability suite's hostile inputs through `python -m facescope analyze` (tests/hostile_clips.py
holds the table; the widget and the kernel paths are in tests/e2e/test_hostile_inputs.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import facescope
from tests.headless.conftest import run_cli
from tests.hostile_clips import CASES, check_outcome


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_cli_on_hostile_input(app_built, hostile_clips, tmp_path, case):
    clip = hostile_clips[case.file]
    run = run_cli(clip, tmp_path / "out", timeout=300)
    last = run.stderr.strip().splitlines()[-1]
    if case.code is not None:
        assert run.returncode == 1, run.stderr
        assert last.startswith(f"facescope: error: {clip}: "), last  # one line, naming the file
        partial = (tmp_path / "out" / "frames.parquet").exists()
        assert partial == (case.code == "truncated"), run.stderr  # only a truncated clip has frames to keep
        kept = facescope.load(tmp_path / "out") if partial else None
        times = (kept.batch.columns["timestamp_us"] / 1e6).tolist() if kept else None
        check_outcome(case, hostile_clips, last, times)
        return
    assert run.returncode == 0, run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    result = facescope.load(tmp_path / "out")
    times = np.round(result.batch.columns["timestamp_us"] / 1e6, 6).tolist()
    if case.file == "still_as_video.mp4":
        assert summary["kind"] == "image" and "a still PNG image" in run.stderr, run.stderr
    check_outcome(case, hostile_clips, None, times, summary["faces_per_frame"], (summary["width"], summary["height"]))
