"""`python -m facescope analyze` end to end: real Chromium, real MediaPipe, files a user can open."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import facescope
from facescope._phases import MARKS
from facescope.results import BLENDSHAPE_NAMES
from tests.browser import MEDIA, ROOT
from tests.headless.conftest import TALKING, run_cli
from tests.test_export import readme_files

NOFACE = MEDIA / "c_noface_tos_belltower_vp8.webm"


def test_talking_clip_files(talking):
    out = talking.out
    assert {p.name for p in out.iterdir()} == readme_files()["save"]  # the README's list, nothing else
    lm = np.load(out / "landmarks.npy")
    assert lm.shape == (75, 1, 478, 3) and lm.dtype == np.float32
    assert np.isfinite(lm).all()
    assert ((lm[..., :2] > 0) & (lm[..., :2] < 1)).mean() > 0.99  # normalised image coordinates

    table = pd.read_parquet(out / "blendshapes.parquet")
    assert table.shape == (75, 1 + 52) and table.index.names == ["frame_idx", "face_id"]
    assert list(table.columns) == ["time", *BLENDSHAPE_NAMES]
    assert table.index.tolist() == [(f, 0) for f in range(75)]
    np.testing.assert_allclose(table["time"], np.arange(75) * 0.04)  # 25 fps, exact presentation times
    scores = table[list(BLENDSHAPE_NAMES)].to_numpy()
    assert ((scores >= 0) & (scores <= 1)).all()
    blink = (table["eyeBlinkLeft"] > 0.5) & (table["eyeBlinkRight"] > 0.5)
    assert blink.any(), table[["eyeBlinkLeft", "eyeBlinkRight"]].max()
    assert blink.sum() < 20  # a blink is an event, not the resting state

    frames = pd.read_parquet(out / "frames.parquet")
    assert frames.index.tolist() == list(range(75)) and (frames["face_count"] == 1).all()
    assert (frames[["width", "height"]] == [360, 288]).all().all() and (frames["landmarker_ms"] > 0).all()
    transforms = np.load(out / "transforms.npy")
    assert transforms.shape == (75, 1, 4, 4) and np.isfinite(transforms).all()
    assert (transforms[:, 0, 3] == [0, 0, 0, 1]).all() and (
        transforms[:, 0, 2, 3] < 0
    ).all()  # the face is in front of the camera

    loaded = facescope.load(out)  # the same tables and arrays back, exactly
    assert loaded.frames == 75 and loaded.recording == (out / "recording.rrd").read_bytes()
    np.testing.assert_array_equal(loaded.landmarks, lm)
    pd.testing.assert_frame_equal(loaded.blendshapes, table, check_exact=True)
    pd.testing.assert_frame_equal(loaded.detections, pd.read_parquet(out / "detections.parquet"), check_exact=True)


def test_talking_clip_summary_and_progress(talking):
    summary = json.loads((talking.out / "summary.json").read_text())
    assert summary["frames"] == 75 and summary["total_frames"] == 75
    assert summary["faces_per_frame"] == [1] * 75 and summary["face_found"] is True
    assert summary["fps"] > 0 and summary["stage_ms"]["landmarker"] > 0
    assert (
        summary["transfer"]["messages"] >= 1
        and summary["transfer"]["recording_bytes"] == (talking.out / "recording.rrd").stat().st_size
    )
    # Nothing left 127.0.0.1: the route refused nothing, and MediaPipe's telemetry (which it does try
    # to send) was stopped by the page's own guard before it reached the network.
    assert summary["refused_requests"] == []
    assert any("odml.pa.googleapis.com" in u for u in summary["blocked_requests"])
    assert "75/75 frames" in talking.stderr
    assert "75 frames, faces in 75 of 75 frames" in talking.stderr


def test_summary_says_where_the_time_went(talking):
    """Every phase mark of a CLI run is there, in the order the run passes them, counted from the
    process's start (order only: timings under load say nothing)."""
    phases = json.loads((talking.out / "summary.json").read_text())["phases_ms"]
    assert list(phases) == list(MARKS)
    times = list(phases.values())
    assert times[0] == 0 and times == sorted(times), phases


def test_options_reach_the_front_end(app_built, tmp_path):
    clip = MEDIA / "b_multiface_crop_mpf_video_01_1280x720.mp4"
    run = run_cli(clip, tmp_path / "out", "--max-frames", "8", "--max-dim", "640", "--num-faces", "3")
    assert run.returncode == 0, run.stderr
    summary = json.loads((run.out / "summary.json").read_text())
    assert summary["frames"] == 8 and summary["width"] == 640 and summary["height"] < 640  # long side scaled to 640
    assert summary["max_faces"] >= 2  # the default (one face) would give 1
    lm = np.load(run.out / "landmarks.npy")
    assert lm.shape == (8, len(summary["face_ids"]), 478, 3)  # one slot per face id, in id order
    table = pd.read_parquet(run.out / "blendshapes.parquet").reset_index()
    assert len(table) == sum(summary["faces_per_frame"]) and set(table["face_id"]) == set(summary["face_ids"])
    for row in table.itertuples():  # each row's face sits in its id's slot of that frame
        slot = summary["face_ids"].index(row.face_id)
        assert np.isfinite(lm[row.frame_idx, slot]).all()
    assert np.isnan(lm).any(axis=(2, 3)).sum() == 8 * len(summary["face_ids"]) - len(table)  # NaN where absent


