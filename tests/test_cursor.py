"""The viewer's cursor in Python: traits set from the views' messages, seek/play/pause sent to them."""

from __future__ import annotations

import pytest

from facescope import FaceScope
from facescope._codec import decode_results
from facescope.results import Results
from tests.test_sync import results_message


def shown(frames: int = 50) -> tuple[FaceScope, list[dict]]:
    """A widget holding `frames` frames (25 fps, one face) whose messages to the views are recorded."""
    scope = FaceScope()
    sent: list[dict] = []
    scope.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    scope.show(Results(decode_results(results_message("r", 0, 0, frames))))
    return scope, sent


def from_view(scope: FaceScope, content: dict) -> None:
    scope._on_front_end_message(scope, content, [])


def test_the_viewers_cursor_sets_time_and_frame_on_either_timeline_and_observers_hear_it():
    scope, _ = shown()
    heard = []
    scope.observe(lambda change: heard.append(change["new"]), names="frame_idx")
    from_view(scope, {"type": "cursor", "timeline": "time", "time": 1_010_000_000, "playing": False})
    assert (scope.time, scope.frame_idx) == (pytest.approx(1.01), 25)  # frame 25 starts at 1.00 s
    from_view(scope, {"type": "cursor", "timeline": "frame_idx", "time": 30, "playing": True})
    assert (scope.time, scope.frame_idx) == (pytest.approx(1.2), 30)
    assert scope.cursor == {
        "timeline": "frame_idx",
        "time": 30,
        "seconds": pytest.approx(1.2),
        "frame_idx": 30,
        "playing": True,
    }
    assert heard == [25, 30]


def test_a_malformed_cursor_changes_nothing():
    scope, _ = shown()
    from_view(scope, {"type": "cursor", "timeline": "time", "time": "soon"})
    from_view(scope, {"type": "cursor", "timeline": "time", "time": float("nan")})
    assert (scope.time, scope.frame_idx) == (0.0, 0)


def test_selection_names_the_entity_and_its_face():
    scope, _ = shown()
    items = [
        {"type": "entity", "entity_path": "/blendshapes/1/jawOpen"},
        {"type": "entity", "entity_path": "/video/landmarker/faces/0/landmarks", "instance_id": 33},
        {"type": "entity", "entity_path": "/video"},
        {"type": "view", "view_id": "x", "view_name": "Video"},
    ]
    from_view(scope, {"type": "selection", "items": items})
    assert scope.selection == [
        {"entity_path": "/blendshapes/1/jawOpen", "face_id": 1},
        {"entity_path": "/video/landmarker/faces/0/landmarks", "face_id": 0, "instance_id": 33},
        {"entity_path": "/video", "face_id": None},
        {"view": "Video"},
    ]


def test_at_cursor_gives_the_blendshapes_and_head_pose_of_the_cursors_frame():
    scope, _ = shown()
    from_view(scope, {"type": "cursor", "timeline": "frame_idx", "time": 12, "playing": False})
    row = scope.at_cursor()
    assert list(row.index) == [0]
    assert row.loc[0, "jawOpen"] == pytest.approx(0.012)  # results_message: every score is frame / 1000
    assert {"yaw", "pitch", "roll", "time"} <= set(row.columns)


def test_seek_play_and_pause_go_to_the_views_in_the_viewers_units():
    scope, sent = shown()
    sent.clear()
    scope.seek(2.5)
    scope.seek(frame_idx=7)
    scope.play()
    scope.pause()
    assert sent == [
        {"type": "seek", "timeline": "time", "time": 2_500_000_000},
        {"type": "seek", "timeline": "frame_idx", "time": 7},
        {"type": "playing", "playing": True},
        {"type": "playing", "playing": False},
    ]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({}, TypeError, "seconds or frame_idx"),
        ({"seconds": 1, "frame_idx": 2}, TypeError, "seconds or frame_idx"),
        ({"seconds": -1}, ValueError, "at least 0"),
        ({"seconds": float("inf")}, ValueError, "finite"),
        ({"frame_idx": 1.5}, ValueError, "integer"),
        ({"frame_idx": True}, ValueError, "integer"),
    ],
)
def test_a_bad_seek_is_refused_before_anything_is_sent(kwargs, error, match):
    scope, sent = shown()
    sent.clear()
    with pytest.raises(error, match=match):
        scope.seek(**kwargs)
    assert sent == []


def test_a_raw_cursor_set_as_state_by_the_view_is_completed_in_the_kernel():
    scope, _ = shown()
    scope.set_state({"cursor": {"timeline": "frame_idx", "time": 30, "playing": False}})
    assert (scope.frame_idx, scope.cursor["seconds"]) == (30, pytest.approx(1.2))
