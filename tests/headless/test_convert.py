"""Clips the browser cannot read (FLV, AVI with MPEG-4 Part 2, ProRes) are converted in Python and
analysed with the frame times FFmpeg reports for the original; a file FFmpeg cannot read either
keeps the page's clear message. Real ffmpeg-made clips, real Chromium and MediaPipe."""

from __future__ import annotations

import numpy as np
import pytest

import facescope
from facescope._convert import needs_conversion
from tests.browser import MEDIA, MODEL
from tests.headless.conftest import run_cli
from tests.headless.odd_formats import FORMATS, build
from tests.hostile_clips import frame_times


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    return build(tmp_path_factory.mktemp("odd"))


@pytest.mark.parametrize("name", ["spark.flv", "part2.avi", "prores.mov"])
def test_unreadable_formats_are_converted_and_keep_ffmpeg_frame_times(app_built, odd, name):
    expected_times = frame_times(odd[name])
    res = facescope.analyze(odd[name], model=MODEL)
    assert res.summary["converted_from"] == FORMATS[name][1]
    assert res.summary["file_name"] == name  # messages name the user's file, not the conversion
    assert res.frames == len(expected_times)
    np.testing.assert_allclose(res.frame_info["time"].to_numpy(), expected_times, atol=1e-6)
    assert res.summary["frames_with_faces"] == res.frames  # the talking face, in every converted frame


def test_readable_clips_are_not_converted(odd):
    assert needs_conversion(odd["plain.mp4"]) is None
    assert needs_conversion(MEDIA / "c_noface_tos_belltower_vp8.webm") is None
    assert needs_conversion(MEDIA / "stills" / "grid_s1_frame.jpg") is None


def test_a_file_ffmpeg_cannot_read_keeps_its_clear_error(app_built):
    bad = MEDIA / "bad" / "not_a_video.mp4"
    assert needs_conversion(bad) is None
    with pytest.raises(facescope.AnalysisError, match=r'"not_a_video.mp4" is not a video or image') as caught:
        facescope.analyze(bad, model=MODEL)
    assert caught.value.code == "not-a-video"


def test_command_line_says_what_it_converted_from(app_built, odd, tmp_path):
    run = run_cli(odd["spark.flv"], tmp_path / "out")
    assert run.returncode == 0, run.stderr
    status = next(line for line in run.stderr.splitlines() if "; wrote " in line)
    assert status.endswith(f"converted from FLV/flv1; wrote {run.out}"), status
    assert '"converted_from": "FLV/flv1"' in (run.out / "summary.json").read_text()
