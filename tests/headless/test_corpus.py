"""Many clips: `python -m facescope batch` with two worker processes, a Ctrl-C in the middle of a
batch, and the same batch as tasks on a real dask.distributed LocalCluster. Real ffmpeg-made clips
in the formats corpora ship in, real Chromium and MediaPipe, the outputs read back with pandas and
pyarrow."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from tests.browser import MODEL, ROOT
from tests.headless.odd_formats import FORMATS, FRAMES, build, truncated
from tests.hostile_clips import frame_times


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A corpus: the four formats (one in a sub-folder), a truncated MP4 and a text file called .mp4."""
    root = tmp_path_factory.mktemp("corpus") / "interviews"
    clips = build(root)
    (root / "day2").mkdir()
    clips["prores.mov"].rename(root / "day2" / "prores.mov")
    truncated(root / "cut.mp4")
    (root / "notes.txt").write_text("not a clip: a folder's other files are left alone")
    return root


def _batch(*args: str, **popen) -> subprocess.CompletedProcess | subprocess.Popen:
    env = {**os.environ, "FACESCOPE_MODEL": str(MODEL)}
    command = [sys.executable, "-m", "facescope", "batch", *args]
    if popen:
        return subprocess.Popen(command, cwd=ROOT, env=env, text=True, **popen)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


DONE = {"spark.flv", "part2.avi", "day2/prores.mov", "plain.mp4"}


def _check_outputs(folder: Path, out: Path) -> pd.DataFrame:
    manifest = pd.read_parquet(out / "manifest.parquet").set_index("clip")
    assert set(manifest.index) == DONE | {"cut.mp4"}
    assert set(manifest.index[manifest["status"] == "done"]) == DONE
    cut = manifest.loc["cut.mp4"]
    assert cut["status"] == "failed" and "truncated" in cut["error"], cut["error"]
    assert (manifest.loc[sorted(DONE), "frames"] == FRAMES).all()
    assert manifest.loc["spark.flv", "converted_from"] == FORMATS["spark.flv"][1]
    assert manifest.loc["day2/prores.mov", "converted_from"] == FORMATS["prores.mov"][1]
    assert manifest.loc["plain.mp4", "converted_from"] == ""
    # One table of every finished clip, whichever reader.
    scores = pd.read_parquet(out / "blendshapes")
    assert set(scores["clip"]) == DONE and len(scores) == FRAMES * len(DONE)
    assert ds.dataset(out / "head_pose").to_table().num_rows == FRAMES * len(DONE)
    flv = scores[scores["clip"] == "spark.flv"].sort_values("frame_idx")
    np.testing.assert_allclose(flv["time"].to_numpy(), frame_times(folder / "spark.flv"), atol=1e-6)
    assert (out / "clips" / "day2" / "prores.mov" / "recording.rrd").stat().st_size > 0
    return manifest


def test_batch_with_two_workers_converts_resumes_and_keeps_going_past_a_bad_file(app_built, folder, tmp_path):
    out = tmp_path / "results"
    first = _batch(str(folder), "--out", str(out), "--workers", "2")
    assert first.returncode == 1, first.stderr  # one clip failed; the others were analysed
    assert "4 of 5 clips analysed, 1 failed" in first.stderr, first.stderr
    manifest = _check_outputs(folder, out)
    stamps = {c: (out / "clips" / c / "summary.json").stat().st_mtime_ns for c in DONE}

    again = _batch(str(folder / "*.flv"), str(folder), "--out", str(out), "--workers", "2")
    assert again.returncode == 1, again.stderr
    assert "skipped=4" in again.stderr, again.stderr  # the finished clips were not analysed again
    assert stamps == {c: (out / "clips" / c / "summary.json").stat().st_mtime_ns for c in DONE}
    again_manifest = _check_outputs(folder, out)
    assert (again_manifest.loc[sorted(DONE), "frames"] == manifest.loc[sorted(DONE), "frames"]).all()
    assert not list(out.rglob(".*.tmp"))  # no temporary file left behind


def test_ctrl_c_stops_the_batch_with_exit_130_and_keeps_the_manifest(app_built, folder, tmp_path):
    clips = tmp_path / "many"
    clips.mkdir()
    for i in range(8):
        shutil.copyfile(folder / "plain.mp4", clips / f"take{i}.mp4")
    out = tmp_path / "results"
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr_file:
        proc = _batch(str(clips), "--out", str(out), "--workers", "1", stderr=stderr_file)
        try:
            # The first finished clip (its folder renamed into place) is the moment to press Ctrl-C.
            while not list(out.glob("clips/*/summary.json")):
                assert proc.poll() is None, log.read_text()
                try:
                    proc.wait(timeout=0.1)
                except subprocess.TimeoutExpired:
                    pass
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    stderr = log.read_text()
    assert proc.returncode == 130, stderr
    assert "stopped by SIGINT; finished clips kept" in stderr, stderr
    manifest = pd.read_parquet(out / "manifest.parquet")
    assert len(manifest) == 8
    done = manifest[manifest["status"] == "done"]
    assert len(done) >= 1 and (done["frames"] == FRAMES).all()
    assert (manifest["status"] == "pending").any()  # stopped before the end
    for clip in done["clip"]:
        assert "error" not in json.loads((out / "clips" / clip / "summary.json").read_text())


def test_batch_on_a_dask_local_cluster(app_built, folder, tmp_path):
    from distributed import Client, LocalCluster

    import facescope

    inputs = [folder / "spark.flv", folder / "plain.mp4", folder / "cut.mp4"]
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        corpus = facescope.analyze_many(inputs, tmp_path / "results", client=client, model=str(MODEL), progress=False)
    manifest = corpus.manifest.set_index("clip")
    assert manifest["status"].to_dict() == {"cut.mp4": "failed", "plain.mp4": "done", "spark.flv": "done"}
    assert list(corpus.failed["clip"]) == ["cut.mp4"]
    scores = corpus.blendshapes
    assert scores.index.names == ["clip", "frame_idx", "face_id"]
    assert set(scores.index.get_level_values("clip")) == {"spark.flv", "plain.mp4"}
    assert len(corpus.head_pose) == 2 * FRAMES and len(corpus.detections) >= 2 * FRAMES
