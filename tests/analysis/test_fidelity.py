"""Fidelity against Python: the browser's FaceLandmarker (tasks-vision, in our worker pipeline) and
PyPI `mediapipe`'s, same .task, same frames and timestamps, on a_talking_grid_4speakers.mp4.

Two comparisons, because two things can differ:
- identical pixels: the page converts each decoded frame to RGBA (Chromium's YUV → RGB), analyses
  that, and hands Python the very same bytes. What is left is inference alone: it must be exact
  up to float noise.
- each side decoding natively: the browser analyses WebCodecs VideoFrames as in production, Python
  decodes with FFmpeg (PyAV). This is the end-to-end check the issue asks for; the decoders' pixel
  difference is measured separately and printed.
Every measured number is printed (pytest -s shows them) and saved as a test artifact.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from tests.browser import MEDIA, MODEL, artifact

CLIP = "a_talking_grid_4speakers.mp4"
FRAMES = 300
# The issue's thresholds.
BS_MEDIAN, BS_P95, LM_MEDIAN_PX = 0.02, 0.05, 1.0

pytest.importorskip("mediapipe")
pytest.importorskip("av")
from tests.analysis.python_mediapipe import decode_rgb, run_landmarker  # noqa: E402


def browser_faces(out: dict) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    return [
        [
            (np.array(f["landmarks"], dtype=np.float64).reshape(478, 3), np.array(f["blendshapes"], dtype=np.float64))
            for f in frame["faces"]
        ]
        for frame in out["frames"]
    ]


def compare(a, b, width: int, height: int) -> dict:
    """Per-face deltas between two runs that found the same number of faces in every frame.

    Blendshapes: |Δ| over every (frame, category) pair, and per frame the mean and max |Δ|.
    Landmarks: the image-plane distance in pixels of each of the 478 points.
    """
    counts_a, counts_b = [len(f) for f in a], [len(f) for f in b]
    assert counts_a == counts_b, (
        f"face counts differ in {sum(x != y for x, y in zip(counts_a, counts_b, strict=False))} frames"
    )
    bs, lm = [], []
    for fa, fb in zip(a, b, strict=True):
        # One face per frame on this clip; with more, pair faces by nearest landmark centroid.
        for (la, ba), (lb, bb) in zip(fa, fb, strict=True):
            bs.append(np.abs(ba - bb))
            lm.append(np.hypot((la[:, 0] - lb[:, 0]) * width, (la[:, 1] - lb[:, 1]) * height))
    bs_all, lm_all = np.array(bs), np.array(lm)
    assert np.isfinite(bs_all).all() and np.isfinite(lm_all).all()
    per_frame_mean, per_frame_max = bs_all.mean(axis=1), bs_all.max(axis=1)
    return {
        "faces": len(bs),
        "bs_median": float(np.median(bs_all)),
        "bs_p95": float(np.percentile(bs_all, 95)),
        "bs_max": float(bs_all.max()),
        "bs_frame_mean_median": float(np.median(per_frame_mean)),
        "bs_frame_mean_p95": float(np.percentile(per_frame_mean, 95)),
        "bs_frame_max_median": float(np.median(per_frame_max)),
        "bs_frame_max_p95": float(np.percentile(per_frame_max, 95)),
        "lm_median_px": float(np.median(lm_all)),
        "lm_p95_px": float(np.percentile(lm_all, 95)),
        "lm_max_px": float(lm_all.max()),
    }


def fmt(name: str, d: dict) -> str:
    return (
        f"{name}: {d['faces']} faces; blendshapes |Δ| median {d['bs_median']:.5f} p95 {d['bs_p95']:.5f} "
        f"max {d['bs_max']:.4f} (per-frame mean: median {d['bs_frame_mean_median']:.5f} p95 {d['bs_frame_mean_p95']:.5f}; "
        f"per-frame max: median {d['bs_frame_max_median']:.4f} p95 {d['bs_frame_max_p95']:.4f}); "
        f"landmarks median {d['lm_median_px']:.3f} px p95 {d['lm_p95_px']:.3f} px max {d['lm_max_px']:.2f} px"
    )


def assert_within_issue_thresholds(d: dict) -> None:
    assert d["bs_median"] <= BS_MEDIAN and d["bs_frame_mean_median"] <= BS_MEDIAN, d
    assert d["bs_p95"] <= BS_P95 and d["bs_frame_mean_p95"] <= BS_P95, d
    assert d["lm_median_px"] <= LM_MEDIAN_PX, d


@pytest.fixture(scope="module")
def runs(browser, base_url):
    """Both browser runs (RGBA export and native VideoFrames) and the frames the page exported."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url[0] + "harness/analysis.html")
    page.wait_for_function("window.facescopeAnalysis && window.facescopeAnalysis.ready")
    page.set_default_timeout(600_000)
    exported: dict[int, tuple[np.ndarray, int]] = {}

    def receive(route):
        url = urlparse(route.request.url)
        q = {k: int(v[0]) for k, v in parse_qs(url.query).items()}
        data = np.frombuffer(route.request.post_data_buffer, dtype=np.uint8)
        exported[int(url.path.rsplit("/", 1)[1])] = (data.reshape(q["h"], q["w"], 4), q["t"])
        route.fulfill(status=200, body="ok")

    page.route("**/fidelity-export/**", receive)
    req = {
        "clipUrl": base_url[0] + "media/" + CLIP,
        "modelUrl": base_url[0] + "models/" + MODEL.name,
        "withBlendshapes": True,
        "withLandmarks": True,
    }
    rgba_run = page.evaluate(
        "req => window.facescopeAnalysis.run(req)", {**req, "exportRgbaUrl": base_url[0] + "fidelity-export/"}
    )
    native_run = page.evaluate("req => window.facescopeAnalysis.run(req)", req)
    context.close()
    for out in (rgba_run, native_run):
        assert out["ok"], out.get("error")
        assert len(out["frames"]) == FRAMES
    assert sorted(exported) == list(range(FRAMES))
    return rgba_run, native_run, [exported[i] for i in range(FRAMES)]


