"""`facescope.Results`: DataFrames and arrays built from results messages, without a browser.

Realistic buffers come from the TypeScript codec (tests/headless/codec_fixture.ts); edge cases are
hand-built columns sent through the Python encoder, so both go through `decode_results`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from facescope._codec import concat_batches, decode_results, empty_columns, encode_results
from facescope.results import BLENDSHAPE_NAMES, DETECTOR_KEYPOINT_NAMES, Results
from tests.browser import ROOT
from tests.headless.conftest import typescript_messages

KEYPOINT_COLUMNS = [f"{k}_{a}" for k in DETECTOR_KEYPOINT_NAMES for a in "xy"]
DETECTION_COLUMNS = ["time", "face_id", "x", "y", "width", "height", "score", *KEYPOINT_COLUMNS]


def landmark_values(frame: int, face: int) -> np.ndarray:
    k = np.arange(478, dtype=np.float32)
    return np.stack([0.1 * (face + 1) + k / 10_000, np.full(478, 0.5 + frame / 1000), -k / 10_000], axis=1).astype(
        np.float32
    )


def make_results(
    faces_per_frame: list[list[int]], score=None, sizes=None, detections=None, summary=None, recording: bytes = b""
) -> Results:
    """Frames at 25 fps with the given face ids (in landmarker order). Values derive from (frame, id):
    landmarks by `landmark_values`, blendshapes by `score(frame, id)` (default id/10 + frame/1000),
    head pose (frame, -frame, id). `detections`: per frame a list of (face_id, box, score, keypoints)."""
    n = len(faces_per_frame)
    rows = [(f, i) for f, ids in enumerate(faces_per_frame) for i in ids]
    score = score or (lambda f, i: np.full(52, i / 10 + f / 1000))
    dets = [(f, d) for f, ds in enumerate(detections or [[]] * n) for d in ds]
    columns = {
        "frame_idx": np.arange(n),
        "timestamp_us": np.arange(n) * 40_000.0,
        "image_size": sizes or [(640, 360)] * n,
        "face_count": [len(f) for f in faces_per_frame],
        "detection_count": [len(d) for d in (detections or [[]] * n)],
        "timings_ms": np.zeros((n, 4)),
        "face_id": [i for _, i in rows],
        "landmarks": [landmark_values(f, i) for f, i in rows],
        "blendshapes": [score(f, i) for f, i in rows],
        "matrices": np.zeros((len(rows), 16)),
        "head_pose_deg": [(f, -f, i) for f, i in rows],
        "face_box": np.zeros((len(rows), 4)),
        "detection_box_px": [d[1] for _, d in dets],
        "detection_score": [d[2] for _, d in dets],
        "detection_keypoints": [d[3] for _, d in dets],
        "detection_face_id": [d[0] for _, d in dets],
    }
    return Results(decode_results(encode_results({k: np.asarray(v) for k, v in columns.items()})), summary, recording)


@pytest.fixture(scope="module")
def typescript(tmp_path_factory) -> tuple[Results, dict]:
    messages, expected = typescript_messages(tmp_path_factory.mktemp("codec"))
    return Results(concat_batches(decode_results(m) for m in messages)), expected


def test_typescript_messages_become_indexed_tables(typescript):
    res, expected = typescript
    frames = expected["frames"]
    assert res.frames == 40 and res.face_ids == [3, 7]
    bs = res.blendshapes
    assert bs.shape == (sum(len(f["faceIds"]) for f in frames), 53)
    assert list(bs.columns) == ["time", *BLENDSHAPE_NAMES] and bs.index.names == ["frame_idx", "face_id"]
    assert bs["time"].dtype == np.float64 and (bs.dtypes.iloc[1:] == np.float32).all()
    assert bs.index.tolist() == [(f["index"], i) for f in frames for i in f["faceIds"]]
    want = np.float32([v for f in frames for v in f["blendshapes"]]).reshape(-1, 52)
    np.testing.assert_array_equal(bs[list(BLENDSHAPE_NAMES)].to_numpy(), want)
    np.testing.assert_array_equal(bs["time"].to_numpy(), [f["timestampUs"] / 1e6 for f in frames for _ in f["faceIds"]])
    assert bs.loc[(5, 7), "jawOpen"] == np.float32(((5 + 25 + 7) % 10) / 10)  # syntheticFrame's formula
    hp = res.head_pose
    assert list(hp.columns) == ["time", "yaw", "pitch", "roll"] and hp.index.equals(bs.index)
    assert (
        hp.loc[(5, 7), ["yaw", "pitch", "roll"]].tolist() == [5, -5, 7]
        and hp.loc[(5, 7), "time"] == bs.loc[(5, 7), "time"]
    )


def test_landmarks_give_each_face_its_slot_and_nan_where_absent(typescript):
    res, expected = typescript
    lm = res.landmarks
    assert lm.shape == (40, 2, 478, 3) and lm.dtype == np.float32
    present = [[i in f["faceIds"] for i in (3, 7)] for f in expected["frames"]]
    np.testing.assert_array_equal(~np.isnan(lm[:, :, 100]).all(axis=2), present)
    assert np.isnan(lm[1, 0, 1, 1]) and np.isfinite(lm[1, 0, 1, 0])  # the message's own NaN survives
    np.testing.assert_allclose(lm[2, 1, 10], [0.8 + 10 / 10_000, 0.502, -0.01 * 10 / 478], rtol=1e-6)


def test_faces_keep_their_slot_when_the_landmarker_order_changes():
    res = make_results([[5, 2], [2, 5], [5]])
    assert res.face_ids == [2, 5]
    np.testing.assert_array_equal(res.landmarks[0, 0], landmark_values(0, 2))
    np.testing.assert_array_equal(res.landmarks[0, 1], landmark_values(0, 5))
    np.testing.assert_array_equal(res.landmarks[1, 1], landmark_values(1, 5))
    assert np.isnan(res.landmarks[2, 0]).all()
    assert res.blendshapes.index.tolist() == [(0, 2), (0, 5), (1, 2), (1, 5), (2, 5)]
    assert res.blendshapes.index.is_monotonic_increasing  # .loc slices without a PerformanceWarning
    assert res.blendshapes.loc[(0, 5), "_neutral"] == np.float32(0.5)
    assert res.head_pose.loc[(2, 5), "roll"] == 5


def test_a_face_leaving_mid_clip_and_a_frame_without_face():
    res = make_results([[0, 1], [0, 1], [0], [], [0]])
    assert res.frames == 5 and res.face_ids == [0, 1]
    assert res.blendshapes.index.tolist() == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (4, 0)]
    assert np.isnan(res.landmarks[2:, 1]).all() and np.isnan(res.landmarks[3]).all()
    assert np.isfinite(res.landmarks[4, 0]).all()
    jaw = res.blendshapes["jawOpen"].unstack("face_id")
    assert jaw.shape == (4, 2) and np.isnan(jaw.loc[4, 1]) and jaw.loc[1, 1] == np.float32(0.101)
    assert repr(res) == "<Results: 5 frames, 0.00–0.16 s, 2 faces (ids 0, 1)>"


@pytest.mark.parametrize("faces", [[], [[], [], []]], ids=["no-frames", "frames-without-faces"])
def test_empty_results_have_typed_empty_tables(faces):
    res = make_results(faces) if faces else Results(decode_results(encode_results(empty_columns())))
    assert res.face_ids == [] and res.landmarks.shape == (len(faces), 0, 478, 3)
    for table, columns, index in [
        (res.blendshapes, ["time", *BLENDSHAPE_NAMES], ["frame_idx", "face_id"]),
        (res.blendshapes_calibrated(), ["time", *BLENDSHAPE_NAMES], ["frame_idx", "face_id"]),
        (res.head_pose, ["time", "yaw", "pitch", "roll"], ["frame_idx", "face_id"]),
        (res.detections, DETECTION_COLUMNS, ["frame_idx", "detection"]),
        (res.landmarks_long(), ["x", "y", "z"], ["frame_idx", "face_id", "landmark"]),
    ]:
        assert len(table) == 0 and list(table.columns) == columns and table.index.names == index
        assert table["time" if "time" in columns else "x"].dtype == (np.float64 if "time" in columns else np.float32)
        assert all(level.dtype == np.int64 for level in table.index.levels)
    assert res.blendshapes.dtypes.iloc[1:].eq(np.float32).all() and res.detections["face_id"].dtype == np.int64
    long = res.blendshapes_long()
    assert list(long.columns) == ["frame_idx", "time", "face_id", "category", "score"] and len(long) == 0
    assert list(long["category"].cat.categories) == list(BLENDSHAPE_NAMES)
    assert repr(res).endswith("no face>")


def test_long_form_matches_the_wide_form(typescript):
    res, _ = typescript
    long, wide = res.blendshapes_long(), res.blendshapes
    assert len(long) == 52 * len(wide) and long["score"].dtype == np.float32
    assert list(long["category"].cat.categories) == list(BLENDSHAPE_NAMES)
    assert long["category"].iloc[:53].tolist() == [*BLENDSHAPE_NAMES, "_neutral"]
    back = long.pivot(index=["frame_idx", "face_id"], columns="category", values="score")
    back.columns = back.columns.astype(str)
    pd.testing.assert_frame_equal(back[list(BLENDSHAPE_NAMES)], wide[list(BLENDSHAPE_NAMES)], check_names=False)
    times = long.groupby(["frame_idx", "face_id"])["time"].first()
    np.testing.assert_array_equal(times.to_numpy(), wide["time"].to_numpy())


def test_landmarks_long_in_normalised_and_pixel_units():
    res = make_results([[0], [], [1, 0]], sizes=[(640, 360), (640, 360), (320, 240)])
    norm, px = res.landmarks_long(), res.landmarks_long(pixels=True)
    assert norm.index.names == ["frame_idx", "face_id", "landmark"] and len(norm) == 3 * 478
    assert norm.index[:2].tolist() == [(0, 0, 0), (0, 0, 1)] and norm.index[478] == (2, 0, 0)
    np.testing.assert_array_equal(norm.loc[(2, 1)].to_numpy(), res.landmarks[2, 1])
    np.testing.assert_allclose(px.loc[(0, 0)].to_numpy(), landmark_values(0, 0) * [640, 360, 640], rtol=1e-6)
    np.testing.assert_allclose(px.loc[(2, 1)].to_numpy(), landmark_values(2, 1) * [320, 240, 320], rtol=1e-6)
    assert (px.dtypes == np.float32).all()
    with pytest.warns(DeprecationWarning, match=r"landmarks_frame\(\) is deprecated; use landmarks_long\(\)"):
        old = res.landmarks_frame(pixels=True)  # the old name, for one release
    pd.testing.assert_frame_equal(old, px)


def test_summary_keys_are_snake_case_and_camel_case_still_reads(tmp_path):
    res = make_results([[0], []])
    res = Results(
        res.batch,
        {"fileName": "a.mp4", "framesWithFaces": 1, "stageMs": {"detector": 7.5}, "transfer": {"recordingBytes": 12}},
    )
    assert list(res.summary) == ["file_name", "frames_with_faces", "stage_ms", "transfer"]
    assert res.summary["transfer"] == {"recording_bytes": 12} and res.summary["stage_ms"]["detector"] == 7.5
    with pytest.warns(
        DeprecationWarning, match=r"summary\['framesWithFaces'\] is deprecated; use summary\['frames_with_faces'\]"
    ):
        assert res.summary["framesWithFaces"] == 1
    with pytest.warns(DeprecationWarning):
        assert res.summary.get("fileName") == "a.mp4" and "stageMs" in res.summary
    with pytest.warns(DeprecationWarning):
        assert res.summary["transfer"]["recordingBytes"] == 12
    assert res.summary.get("missingKey") is None and "missingKey" not in res.summary
    again = Results.load(res.save(tmp_path))  # summary.json is written snake_case
    assert json.loads((tmp_path / "summary.json").read_text())["frames_with_faces"] == 1
    assert again.summary == res.summary


def test_detections_columns_and_keypoint_order(typescript):
    kp = np.arange(12, dtype=np.float32).reshape(6, 2) / 100
    res = make_results([[0], [0]], detections=[[(0, (1, 2, 3, 4), 0.9, kp), (-1, (5, 6, 7, 8), 0.4, kp + 0.5)], []])
    d = res.detections
    assert list(d.columns) == DETECTION_COLUMNS and d.index.names == ["frame_idx", "detection"]
    assert d.index.tolist() == [(0, 0), (0, 1)] and d["face_id"].tolist() == [0, -1]
    assert d.loc[(0, 1), ["x", "y", "width", "height"]].tolist() == [5, 6, 7, 8]
    assert d.loc[(0, 0), "right_eye_x"] == kp[0, 0] and d.loc[(0, 0), "right_eye_y"] == kp[0, 1]
    assert d.loc[(0, 0), "nose_tip_x"] == kp[2, 0] and d.loc[(0, 1), "left_ear_y"] == kp[5, 1] + np.float32(0.5)
    ts, expected = typescript
    assert len(ts.detections) == sum(f["detections"] for f in expected["frames"])
    row = ts.detections.loc[(5, 0)]  # the fixture's face-less detection
    assert row["face_id"] == -1 and row["score"] == 0.5 and row[KEYPOINT_COLUMNS].eq(0.125).all()
    assert row[["x", "y", "width", "height"]].tolist() == [1, 2, 3, 4]


def calibration_clip() -> Results:
    """Face 0 in frames 0–59 (0–2.36 s), face 1 in frames 50–99 (2.0–3.96 s). Scores hold a constant
    per face (0.3 and 0.6, plus 0.01 × category) for the face's first 25 frames, then rise 0.001/frame."""
    start = {0: 0, 1: 50}
    base = {0: 0.3, 1: 0.6}

    def score(f, i):
        return base[i] + np.arange(52) * 0.01 + max(0, f - start[i] - 24) * 0.001

    return make_results([[0] * (f < 60) + [1] * (f >= 50) for f in range(100)], score=score)


