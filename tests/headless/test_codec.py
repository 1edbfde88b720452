"""The results codec across languages: messages encoded in TypeScript, decoded by the Python twin."""

from __future__ import annotations

import numpy as np
import pytest

from facescope._codec import (
    COLUMN_SPECS,
    CodecError,
    ResultBatch,
    concat_batches,
    decode_results,
    encode_results,
    read_header,
)
from facescope.results import BLENDSHAPE_NAMES, Results
from tests.headless.conftest import typescript_messages


@pytest.fixture(scope="module")
def fixture(tmp_path_factory) -> tuple[list[bytes], dict]:
    return typescript_messages(tmp_path_factory.mktemp("codec"))


def test_column_table_and_category_names_match_typescript(fixture):
    _, expected = fixture
    assert [[s.name, s.dtype, s.rows, list(s.inner)] for s in COLUMN_SPECS] == [
        [c["name"], c["dtype"], c["rows"], c["inner"]] for c in expected["columnSpecs"]
    ]
    assert list(BLENDSHAPE_NAMES) == expected["blendshapeNames"]


def test_typescript_messages_decode_to_the_same_values(fixture):
    messages, expected = fixture
    assert len(messages) > 1  # the fixture splits, so reassembly is exercised
    for seq, m in enumerate(messages):
        assert read_header(m)["extra"] == {"seq": seq}
    batch = concat_batches(decode_results(m) for m in reversed(messages))  # arrival order must not matter
    frames = expected["frames"]
    c = batch.columns
    assert c["frame_idx"].tolist() == [f["index"] for f in frames]
    assert c["timestamp_us"].tolist() == [f["timestampUs"] for f in frames]
    assert c["face_count"].tolist() == [len(f["faceIds"]) for f in frames]
    assert c["face_id"].tolist() == [i for f in frames for i in f["faceIds"]]
    assert c["detection_face_id"].tolist() == [i for f in frames for i in f["detectionFaceIds"]]
    want_lm = np.array([np.nan if v is None else v for f in frames for v in f["landmarks"]], dtype=np.float32)
    np.testing.assert_array_equal(c["landmarks"].reshape(-1), want_lm)  # NaN == NaN here
    assert np.isnan(c["landmarks"][0, 1, 1])
    np.testing.assert_array_equal(
        c["blendshapes"].reshape(-1), np.float32([v for f in frames for v in f["blendshapes"]])
    )
    np.testing.assert_array_equal(
        c["head_pose_deg"].reshape(-1), np.float32([v for f in frames for v in f["headPose"]])
    )
    np.testing.assert_array_equal(c["matrices"].reshape(-1), np.float32([v for f in frames for v in f["matrices"]]))
    np.testing.assert_array_equal(
        c["detection_box_px"].reshape(-1), np.float32([v for f in frames for v in f["detectionBoxes"]])
    )


def test_decoding_views_the_bytes_without_copying(fixture):
    messages, _ = fixture
    batch = decode_results(messages[0])
    for name, arr in batch.columns.items():
        assert not arr.flags.owndata and not arr.flags.writeable, name
        assert arr.ctypes.data % 4 == 0, name  # aligned: numpy and typed arrays read in place


def test_shapes_people_use(fixture):
    messages, expected = fixture
    batch = concat_batches(decode_results(m) for m in messages)
    res = Results(batch)
    lm = res.landmarks
    assert res.face_ids == [3, 7]
    assert lm.shape == (40, 2, 478, 3) and lm.dtype == np.float32
    assert np.isnan(lm[0]).all()  # no face in frame 0
    assert np.isfinite(lm[1, 0, 2:]).all() and np.isnan(lm[1, 1]).all()  # one face (id 3) in frame 1
    np.testing.assert_array_equal(lm[2, 1], batch.columns["landmarks"][2])  # face 7's row of frame 2
    table = res.blendshapes
    assert list(table.columns) == ["time", *BLENDSHAPE_NAMES] and table.index.names == ["frame_idx", "face_id"]
    assert len(table) == sum(len(f["faceIds"]) for f in expected["frames"])
    assert table.index.tolist()[:3] == [(1, 3), (2, 3), (2, 7)]
    assert table["time"].iloc[0] == pytest.approx((33_333 + 0.25) / 1e6)


def test_duplicates_and_overlaps_are_kept_once(fixture):
    messages, _ = fixture
    batches = [decode_results(m) for m in messages]
    once = concat_batches(batches)
    twice = concat_batches(batches + batches[1:3])
    for name in once.columns:
        np.testing.assert_array_equal(once.columns[name], twice.columns[name])
    # A message overlapping the end of another (a resend after a partial loss) adds its new frames only.
    last, prev = batches[-1], batches[-2]
    overlap = ResultBatch({n: np.concatenate([prev.columns[n], last.columns[n]]) for n in last.columns})
    merged = concat_batches(batches[:-2] + [prev, overlap])
    assert merged.columns["frame_idx"].tolist() == list(range(40))
    assert merged.faces == once.faces


def test_python_encoding_round_trips_and_bad_bytes_are_refused(fixture):
    messages, _ = fixture
    batch = decode_results(messages[1])
    again = decode_results(encode_results(batch.columns, {"seq": 1}))
    for name in batch.columns:
        np.testing.assert_array_equal(again.columns[name], batch.columns[name])
    assert encode_results(batch.columns, {"seq": 1}) == messages[1]  # byte-identical to TypeScript's
    with pytest.raises(CodecError, match="magic"):
        decode_results(b"PK\x03\x04" + bytes(40))
    with pytest.raises(CodecError, match="truncated"):
        decode_results(messages[1][:-64])
    future = bytearray(messages[1])
    future[4] = 9
    with pytest.raises(CodecError, match="version 9"):
        decode_results(bytes(future))
