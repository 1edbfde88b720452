"""Many clips: `python -m facescope batch` with two worker processes, `--force`, a Ctrl-C in the
middle of a batch, and the same batch as tasks on a real dask.distributed LocalCluster (from Python
and from `batch --scheduler`). Real ffmpeg-made clips in the formats corpora ship in, real Chromium
and MediaPipe, the outputs read back with pandas, pyarrow and DuckDB."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from facescope.corpus import Corpus
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
    done = manifest.loc[sorted(DONE)]
    assert (done["faces"] == 1).all() and (done["fps"] > 0).all() and (done["seconds"] > 0).all(), done
    pd.testing.assert_frame_equal(Corpus(out).manifest, pd.read_parquet(out / "manifest.parquet"))
    _check_readers(out)
    # One table of every finished clip, whichever reader.
    scores = pd.read_parquet(out / "blendshapes")
    assert set(scores["clip"]) == DONE and len(scores) == FRAMES * len(DONE)
    assert ds.dataset(out / "head_pose").to_table().num_rows == FRAMES * len(DONE)
    flv = scores[scores["clip"] == "spark.flv"].sort_values("frame_idx")
    np.testing.assert_allclose(flv["time"].to_numpy(), frame_times(folder / "spark.flv"), atol=1e-6)
    assert (out / "clips" / "day2" / "prores.mov" / "recording.rrd").stat().st_size > 0
    return manifest


def _check_readers(out: Path) -> None:
    """Each reader sees one table of the finished clips, a worker's leftover temporary file (a
    half-written copy, named as the batch names them) beside them notwithstanding."""
    tables = out / "blendshapes"
    whole = (tables / "plain.mp4.parquet").read_bytes()
    leftover = tables / ".spark.flv.parquet.4242.tmp"
    leftover.write_bytes(whole[: len(whole) // 2])
    try:
        scores = pd.read_parquet(tables)
        assert set(scores["clip"]) == DONE and len(scores) == FRAMES * len(DONE)
        assert ds.dataset(tables).to_table().num_rows == FRAMES * len(DONE)
        query = f"SELECT count(*), count(DISTINCT clip) FROM read_parquet('{tables}/*.parquet')"
        assert duckdb.sql(query).fetchall() == [(FRAMES * len(DONE), len(DONE))]
    finally:
        leftover.unlink()


def _stamps(out: Path) -> dict[str, int]:
    """When each finished clip's summary and tables were written: a clip analysed again changes them."""
    files = [out / "clips" / c / "summary.json" for c in DONE]
    files += [out / t / (c.replace("/", "__") + ".parquet") for t in ("blendshapes", "head_pose") for c in DONE]
    return {str(f.relative_to(out)): f.stat().st_mtime_ns for f in files}


def test_batch_with_two_workers_converts_resumes_and_keeps_going_past_a_bad_file(app_built, folder, tmp_path):
    out = tmp_path / "results"
    first = _batch(str(folder), "--out", str(out), "--workers", "2")
    assert first.returncode == 1, first.stderr  # one clip failed; the others were analysed
    assert "4 of 5 clips analysed, 1 failed" in first.stderr, first.stderr
    # tqdm's bar: the clips done and failed and the frames per second, as the clips finished.
    assert "done=4" in first.stderr and "failed=1" in first.stderr, first.stderr
    rates = [float(r) for r in re.findall(r"frames/s=([0-9.]+)", first.stderr)]
    assert rates and rates[-1] > 0, first.stderr
    manifest = _check_outputs(folder, out)
    stamps = _stamps(out)

    again = _batch(str(folder / "*.flv"), str(folder), "--out", str(out), "--workers", "2")
    assert again.returncode == 1, again.stderr
    assert "skipped=4" in again.stderr, again.stderr  # the finished clips were not analysed again
    assert stamps == _stamps(out)
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