def test_calibration_subtracts_each_face_neutral_mean():
    res = calibration_clip()
    cal = res.blendshapes_calibrated()  # each face's first 1.0 s: its 25 constant frames
    assert cal.shape == res.blendshapes.shape and cal.index.equals(res.blendshapes.index)
    pd.testing.assert_series_equal(cal["time"], res.blendshapes["time"])
    scores = cal[list(BLENDSHAPE_NAMES)]
    assert (scores.loc[(slice(0, 24), 0), :] == 0).all().all()  # exactly 0 over the baseline
    assert (scores.loc[(slice(50, 74), 1), :] == 0).all().all()
    np.testing.assert_allclose(scores.loc[(59, 0)], 0.035, atol=1e-6)  # 35 frames after its baseline
    np.testing.assert_allclose(scores.loc[(99, 1)], 0.025, atol=1e-6)
    assert scores.dtypes.eq(np.float32).all()


def test_calibration_spans_in_seconds_frames_and_per_face():
    res = calibration_clip()
    # (2.0, 2.4) s is frames 50–59: face 0 rises from 0.026 to 0.035 (mean 0.0305), face 1 is still constant.
    cal = res.blendshapes_calibrated((2.0, 2.4))
    np.testing.assert_allclose(cal.loc[(50, 0), "jawOpen"], 0.026 - 0.0305, atol=1e-6)
    assert cal.loc[(55, 1), "jawOpen"] == 0
    by_frames = res.blendshapes_calibrated(slice(50, 60))
    pd.testing.assert_frame_equal(by_frames, cal)
    per_face = res.blendshapes_calibrated({1: slice(90, None)})  # face 0 keeps the default span
    assert (per_face.loc[(slice(0, 24), 0), list(BLENDSHAPE_NAMES)] == 0).all().all()
    np.testing.assert_allclose(per_face.loc[(99, 1), "jawOpen"], 0.025 - 0.0205, atol=1e-6)
    clipped = res.blendshapes_calibrated({1: slice(90, None)}, clip=True)
    assert clipped.loc[(50, 1), "jawOpen"] == 0 and clipped.loc[(99, 1), "jawOpen"] > 0
    assert (clipped[list(BLENDSHAPE_NAMES)] >= 0).all().all() and (clipped[list(BLENDSHAPE_NAMES)] <= 1).all().all()


