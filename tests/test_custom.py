"""log_series / log_events: what is packed for the viewer, and every mistake refused before sending."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from facescope._codec import COLUMN_SPECS, decode_custom, decode_results, encode_results, splice_rrd
from facescope._custom import CustomDataError, pack_events, pack_series
from facescope.results import Results
from tests.browser import run_coroutine


def two_faces(frames: int = 20) -> Results:
    """`frames` frames at 25 fps (40 ms), faces 0 and 3 in each."""
    n = {"frame": frames, "face": 2 * frames, "detection": 0}
    cols = {s.name: np.zeros((n[s.rows], *s.inner), dtype=s.dtype) for s in COLUMN_SPECS}
    cols["frame_idx"][:] = np.arange(frames)
    cols["timestamp_us"][:] = np.arange(frames) * 40_000
    cols["face_count"][:] = 2
    cols["face_id"][:] = np.tile([0, 3], frames)
    return Results(decode_results(encode_results(cols)))


RES = two_faces()


def test_a_series_by_frame_idx_keeps_its_frames_times_and_values():
    values = pd.Series([0.1, np.nan, 0.3], index=pd.Index([2, 5, 9], name="frame_idx"))
    header, cols = decode_custom(pack_series("smile", values, RES))
    assert (header["kind"], header["name"], header["series"]) == ("series", "smile", [""])
    assert cols["frame_idx"].tolist() == [2, 5, 9]
    assert cols["time"].tolist() == pytest.approx([0.08, 0.2, 0.36])
    assert cols["values"][:, 0].tolist() == pytest.approx([0.1, np.nan, 0.3], nan_ok=True)


def test_a_series_by_time_lands_on_the_frame_shown_then():
    values = pd.Series([1.0, 2.0], index=pd.Index([0.0, 0.45], name="time"))
    _, cols = decode_custom(pack_series("x", values, RES))
    assert cols["frame_idx"].tolist() == [0, 11]  # frame 11 starts at 0.44 s
    assert cols["time"].tolist() == [0.0, 0.45]


def test_a_dataframe_gives_one_series_per_column_and_a_face_id_level_one_per_face():
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=pd.Index([0, 1], name="frame_idx"))
    header, cols = decode_custom(pack_series("pair", frame, RES))
    assert header["series"] == ["a", "b"]
    assert cols["values"].tolist() == [[1.0, 3.0], [2.0, 4.0]]
    per_face = RES.blendshapes[["jawOpen"]].iloc[:6] + 0.5
    header, cols = decode_custom(pack_series("jaw", per_face, RES))
    assert header["series"] == ["0/jawOpen", "3/jawOpen"]
    assert cols["frame_idx"].tolist() == [0, 1, 2]
    smile = RES.blendshapes["mouthSmileLeft"].iloc[:4] + 1
    header, _ = decode_custom(pack_series("smile", smile, RES))
    assert header["series"] == ["0", "3"]


@pytest.mark.parametrize(
    "name, values, match",
    [
        ("s", pd.Series([1.0, 2.0]), "index the values by frame_idx or time"),
        ("s", pd.Series([1.0], index=pd.Index([1], name="frame")), "got an index named 'frame'"),
        ("s", [1.0, 2.0], "must be a pandas Series or DataFrame"),
        ("s", pd.Series([np.nan, np.nan], index=pd.Index([0, 1], name="frame_idx")), "every value is NaN"),
        ("s", pd.Series([1.0], index=pd.Index([99], name="frame_idx")), "frame_idx 99 was not analysed"),
        ("s", pd.Series([1.0], index=pd.Index([1.5], name="frame_idx")), "whole numbers"),
        ("s", pd.Series([1.0], index=pd.Index([9.0], name="time")), "time 9 s is outside the clip"),
        ("s", pd.Series([1.0, 2.0], index=pd.Index([1, 1], name="frame_idx")), "repeats frame_idx"),
        (
            "s",
            pd.Series(np.ones(21), index=pd.Index(np.linspace(0, 0.7, 21), name="time")),
            "21 rows, but the clip has only 20",
        ),
        (
            "s",
            pd.Series([1.0], index=pd.MultiIndex.from_tuples([(0, 7)], names=["frame_idx", "face_id"])),
            r"face_id \[7\] not in the analysis \(its faces: \[0, 3\]\)",
        ),
        ("s", pd.Series(["a"], index=pd.Index([0], name="frame_idx")), "is not numeric"),
        ("blendshapes", pd.Series([1.0], index=pd.Index([0], name="frame_idx")), "one of the recording's own entities"),
        ("video/mine", pd.Series([1.0], index=pd.Index([0], name="frame_idx")), "one of the recording's own entities"),
        ("a b", pd.Series([1.0], index=pd.Index([0], name="frame_idx")), "a name is letters"),
        ("", pd.Series([1.0], index=pd.Index([0], name="frame_idx")), "non-empty str"),
    ],
)
def test_bad_series_are_refused_with_a_reason(name, values, match):
    with pytest.raises(CustomDataError, match=match):
        pack_series(name, values, RES)


def test_nothing_analysed_yet_is_refused():
    empty = two_faces(0)
    with pytest.raises(CustomDataError, match="nothing analysed yet"):
        pack_series("s", pd.Series([1.0], index=pd.Index([0], name="frame_idx")), empty)


def test_events_land_on_their_frames_with_their_labels():
    events = pd.DataFrame({"start": [0.1, 0.5], "end": [0.3, 0.6], "label": ["smile", "big smile"]})
    header, cols = decode_custom(pack_events("episodes", events, RES))
    assert header["labels"] == ["smile", "big smile"]
    assert cols["start_frame"].tolist() == [2, 12]
    assert cols["end_frame"].tolist() == [7, 15]


@pytest.mark.parametrize(
    "events, match",
    [
        (pd.DataFrame({"start": [0.1], "label": ["x"]}), "missing"),
        (pd.DataFrame({"start": [0.3], "end": [0.1], "label": ["x"]}), "ends .* before it starts"),
        (pd.DataFrame({"start": [0.1], "end": [50.0], "label": ["x"]}), "outside the clip"),
        (pd.DataFrame({"start": [np.nan], "end": [0.1], "label": ["x"]}), "not NaN"),
        (pd.DataFrame({"start": [], "end": [], "label": []}), "no events"),
    ],
)
def test_bad_events_are_refused_with_a_reason(events, match):
    with pytest.raises(CustomDataError, match=match):
        pack_events("ev", events, RES)


def test_splicing_puts_messages_before_the_end_message_and_moves_the_footer():
    import struct

    body = b"F" * 10
    end_message = struct.pack("<QQ", 0, len(body)) + body  # a 16-byte message header, then the footer body
    head = b"RRF2" + b"\0" * 8 + b"M" * 20
    footer = struct.pack("<QQI4s4sI", len(head) + 16, len(body), 123, b"RRF2", b"FOOT", 1)
    spliced = splice_rrd(head + end_message + footer, [b"XYZ", b"W"])
    assert spliced[: len(head)] == head
    assert spliced[len(head) : len(head) + 4] == b"XYZW"
    at, length, crc, *_ = struct.unpack_from("<QQI4s4sI", spliced, len(spliced) - 32)
    assert (spliced[at : at + length], crc) == (body, 123)
    assert splice_rrd(b"RRF2abc", [b"X"]) == b"RRF2abcX"  # no footer yet: appended


def shown_scope():
    from facescope import FaceScope
    from tests.test_sync import results_message

    scope = FaceScope()
    sent: list[tuple[dict, list]] = []
    scope.send = lambda content, buffers=None: sent.append((content, list(buffers or [])))  # type: ignore[method-assign]
    recording = b"RRF2" + b"\0" * 8 + b"seed"
    scope.show(Results(decode_results(results_message("r", 0, 0, 10)), None, recording))
    return scope, sent, recording


def test_log_series_sends_packed_columns_and_keeps_what_a_view_wrote_back_in_the_recording():
    scope, sent, recording = shown_scope()
    scope.log_series("smile", pd.Series([0.5, 0.7], index=pd.Index([1, 2], name="frame_idx")))
    (message, buffers), *_ = [s for s in sent if s[0]["type"] == "custom-log"]
    assert (message["name"], decode_custom(buffers[0])[0]["series"]) == ("smile", [""])
    stale = {"type": "custom-rrd", "name": "smile", "id": message["id"] + 1}
    scope._on_front_end_message(scope, stale, [b"OLD"])
    assert scope.results.recording == recording
    scope._on_front_end_message(scope, {"type": "custom-rrd", "name": "smile", "id": message["id"]}, [b"NEW"])
    assert scope.results.recording == recording + b"NEW"  # no footer yet: appended
    scope.clear_custom("smile")
    assert sent[-1][0] == {"type": "custom-clear", "name": "smile"}
    assert scope.results.recording == recording


def test_custom_written_waits_for_a_view_and_reports_its_error():
    scope, sent, _ = shown_scope()
    scope.log_events(pd.DataFrame({"start": [0.0], "end": [0.1], "label": ["x"]}))
    with pytest.raises(TimeoutError, match="no view wrote"):
        run_coroutine(scope.custom_written(timeout=0.1))
    ident = sent[-1][0]["id"]
    scope._on_front_end_message(scope, {"type": "custom-rrd", "name": "events", "id": ident, "error": "boom"}, [])
    with pytest.raises(CustomDataError, match="events: boom"):
        run_coroutine(scope.custom_written(timeout=0.1))


def test_a_bad_series_sends_nothing():
    scope, sent, _ = shown_scope()
    sent.clear()
    with pytest.raises(CustomDataError):
        scope.log_series("smile", pd.Series([np.nan], index=pd.Index([1], name="frame_idx")))
    assert sent == []


def test_a_view_closes_the_joined_file_with_a_footer_listing_the_custom_chunks_too():
    import struct

    from facescope import FaceScope
    from facescope._limits import TO_KERNEL_MESSAGE_BYTES
    from tests.test_sync import results_message

    body = b"F" * 10
    head = b"RRF2" + b"\0" * 8 + b"M" * 20
    finished = head + struct.pack("<QQ", 0, len(body)) + body
    finished += struct.pack("<QQI4s4sI", len(head) + 16, len(body), 0, b"RRF2", b"FOOT", 1)
    scope = FaceScope()
    sent: list[tuple[dict, list]] = []
    scope.send = lambda content, buffers=None: sent.append((content, list(buffers or [])))  # type: ignore[method-assign]
    scope.show(Results(decode_results(results_message("r", 0, 0, 10)), None, finished))
    scope.log_series("smile", pd.Series([0.5], index=pd.Index([1], name="frame_idx")))
    ident = sent[-1][0]["id"]
    scope._on_front_end_message(scope, {"type": "custom-rrd", "name": "smile", "id": ident}, [b"NEW"])
    asked, buffers = sent[-1]
    assert asked["type"] == "custom-file" and b"".join(bytes(b) for b in buffers) == head + b"NEW"
    with pytest.raises(TimeoutError, match="footer"):  # custom_written waits for the footer too
        run_coroutine(scope.custom_written(timeout=0.1))
    assert scope.results.recording == splice_rrd(finished, [b"NEW"])  # meanwhile: before the old footer
    scope._on_front_end_message(scope, {"type": "custom-tail", "version": asked["version"] - 1}, [b"STALE"])
    huge = {"type": "custom-tail", "version": asked["version"]}
    scope._on_front_end_message(scope, huge, [b"\0" * (TO_KERNEL_MESSAGE_BYTES + 1)])
    assert "larger than a message" in scope._sync.refused[-1]
    scope._on_front_end_message(scope, {"type": "custom-tail", "version": asked["version"]}, [b"TAIL"])
    scope._on_front_end_message(scope, {"type": "custom-tail", "version": asked["version"]}, [b"LATE"])  # another view
    run_coroutine(scope.custom_written(timeout=0.1))
    assert scope.results.recording == head + b"NEW" + b"TAIL"
    scope.clear_custom("smile")  # nothing custom left: the analysis's own file, no question asked
    assert scope.results.recording == finished and sent[-1][0]["type"] == "custom-clear"


def test_a_footer_the_view_could_not_build_is_reported():
    import struct

    from facescope._custom import CustomStore

    store = CustomStore()
    store.written({"name": "a", "id": store.sent("a")}, [b"A"])
    recording = b"RRF2" + b"\0" * 8 + b"\0" * 16 + struct.pack("<QQI4s4sI", 28, 0, 0, b"RRF2", b"FOOT", 1)
    assert store.ask_tail(recording) is not None and store.waiting
    assert not store.tail_written({"version": store.version, "error": "truncated"}, [], 0)
    assert not store.waiting and store.tail_error == "truncated"
    assert store.splice(b"RRF2 no footer") == b"RRF2 no footerA"
