"""The Python function the CLI wraps, in-process (on the session's Playwright driver), and its network guard."""
from __future__ import annotations

import numpy as np
import pytest

from facescope._chromium import launch
from facescope._server import serve
from facescope.headless import AnalysisError, analyze_file, guard_network
from tests.browser import MODEL
from tests.headless.conftest import TALKING


def test_analyze_file_returns_arrays_without_writing(app_built, playwright, tmp_path, monkeypatch):
    monkeypatch.setenv("FACESCOPE_MODEL", str(MODEL))
    events: list[dict] = []
    result = analyze_file(TALKING, max_frame=10, playwright=playwright, progress=events.append)
    assert result.landmarks.shape == (10, 1, 478, 3)
    assert result.blendshapes.shape == (10, 55)
    assert result.batch.columns["frame_idx"].tolist() == list(range(10))
    assert result.summary["frames"] == 10 and result.recording[:4] == b"RRF2"
    assert {"phase": "Analysing"} in events and any(e.get("done") == 10 for e in events)
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
                return [await tryFetch('/clip'), await tryFetch('/app/../ok.txt'),
                        await tryFetch('https://example.com/x'), await tryFetch('http://localhost:1/'),
                        await tryFetch('http://127.0.0.1:1/')];
            }""")
        finally:
            browser.close()
    assert outcome[0] == "local bytes"
    assert outcome[2:] == ["refused"] * 3
    assert refused == ["https://example.com/x", "http://localhost:1/", "http://127.0.0.1:1/"]