def test_force_redoes_finished_clips_and_one_that_now_fails_keeps_no_rows(app_built, folder, tmp_path):
    clips = tmp_path / "takes"
    clips.mkdir()
    for name in ("a.mp4", "b.mp4"):
        shutil.copyfile(folder / "plain.mp4", clips / name)
    out = tmp_path / "results"
    first = _batch(str(clips), "--out", str(out))
    assert first.returncode == 0, first.stderr
    summary = out / "clips" / "a.mp4" / "summary.json"
    stamp = summary.stat().st_mtime_ns
    # b.mp4 is replaced by a truncated file: analysed again (--force), it fails.
    shutil.copyfile(folder / "cut.mp4", clips / "b.mp4")

    again = _batch(str(clips), "--out", str(out), "--force")
    assert again.returncode == 1, again.stderr
    assert "skipped=0" in again.stderr and "done=1" in again.stderr, again.stderr
    assert summary.stat().st_mtime_ns != stamp  # a.mp4 was analysed again
    manifest = pd.read_parquet(out / "manifest.parquet").set_index("clip")
    assert manifest["status"].to_dict() == {"a.mp4": "done", "b.mp4": "failed"}
    # The first run's rows of b.mp4 are gone from every table, for every reader.
    for table in ("blendshapes", "head_pose", "detections"):
        rows = pd.read_parquet(out / table)
        assert set(rows["clip"]) == {"a.mp4"}, table
    assert len(pd.read_parquet(out / "blendshapes")) == FRAMES

    # A worker killed between a clip's tables and its folder leaves rows of a clip not done:
    # Corpus keeps to what the manifest calls done.
    stale = pd.read_parquet(out / "blendshapes" / "a.mp4.parquet").assign(clip="b.mp4")
    stale.to_parquet(out / "blendshapes" / "b.mp4.parquet", index=False)
    scores = Corpus(out).blendshapes
    assert set(scores.index.get_level_values("clip")) == {"a.mp4"} and len(scores) == FRAMES


def test_the_folder_through_a_dask_local_cluster_then_batch_on_its_scheduler(app_built, folder, tmp_path):
    from distributed import Client, LocalCluster

    import facescope

    def _warm_sessions() -> tuple[int, int]:
        """Run on each Dask worker (a local function: pickled by value, the worker need not import
        this module): its warm session's browsers started and clips analysed."""
        from facescope import _session

        shared = _session._shared
        return (shared.launches, shared.clips) if shared is not None else (0, 0)

    out = tmp_path / "results"
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        corpus = facescope.analyze_many(folder, out, client=client, model=str(MODEL), progress=False)
        _check_outputs(folder, out)
        assert list(corpus.failed["clip"]) == ["cut.mp4"]
        scores = corpus.blendshapes
        assert scores.index.names == ["clip", "frame_idx", "face_id"]
        assert set(scores.index.get_level_values("clip")) == DONE
        assert len(corpus.head_pose) == len(DONE) * FRAMES and len(corpus.detections) >= len(DONE) * FRAMES
        stamps = _stamps(out)
        sessions = client.run(_warm_sessions)
        # One Chromium per Dask worker that ran clips, reused for all of them.
        assert sum(clips for _, clips in sessions.values()) >= len(DONE), sessions
        assert all(launches == 1 for launches, clips in sessions.values() if clips), sessions

        facescope.analyze_many(folder, out, client=client, model=str(MODEL), progress=False)
        assert stamps == _stamps(out)  # nothing finished was analysed again
        _check_outputs(folder, out)

        # The command line on the same cluster: the clip runs on its workers, in their warm browsers.
        before = client.run(_warm_sessions)
        cli_out = tmp_path / "cli"
        address = cluster.scheduler_address
        cli = _batch(str(folder / "plain.mp4"), "--out", str(cli_out), "--scheduler", address, "--model", str(MODEL))
        assert cli.returncode == 0, cli.stderr
        assert "1 of 1 clips analysed, 0 failed" in cli.stderr, cli.stderr
        assert len(pd.read_parquet(cli_out / "blendshapes")) == FRAMES
        after = client.run(_warm_sessions)
        assert sum(c for _, c in after.values()) == sum(c for _, c in before.values()) + 1, (before, after)
        assert all(launches == 1 for launches, clips in after.values() if clips), after
