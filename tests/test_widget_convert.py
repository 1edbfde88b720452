"""FaceScope(path) with a clip the browser cannot read: the kernel converts it (real ffmpeg-made FLV,
real PyAV) and offers the MP4 under a name that says so; the summary gets the plain name back and
``converted_from``. (The browser side of a converted clip is the headless path's: test_convert.)"""

from __future__ import annotations

from facescope import FaceScope
from tests.headless.odd_formats import build
from tests.test_widget import _sent


def test_a_path_the_browser_cannot_read_is_converted_and_said(tmp_path):
    flv = build(tmp_path, ("spark.flv",))["spark.flv"]
    scope = FaceScope()
    sent = _sent(scope)
    scope.analyze(flv)
    scope._handle_custom_msg({"type": "clip-request", "view": "v1"}, [])
    chunks = [(c, b) for c, b in sent if c["type"] == "clip"]
    assert {c["name"] for c, _ in chunks} == {"spark.flv (converted from FLV/flv1)"}
    data = b"".join(bytes(b[0]) for _, b in chunks)
    assert data[4:8] == b"ftyp" and data != flv.read_bytes()  # an MP4, not the FLV
    scope._handle_custom_msg({"type": "hello", "view": "v1", "shows": None}, [])
    name = "spark.flv (converted from FLV/flv1)"
    scope._handle_custom_msg({"type": "run-start", "run": "r1", "view": "v1", "fileName": name, "serial": 1}, [])
    summary = {"fileName": name, "frames": 0, "fps": 0.0}
    scope._handle_custom_msg(
        {"type": "run-end", "run": "r1", "parts": 0, "summary": summary, "error": None, "cancelled": False}, []
    )
    assert scope.summary["file_name"] == "spark.flv"
    assert scope.summary["converted_from"] == "FLV/flv1"
    assert scope.results.summary["converted_from"] == "FLV/flv1"
