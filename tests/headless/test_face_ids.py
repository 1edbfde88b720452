"""A face that vanishes for a moment keeps its id (#16): real clips, real MediaPipe, the CLI.

The talking clip with frames blacked out by ffmpeg (the frame count and presentation times kept):
the landmarker finds no face in a black frame, so the face is gone for exactly those frames. In
the "moved" clips the picture also jumps 72 px left from the frame after the gap on, as a face
that kept moving while hidden: its box (~105 × 135 px here) then overlaps the one it left by an
IoU of ~0.19, under the tracker's 0.3, so overlap alone would give it a new id (the tracker before
e8e09a3 did), while it is still within one face size of where it left (src/inference/tracker.ts).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from tests.headless.conftest import TALKING, run_cli

FRAMES, FPS = 75, 25
SHIFT_PX = 72


def _clip_with_gap(dest: Path, first: int, last: int, moved: bool) -> Path:
    """TALKING with frames ``first``..``last`` black; ``moved``: shifted SHIFT_PX left after them."""
    black = f"drawbox=color=black:t=fill:enable='between(n,{first},{last})'"
    if moved:
        # The shifted copy is laid over the picture from the frame after the gap on.
        shifted = f"crop=iw-{SHIFT_PX}:ih:{SHIFT_PX}:0,pad=iw+{SHIFT_PX}:ih:0:0:black"
        graph = f"[0:v]split[a][b];[b]{shifted}[s];[a][s]overlay=0:0:enable='gt(n,{last})',{black}[v]"
    else:
        graph = f"[0:v]{black}[v]"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-y", "-i", str(TALKING), "-filter_complex", graph, "-map", "[v]"]
        + ["-an", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-fps_mode", "passthrough", str(dest)],
        check=True,
    )
    return dest


@pytest.mark.parametrize(
    "first, last, moved, ids",
    [
        (40, 41, False, [0]),  # 2 frames (80 ms), the face back where it was
        (40, 41, True, [0]),  # 2 frames, the face back 72 px away: no overlap with where it left
        # Guards the two above: past the tracker's 0.5 s window (15 frames, 0.6 s) the face that
        # returns is a new one, so face_ids can say so on this clip.
        (30, 44, True, [0, 1]),
    ],
    ids=["2-frames-still", "2-frames-moved", "15-frames-moved"],
)
def test_a_face_gone_for_a_moment_keeps_its_id(app_built, tmp_path, first, last, moved, ids):
    clip = _clip_with_gap(tmp_path / "gap.mp4", first, last, moved)
    run = run_cli(clip, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    summary = json.loads((run.out / "summary.json").read_text())
    gap = range(first, last + 1)
    assert summary["frames"] == FRAMES
    assert summary["faces_per_frame"] == [0 if f in gap else 1 for f in range(FRAMES)]
    assert summary["face_ids"] == ids
    frames = pd.read_parquet(run.out / "frames.parquet")
    assert frames["time"].tolist() == pytest.approx([f / FPS for f in range(FRAMES)])  # times kept by ffmpeg
    faces = pd.read_parquet(run.out / "blendshapes.parquet").reset_index()
    after = faces[faces["frame_idx"] > last]
    assert set(after["face_id"]) == {ids[-1]}  # the returning face has one id to the end
