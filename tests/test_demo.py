"""The demo clip ships in the package, is small, moves, and carries its attribution."""

from __future__ import annotations

from pathlib import Path

import av

from facescope.demo import demo_clip

ROOT = Path(__file__).resolve().parent.parent


def test_demo_clip_is_the_packaged_grid_clip_h264_25fps_300_frames_no_audio():
    path = demo_clip()
    assert path.parent.name == "media" and path.parent.parent.name == "facescope", path
    assert path.stat().st_size <= 600_000
    with av.open(str(path)) as container:
        assert not container.streams.audio, "the demo clip carries no sound"
        (video,) = container.streams.video
        assert video.codec_context.name == "h264"
        assert video.average_rate == 25
        assert sum(1 for _ in container.decode(video)) == 300


def test_demo_clip_attribution_is_beside_it_and_in_the_readme():
    notice = (demo_clip().parent / "NOTICE.md").read_text()
    assert "GRID" in notice and "CC BY 4.0" in notice and "10.5281/zenodo.3625687" in notice
    readme = (ROOT / "README.md").read_text()
    assert "GRID" in readme and "CC BY 4.0" in readme and "facescope/media/NOTICE.md" in readme