def test_calibration_refuses_spans_a_face_is_not_in():
    res = calibration_clip()
    with pytest.raises(
        ValueError, match=r"face 1 has no frame in its baseline span 0\.00–1\.00 s; it appears in frames 50–99"
    ):
        res.blendshapes_calibrated((0.0, 1.0))
    with pytest.raises(ValueError, match=r"face 0 has no frame in its baseline span frames 60:"):
        res.blendshapes_calibrated({0: slice(60, None)})
    with pytest.raises(ValueError, match=r"face\(s\) \[4\] that are not in these results"):
        res.blendshapes_calibrated({4: (0.0, 1.0)})
    with pytest.raises(ValueError, match="start_s < end_s"):
        res.blendshapes_calibrated((2.0, 1.0))
    with pytest.raises(ValueError, match="non-negative"):
        res.blendshapes_calibrated(slice(-10, None))
    with pytest.raises(TypeError, match="slice of frame indices"):
        res.blendshapes_calibrated("first second")


def test_save_rrd(tmp_path):
    res = make_results([[0]], recording=b"RRF2 recording")
    assert res.save_rrd(tmp_path / "a.rrd").read_bytes() == b"RRF2 recording"
    assert "recording 0.0 MB" in repr(res)
    with pytest.raises(ValueError, match="no Rerun recording"):
        make_results([[0]]).save_rrd(tmp_path / "b.rrd")
    assert not (tmp_path / "b.rrd").exists()


def test_cached_tables_are_built_once_and_do_not_leak_edits():
    res = make_results([[0], [0]])
    assert res.blendshapes is res.blendshapes and res.landmarks is res.landmarks
    res.blendshapes.loc[:, "jawOpen"] = 9.0  # a user editing the cached table in place …
    res.landmarks[:] = 9.0
    assert res.blendshapes_long()["score"].max() < 1 and res.blendshapes_calibrated()["jawOpen"].abs().max() < 1
    assert res.landmarks_long()["x"].max() < 1  # … does not change what the other views compute


def test_import_facescope_stays_light():
    # pandas alone costs ~0.6 s; Results imports it when a table is first built.
    code = "import sys, facescope; print(sorted(m for m in ('pandas', 'playwright') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert "analyze" in __import__("facescope").__all__ and __import__("facescope").Results is Results
