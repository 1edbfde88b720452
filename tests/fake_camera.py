"""Chromium's fake camera, fed by a real clip: the y4m it plays and the flags that select it.

Chromium loops the file at the frame rate in its header, so a recording of any length sees real
faces. The y4m is built at test time with ffmpeg from the shared clip (never copied into the repo).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.browser import MEDIA

SOURCE = MEDIA / "a_talking_grid_4speakers.mp4"
#: The part of the source the camera loops: 1.5–4.5 s holds three blinks (at 1.7, 2.1 and 4.1 s),
#: so a 5-second recording passes every one of them at least once.
LOOP_START_S, LOOP_SECONDS = 1.5, 3.0
WIDTH, HEIGHT = 640, 480


def camera_args(y4m: Path) -> list[str]:
    """Chromium flags for a camera that is there and allowed (no permission prompt)."""
    return [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
    ]


def denied_camera_args(y4m: Path) -> list[str]:
    """Chromium flags for a camera that is there but refused: the prompt is answered "block"."""
    return [
        "--use-fake-device-for-media-stream",
        "--deny-permission-prompts",
        f"--use-file-for-fake-video-capture={y4m}",
    ]


def make_camera_clip(directory: Path, seconds: float = LOOP_SECONDS, start: float = LOOP_START_S) -> Path:
    """Writes `directory/camera.y4m`: the source clip's span at 640×480, 25 fps, I420."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("ffmpeg is missing: `make test` installs it (apt-get install ffmpeg)")
    out = Path(directory) / "camera.y4m"
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-y",
            "-ss",
            str(start),
            "-t",
            str(seconds),
            "-i",
            str(SOURCE),
            "-vf",
            f"scale={WIDTH}:{HEIGHT}",
            "-r",
            "25",
            "-pix_fmt",
            "yuv420p",
            "-an",
            str(out),
        ],
        check=True,
    )
    return out
