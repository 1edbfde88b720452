"""`facescope.analyze` keeps one warm Chromium per process: a second call reuses its browser, its
page and the page's MediaPipe workers (their graphs rebuilt, so the results are a fresh analysis's),
also across the page's periodic reload. Real Chromium and MediaPipe."""

from __future__ import annotations

import numpy as np

import facescope
from facescope._session import RELOAD_EVERY, shared_session
from tests.browser import MODEL
from tests.headless.conftest import TALKING


def _page_workers(session) -> set[int]:
    """The page's live Web Workers (Playwright keeps one object per worker), asked on the session's thread."""
    return session._call(lambda: {id(w) for w in session._page.workers})


def test_a_second_analyze_reuses_the_warm_browser_and_its_workers(app_built):
    first = facescope.analyze(TALKING, model=MODEL, max_frames=10)
    session = shared_session()
    launches, clips = session.launches, session.clips
    workers = _page_workers(session)
    assert len(workers) >= 2  # the detector's and the landmarkers' workers, kept for the next clip

    second = facescope.analyze(TALKING, model=MODEL, max_frames=10)
    assert _page_workers(session) == workers  # the same workers, not new ones
    session.reload_every = 1  # the next clip comes after a reload of the same page
    try:
        third = facescope.analyze(TALKING, model=MODEL, max_frames=10)
    finally:
        session.reload_every = RELOAD_EVERY
    assert session.launches == launches == 1
    assert session.clips == clips + 2
    ids = {r.summary["recording_id"] for r in (first, second, third)}
    assert len(ids) == 3  # three analyses, not a replay
    # Reset workers give what fresh ones give: tracking and smoothing state start afresh.
    for res in (second, third):
        assert res.frames == 10
        np.testing.assert_array_equal(res.blendshapes.to_numpy(), first.blendshapes.to_numpy())
        np.testing.assert_array_equal(res.landmarks, first.landmarks)
