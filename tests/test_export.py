"""The files facescope writes (`facescope/_export.py`) and reads back (`facescope/_load.py`): exactly
the README's "Files" table, standard formats only, each table in the one shape `Results` holds it."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import facescope
from facescope._codec import decode_results, encode_results
from facescope.results import BLENDSHAPE_NAMES, OUTPUT_FILES, Results
from tests.browser import ROOT
from tests.test_results import landmark_values, make_results

TABLES = {"frames": "frame_info", "blendshapes": "blendshapes", "head_pose": "head_pose", "detections": "detections"}
INDEX = {
    "frames": ["frame_idx"],
    "blendshapes": ["frame_idx", "face_id"],
    "head_pose": ["frame_idx", "face_id"],
    "detections": ["frame_idx", "detection"],
}


def readme_files() -> dict[str, set[str]]:
    """Export name (save, to_parquet, to_csv) → the file names the README's "Files" table gives it."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n### Files\n", 1)[1].split("\n#", 1)[0]
    written: dict[str, set[str]] = {}
    for row in re.findall(r"^\| `.*$", section, flags=re.M):
        cells = [c.strip() for c in row.strip("|").split("|")]
        for export in cells[1].split(","):
            written.setdefault(export.strip(), set()).update(re.findall(r"`([^`]+)`", cells[0]))
    return written


def sample() -> Results:
    """Two faces, listed by the landmarker in the order (1, 0) in frame 0; a frame without a face;
    detections with and without a face; a NaN landmark; real boxes and translations."""
    kp = np.arange(12, dtype=np.float32).reshape(6, 2) / 100
    res = make_results(
        [[1, 0], [], [1]],
        summary={"frames": 3, "facesPerFrame": [2, 0, 1]},
        recording=b"RRF2 bytes",
        detections=[[(0, (1, 2, 3, 4), 0.9, kp), (-1, (5, 6, 7, 8), 0.4, kp + 0.5)], [], [(1, (9, 9, 9, 9), 0.7, kp)]],
    )
    c = dict(res.batch.columns)
    rows = [(0, 1), (0, 0), (2, 1)]
    c["landmarks"] = np.stack([landmark_values(f, i) for f, i in rows])
    c["landmarks"][1, 7, 1] = np.nan  # the landmarker's own NaN is kept, not taken for an absent face
    lm = c["landmarks"].astype(np.float64)
    c["face_box"] = np.concatenate([lm[:, :, :2].min(1), lm[:, :, :2].max(1) - lm[:, :, :2].min(1)], axis=1)
    matrices = np.zeros((3, 16), dtype=np.float32)
    matrices[:, [0, 5, 10, 15]] = 1
    matrices[:, 12:15] = [[1, 2, -30], [3, 4, -40], [5, 6, -50]]  # column-major: the translation is last
    c["matrices"] = matrices
    c["timings_ms"] = np.arange(12, dtype=np.float32).reshape(3, 4)
    return Results(decode_results(encode_results(c)), res.summary, res.recording)


@pytest.fixture
def saved(tmp_path):
    res = sample()
    return res, res.save(tmp_path / "out")


def test_every_export_writes_exactly_the_readme_files(saved, tmp_path):
    res, out = saved
    listed = readme_files()
    assert set(listed) == {"save", "to_parquet", "to_csv"}, listed
    assert {p.name for p in out.iterdir()} == listed["save"] == set(OUTPUT_FILES)
    assert {p.name for p in res.to_parquet(tmp_path / "parquet").iterdir()} == listed["to_parquet"]
    assert {p.name for p in res.to_csv(tmp_path / "csv").iterdir()} == listed["to_csv"]
    # Results without a recording (built by hand) write no empty .rrd.
    bare = make_results([[0]]).save(tmp_path / "bare")
    assert {p.name for p in bare.iterdir()} == listed["save"] - {"recording.rrd"}


def test_tables_read_back_as_the_results_tables(saved):
    res, out = saved
    for stem, attribute in TABLES.items():
        table = getattr(res, attribute)
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{stem}.parquet"), table, check_exact=True)
        names = pq.read_schema(out / f"{stem}.parquet").names  # what polars or DuckDB see
        assert names == [*INDEX[stem], *table.columns], names
    assert list(res.frame_info.columns) == [
        "time",
        "timestamp_us",
        "width",
        "height",
        "face_count",
        "detection_count",
        "decode_ms",
        "detector_ms",
        "landmarker_ms",
        "post_ms",
    ]
    assert res.frame_info["face_count"].tolist() == [2, 0, 1] and res.frame_info.index.name == "frame_idx"
    assert res.frame_info.loc[2, "post_ms"] == 11 and res.frame_info.loc[1, "time"] == 0.04
    np.testing.assert_array_equal(np.load(out / "landmarks.npy"), res.landmarks)
    np.testing.assert_array_equal(np.load(out / "transforms.npy"), res.transforms)
    assert json.loads((out / "summary.json").read_text()) == res.summary
    assert (out / "summary.json").read_text().count("\n") == 4  # one key a line
    assert (out / "recording.rrd").read_bytes() == b"RRF2 bytes"