def test_inference_matches_python_on_identical_pixels(runs):
    rgba_run, native_run, exported = runs
    w, h = rgba_run["source"]["width"], rgba_run["source"]["height"]
    ts_us = [f["timestampUs"] for f in rgba_run["frames"]]
    assert [t for _, t in exported] == ts_us
    # VIDEO-mode timestamps: the browser passes µs/1000 as a float; Python takes integer ms. On this
    # 25 fps clip they are whole milliseconds, so both sides see the same clock.
    assert all(t % 1000 == 0 for t in ts_us)
    py = run_landmarker(MODEL, [rgba[..., :3] for rgba, _ in exported], [t // 1000 for t in ts_us])
    d = compare(browser_faces(rgba_run), py.faces, w, h)
    # Native VideoFrames vs their RGBA copies, both in the browser: shows whether the RGBA copy is
    # the picture MediaPipe sees when it is handed a YUV VideoFrame.
    d_browser = compare(browser_faces(native_run), browser_faces(rgba_run), w, h)
    print("\n" + fmt("identical pixels, browser vs python", d))
    print(fmt("browser, native VideoFrame vs its RGBA copy", d_browser))
    print(f"python mediapipe landmarker: {py.ms_per_frame:.1f} ms/frame")
    artifact("fidelity_identical_pixels.json").write_text(
        json.dumps({"browser_vs_python": d, "native_vs_rgba": d_browser}, indent=1)
    )
    assert d["faces"] == FRAMES  # one face in every frame, found by both
    assert_within_issue_thresholds(d)


def test_browser_pipeline_matches_python_each_decoding_natively(runs):
    _, native_run, exported = runs
    w, h = native_run["source"]["width"], native_run["source"]["height"]
    decoded = decode_rgb(MEDIA / CLIP)
    ts_us = [f["timestampUs"] for f in native_run["frames"]]
    # Same frames at the same times: FFmpeg's presentation times equal ours (edit list applied).
    assert decoded.timestamps_us == ts_us
    browser_rgb = np.stack([rgba[..., :3] for rgba, _ in exported]).astype(np.int16)
    diff = np.abs(browser_rgb - np.stack(decoded.rgb).astype(np.int16))
    decode = {
        "mean_abs": float(diff.mean()),
        "p99_abs": float(np.percentile(diff, 99)),
        "max_abs": int(diff.max()),
        "share_identical": float((diff == 0).mean()),
    }
    py = run_landmarker(MODEL, decoded.rgb, [t // 1000 for t in ts_us])
    d = compare(browser_faces(native_run), py.faces, w, h)
    print(
        f"\ndecode, Chromium WebCodecs→RGBA vs FFmpeg/swscale rgb24: mean |Δ| {decode['mean_abs']:.3f}, "
        f"p99 {decode['p99_abs']:.0f}, max {decode['max_abs']} (of 255); identical values {decode['share_identical']:.1%}"
    )
    print(fmt("native decoders, browser vs python", d))
    artifact("fidelity_native.json").write_text(json.dumps({"decode": decode, "browser_vs_python": d}, indent=1))
    assert d["faces"] == FRAMES
    assert_within_issue_thresholds(d)
