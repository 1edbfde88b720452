"""The Python functions the CLI wraps (`analyze_file`, `facescope.analyze`), in-process and from a
running event loop, and the network guard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import facescope
from facescope._chromium import launch
from facescope._server import serve
from facescope.headless import AnalysisError, analyze_file, guard_network
from facescope.results import BLENDSHAPE_NAMES, Results
from tests.browser import MODEL, ROOT
from tests.headless.conftest import TALKING


def test_analyze_file_returns_arrays_without_writing(app_built, playwright, tmp_path, monkeypatch):
    monkeypatch.setenv("FACESCOPE_MODEL", str(MODEL))
    events: list[dict] = []
    result = analyze_file(TALKING, max_frames=10, playwright=playwright, progress=events.append)
    assert isinstance(result, Results) and result.face_ids == [0]
    assert result.landmarks.shape == (10, 1, 478, 3)
    assert result.blendshapes.shape == (10, 53) and list(result.blendshapes.columns) == ["time", *BLENDSHAPE_NAMES]
    assert result.blendshapes.index.tolist() == [(f, 0) for f in range(10)]
    assert result.head_pose.shape == (10, 4) and result.head_pose[["yaw", "pitch", "roll"]].abs().max().max() < 45
    assert len(result.detections) >= 9 and (result.detections["face_id"] == 0).mean() > 0.9
    assert result.batch.columns["frame_idx"].tolist() == list(range(10))
    assert result.summary["frames"] == 10 and result.recording[:4] == b"RRF2"
    assert any(e.get("phase", "").startswith("Analysing on CPU") for e in events) and any(
        e.get("done") == 10 for e in events
    )
    result.save(tmp_path / "out")
    np.testing.assert_array_equal(np.load(tmp_path / "out" / "landmarks.npy"), result.landmarks)
    with pytest.raises(TypeError, match="unknown option"):
        analyze_file(TALKING, num_face=2)
    with pytest.raises(AnalysisError) as error:
        analyze_file(tmp_path / "missing.mp4")
    assert error.value.code == "missing-file"


def test_network_guard_refuses_every_other_origin_and_reports_it(playwright, tmp_path):
    (tmp_path / "ok.txt").write_text("ok")
    with serve(tmp_path, {"clip": b"local bytes"}) as url:
        browser = launch(playwright)
        try:
            context = browser.new_context()
            refused = guard_network(context, url)
            page = context.new_page()
            page.goto(url)
            outcome = page.evaluate("""async () => {
                const tryFetch = (u) => fetch(u).then((r) => r.text(), (e) => 'refused');
                return [await tryFetch('clip'), await tryFetch('app/../ok.txt'),
                        await tryFetch('https://example.com/x'), await tryFetch('http://localhost:1/'),
                        await tryFetch('http://127.0.0.1:1/')];
            }""")
        finally:
            browser.close()
    assert outcome[0] == "local bytes"
    assert outcome[2:] == ["refused"] * 3
    assert refused == ["https://example.com/x", "http://localhost:1/", "http://127.0.0.1:1/"]


def test_analyze_coexists_with_a_running_driver(app_built, playwright, monkeypatch):
    """With the session's sync driver alive on this thread, an event loop counts as running here, so
    `facescope.analyze` takes the worker-thread path and starts a second driver there; the session's
    driver must still work afterwards."""
    monkeypatch.setenv("FACESCOPE_MODEL", str(MODEL))
    res = facescope.analyze(TALKING, max_frames=10)
    assert res.frames == 10 and res.blendshapes.shape == (10, 53)
    browser = launch(playwright)
    try:
        page = browser.new_page()
        page.goto("data:text/html,<p>still here</p>")
        assert page.inner_text("p") == "still here"
    finally:
        browser.close()


def test_analyze_inside_a_running_event_loop(app_built):
    """What a notebook cell does: call `facescope.analyze` while asyncio's loop runs. In a fresh
    interpreter, because this process's session driver already counts as a running loop, where
    `asyncio.run` refuses to start."""
    script = textwrap.dedent(f"""
        import asyncio, json, sys
        import facescope

        async def cell():
            asyncio.get_running_loop()  # raises unless a loop runs here, as in a notebook cell
            return facescope.analyze({str(TALKING)!r}, max_frames=10)

        res = asyncio.run(cell())
        json.dump({{"type": type(res).__name__, "frames": res.frames, "face_ids": res.face_ids,
                   "shape": list(res.blendshapes.shape), "repr": repr(res)}}, sys.stdout)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "FACESCOPE_MODEL": str(MODEL)},
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["type"] == "Results" and out["frames"] == 10 and out["face_ids"] == [0]
    assert out["shape"] == [10, 53]
    assert out["repr"].startswith("<Results: 10 frames, 0.00–0.36 s, 1 face (id 0), recording ")