def test_no_face_webm(app_built, tmp_path):
    run = run_cli(NOFACE, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    summary = json.loads((run.out / "summary.json").read_text())
    assert summary["kind"] == "webm" and summary["frames"] == 48
    assert summary["faces_per_frame"] == [0] * 48 and summary["face_found"] is False
    assert "48 frames, no face found" in run.stderr
    assert np.load(run.out / "landmarks.npy").shape == (48, 0, 478, 3)
    table = pd.read_parquet(run.out / "blendshapes.parquet")
    assert table.shape == (0, 53) and table.index.names == ["frame_idx", "face_id"]


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.mp4", r'"empty.mp4" is empty \(0 bytes\)'),
        ("not_a_video.mp4", r'"not_a_video.mp4" is not a video or image'),
        ("truncated.mp4", r"truncated: stopped at frame 105 \(4\.20 s\) of 300: the file ends early"),
        ("hevc_talking.mp4", r"HEVC \(H\.265\).*cannot decode.*ffmpeg -i \"hevc_talking.mp4\" -c:v libx264"),
    ],
)
def test_bad_input_fails_with_a_specific_one_line_message(app_built, tmp_path, name, message):
    run = run_cli(MEDIA / "bad" / name, tmp_path / "out")
    assert run.returncode == 1, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(f"facescope: error: {MEDIA / 'bad' / name}: "), last
    assert re.search(message, last), last
    # What was decodable is analysed and kept; nothing else writes results.
    assert (tmp_path / "out" / "recording.rrd").exists() == (name == "truncated.mp4")


def test_missing_file_and_bad_usage(tmp_path):
    run = run_cli(tmp_path / "nope.mp4", tmp_path / "out")
    assert run.returncode == 1
    assert run.stderr.strip() == f"facescope: error: no such file: {tmp_path / 'nope.mp4'}"
    env = {**os.environ}
    done = subprocess.run(
        [sys.executable, "-m", "facescope", "analyze", str(TALKING), "--out", str(tmp_path), "--num-faces", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--num-faces: num_faces must be an integer from 1 to 20, got 0" in done.stderr


def test_help_is_plain_text_and_lists_every_option_that_acts_here():
    from facescope.options import OPTIONS

    for args in (["--help"], ["analyze", "--help"]):
        done = subprocess.run([sys.executable, "-m", "facescope", *args], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0 and "``" not in done.stdout, done.stdout
    for option in OPTIONS.values():  # widget-only options do nothing here, so have no flag
        assert (option.flag in done.stdout) == (option.where == "everywhere"), option.flag
    assert "--no-detector" in done.stdout


def _damaged(source, target):
    """A copy of the model with one byte changed in the middle: still a zip, no longer its sha256."""
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


#: What each missing or damaged model makes the CLI say.
MODEL_HINTS = {
    "packaged copy missing": "reinstall facescope, or pass --model path/to/face_landmarker.task or set FACESCOPE_MODEL",
    "packaged copy damaged": "Reinstall facescope (pip install --force-reinstall facescope), or pass --model",
    "--model missing": "cannot read the face model from --model {path}: No such file or directory",
    "--model not a bundle": "{path} (--model) is not a MediaPipe .task bundle (expected a zip file)",
}


@pytest.mark.parametrize("case", MODEL_HINTS)
def test_the_missing_model_hint_names_the_flag(monkeypatch, capsys, tmp_path, case):
    """The real model check (facescope.model, reached through main → analyze_file, before any
    browser starts) on a missing or damaged model: the words name --model, never the Python API's
    FaceScope(model=...) or "the path given"."""
    from facescope import __main__, model

    monkeypatch.delenv("FACESCOPE_MODEL", raising=False)
    path = tmp_path / "face_landmarker.task"
    args = ["analyze", str(TALKING), "--out", str(tmp_path / "out")]
    if case == "packaged copy missing":
        monkeypatch.setattr(model, "PACKAGED_MODEL", path)  # where an install lost its copy
    elif case == "packaged copy damaged":
        monkeypatch.setattr(model, "PACKAGED_MODEL", _damaged(model.PACKAGED_MODEL, path))
    elif case == "--model missing":
        args += ["--model", str(path)]
    else:
        path.write_bytes(b"<html>a download page, not the model</html>")
        args += ["--model", str(path)]
    assert __main__.main(args) == 3
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"facescope: error: {TALKING}: "), error
    assert MODEL_HINTS[case].format(path=path) in error, error
    assert "FaceScope(" not in error and "the path given" not in error, error
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_auto_delegate_takes_the_cpu_on_software_webgl(talking):
    """This machine has no GPU: Chromium's WebGL is SwiftShader, so the default delegate (auto) must
    run MediaPipe on the CPU, and say so in the summary and on the status line."""
    summary = json.loads((talking.out / "summary.json").read_text())
    assert summary["delegate"] == "CPU"
    assert summary["delegate_reason"].startswith("software WebGL ("), summary["delegate_reason"]
    assert "facescope: Analysing on CPU, software WebGL (" in talking.stderr
