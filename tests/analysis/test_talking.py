"""a_talking_grid_s1_bbaf2n.mp4 through mp4box + WebCodecs + the MediaPipe worker, in real Chromium."""

from __future__ import annotations

import json
import statistics

import numpy as np

from tests.browser import artifact


def test_talking_clip_every_frame_one_face_and_a_blink(analysis_page):
    out = analysis_page.run("media/a_talking_grid_s1_bbaf2n.mp4", withBlendshapes=True)
    assert out["ok"], out.get("error")
    frames = out["frames"]
    medians = {k: statistics.median(f["timings"][k] for f in frames) for k in frames[0]["timings"]}
    artifact("analysis_talking_summary.json").write_text(
        json.dumps(
            {
                **{k: out[k] for k in ("source", "summary", "initMs", "blockedRequests", "maxStallMs")},
                "medianMs": medians,
            },
            indent=1,
        )
    )
    assert out["source"]["kind"] == "mp4" and out["source"]["codec"].startswith("avc1")
    assert len(frames) == 75
    assert [f["index"] for f in frames] == list(range(75))
    # Exact presentation times: 25 fps from 0 (the edit list's two-frame B-frame delay removed).
    assert [f["timestampUs"] for f in frames] == [i * 40_000 for i in range(75)]
    assert all(len(f["faces"]) == 1 for f in frames), [len(f["faces"]) for f in frames]
    for f in frames:
        face = f["faces"][0]
        assert face["landmarkValues"] == 478 * 3 and face["landmarksFinite"]
        assert face["blendshapeValues"] == 52
        assert (f["width"], f["height"]) == (360, 288)
    # One person, one id for the whole clip.
    assert {f["faces"][0]["id"] for f in frames} == {0}
    blink = [f for f in frames if f["faces"][0]["eyeBlinkLeft"] > 0.5 and f["faces"][0]["eyeBlinkRight"] > 0.5]
    assert blink, max(f["faces"][0]["eyeBlinkLeft"] for f in frames)
    # ...and a blink is an event, not the resting state.
    open_eyes = [f for f in frames if f["faces"][0]["eyeBlinkLeft"] < 0.3]
    assert len(open_eyes) > len(frames) // 2
    # The detector sees the same face and its box is linked to the landmark id.
    assert sum(f["detections"]["count"] >= 1 for f in frames) >= 70
    assert all(f["detections"]["keypointValues"] == 12 * f["detections"]["count"] for f in frames)
    assert sum(0 in f["detections"]["faceIds"] for f in frames) >= 70


def test_talking_clip_pose_matrix_layout_and_responsiveness(analysis_page):
    out = analysis_page.run("media/a_talking_grid_s1_bbaf2n.mp4", maxFrame=25)
    assert out["ok"], out.get("error")
    assert len(out["frames"]) == 25
    m = np.array([f["faces"][0]["matrix"] for f in out["frames"]])
    # Column-major 4×4: bottom row (indices 3, 7, 11, 15) is 0 0 0 1, translation in 12..14 with
    # the face in front of the camera (negative z in MediaPipe's OpenGL-style metric space).
    assert np.allclose(m[:, [3, 7, 11]], 0, atol=1e-4) and np.allclose(m[:, 15], 1, atol=1e-4)
    assert (m[:, 14] < -10).all(), m[:, 14]
    pose = np.array([f["faces"][0]["headPose"] for f in out["frames"]])
    # A frontal newsreader-style speaker: all angles small (a wrong decomposition gives ~180°).
    assert (np.abs(pose) < 25).all(), pose
    # Inference runs in the worker: the page's main thread is never blocked for long.
    assert out["maxStallMs"] < 250, out["maxStallMs"]


def test_no_request_leaves_the_page_and_telemetry_is_blocked(analysis_page):
    out = analysis_page.run("media/a_talking_grid_s1_bbaf2n.mp4", maxFrame=10)
    assert out["ok"], out.get("error")
    assert analysis_page.requests, "request recording is not working"
    assert analysis_page.foreign_requests() == []
    # The guard is not vacuous: MediaPipe did try to send its usage log, and it was refused.
    assert any("odml.pa.googleapis.com" in u for u in out["blockedRequests"]), out["blockedRequests"]
