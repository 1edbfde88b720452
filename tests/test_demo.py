"""The demo clip ships in the package, is small, moves, and carries its attribution."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest

from facescope.demo import demo_clip, demo_still

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


def test_the_committed_quickstart_carries_no_outputs():
    # make demo runs a copy under build/demo: the tracked notebook stays clean for diffs and users.
    notebook = json.loads((ROOT / "examples" / "quickstart.ipynb").read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code, "the quickstart has code cells"
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None, "".join(cell["source"])[:60]
    assert "widgets" not in notebook["metadata"], "no saved widget state"


def test_demo_still_builds_an_h264_clip_once_then_reuses_it(tmp_path):
    pytest.importorskip("skimage", reason="the demo extra")
    target = tmp_path / "still.mp4"
    path = demo_still(target, seconds=0.4, fps=25, size=128)
    assert path == target
    with av.open(str(path)) as container:
        (video,) = container.streams.video
        assert video.codec_context.name == "h264" and video.average_rate == 25
        frames = [f.to_ndarray(format="gray") for f in container.decode(video)]
    assert len(frames) == 10 and frames[0].shape == (128, 128)
    assert frames[0].std() > 10, "a picture, not a blank frame"
    built = path.stat().st_mtime_ns
    assert demo_still(target, seconds=0.4, fps=25, size=128) == target
    assert target.stat().st_mtime_ns == built, "the second call reuses the clip"
    assert list(tmp_path.iterdir()) == [target], "no temporary file left beside it"