def test_csv_tables_hold_the_same_values(tmp_path):
    res = sample()
    out = res.to_csv(tmp_path / "csv")
    for stem, attribute in TABLES.items():
        table = getattr(res, attribute)
        text = (out / f"{stem}.csv").read_text()
        assert text.splitlines()[0] == ",".join([*INDEX[stem], *table.columns])  # one header line, index first
        back = pd.read_csv(out / f"{stem}.csv", index_col=INDEX[stem]).astype(table.dtypes.to_dict())
        pd.testing.assert_frame_equal(back, table, check_exact=True, check_index_type=False)
    np.testing.assert_array_equal(np.load(out / "landmarks.npy"), res.landmarks)


def test_transforms_are_row_major_matrices_in_face_slots():
    res = sample()
    assert res.transforms.shape == (3, 2, 4, 4) and res.transforms.dtype == np.float32
    # Face 1 is listed first in frame 0 but has slot 1 (face_ids [0, 1]).
    np.testing.assert_array_equal(res.transforms[0, 1, :3, 3], [1, 2, -30])
    np.testing.assert_array_equal(res.transforms[0, 0, :3, 3], [3, 4, -40])
    np.testing.assert_array_equal(res.transforms[0, 0, 3], [0, 0, 0, 1])
    assert np.isnan(res.transforms[1]).all() and np.isnan(res.transforms[2, 0]).all()


def test_load_gives_back_what_was_saved(saved):
    res, out = saved
    back = facescope.load(out)
    assert back.frames == res.frames and back.face_ids == res.face_ids
    assert back.summary == res.summary and back.recording == res.recording
    for attribute in [*TABLES.values(), "head_pose"]:
        pd.testing.assert_frame_equal(getattr(back, attribute), getattr(res, attribute), check_exact=True)
    pd.testing.assert_frame_equal(back.landmarks_long(pixels=True), res.landmarks_long(pixels=True), check_exact=True)
    pd.testing.assert_frame_equal(back.blendshapes_long(), res.blendshapes_long(), check_exact=True)
    np.testing.assert_array_equal(back.landmarks, res.landmarks)
    np.testing.assert_array_equal(back.transforms, res.transforms)
    # The columns themselves: a frame's faces in face-id order, face_box recomputed from the landmarks.
    order = [1, 0, 2]
    for name, column in res.batch.columns.items():
        got = back.batch.columns[name]
        want = (
            column[order]
            if name in ("face_id", "landmarks", "blendshapes", "matrices", "head_pose_deg", "face_box")
            else column
        )
        assert got.dtype == want.dtype and got.shape == want.shape, name
        if name == "face_box":
            np.testing.assert_allclose(got, want, rtol=1e-6)
            assert np.isnan(got[0]).any() and not np.isnan(got[1:]).any()  # the NaN landmark's box, as pack.ts gives it
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)
    assert repr(back) == repr(res)


def test_load_reads_the_previous_format_with_a_deprecation_warning(tmp_path):
    res = sample()
    (tmp_path / "results.fscr").write_bytes(encode_results(res.batch.columns))
    (tmp_path / "summary.json").write_text(json.dumps(res.summary))
    with pytest.warns(DeprecationWarning, match="results.fscr is facescope 0.1.0's own format"):
        back = Results.load(tmp_path)
    pd.testing.assert_frame_equal(back.blendshapes, res.blendshapes)
    assert back.summary == res.summary and back.recording == b""


def test_load_refuses_a_folder_without_results_or_with_mismatched_files(saved, tmp_path):
    with pytest.raises(FileNotFoundError, match="holds no frames.parquet"):
        Results.load(tmp_path)
    res, out = saved
    np.save(out / "landmarks.npy", res.landmarks[:2])
    with pytest.raises(ValueError, match=r"landmarks.npy \(2, 2, 478, 3\).*3 frames × 2 faces"):
        Results.load(out)
    res.save(out)
    res.frame_info.assign(face_count=[1, 1, 1]).to_parquet(out / "frames.parquet")
    with pytest.raises(ValueError, match="disagree with frames.parquet's face_count"):
        Results.load(out)


def test_the_blendshape_columns_are_mediapipes(saved):
    _, out = saved
    flat = pq.read_table(out / "blendshapes.parquet").to_pandas(ignore_metadata=True)
    assert list(flat.columns) == ["frame_idx", "face_id", "time", *BLENDSHAPE_NAMES]
    assert flat[["frame_idx", "face_id"]].values.tolist() == [[0, 0], [0, 1], [2, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new layout loads without the deprecation path
        facescope.load(out)


@pytest.mark.parametrize("faces", [[], [[], [], []]], ids=["no-frames", "frames-without-faces"])
def test_results_without_faces_round_trip(tmp_path, faces):
    res = make_results(faces)
    back = Results.load(res.save(tmp_path / "out"))
    assert back.frames == len(faces) and back.face_ids == [] and back.landmarks.shape == (len(faces), 0, 478, 3)
    for attribute in TABLES.values():
        pd.testing.assert_frame_equal(getattr(back, attribute), getattr(res, attribute), check_exact=True)
