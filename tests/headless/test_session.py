"""`facescope.analyze` keeps one warm Chromium per process: a second call reuses its browser and
page (no new launch), also across the page's periodic reload. Real Chromium and MediaPipe."""

from __future__ import annotations

import facescope
from facescope._session import shared_session
from tests.browser import MODEL
from tests.headless.conftest import TALKING


def test_a_second_analyze_reuses_the_warm_browser(app_built):
    first = facescope.analyze(TALKING, model=MODEL, max_frames=10)
    session = shared_session()
    launches, clips = session.launches, session.clips
    session.reload_every = 1  # the next clip comes after a reload of the same page
    try:
        second = facescope.analyze(TALKING, model=MODEL, max_frames=10)
    finally:
        session.reload_every = type(session)().reload_every
    assert session.launches == launches == 1
    assert session.clips == clips + 1
    assert first.frames == second.frames == 10
    assert first.summary["recording_id"] != second.summary["recording_id"]  # a fresh analysis, not a replay
    assert (first.blendshapes.to_numpy() == second.blendshapes.to_numpy()).all()
