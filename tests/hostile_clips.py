"""The hostile inputs of the reliability suite, built once per test session with ffmpeg from the
shared media into a temp dir (never into the repo), and what each must produce.

Every path (the widget's file picker in JupyterLab, ``scope.analyze`` in the kernel, the CLI) is
tested against the same table, so the messages a user reads are the same words everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.browser import MEDIA

TALKING = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"  # 75 frames, 25 fps, 360×288, one face, AAC audio
ONE_GIB = 1 << 30


@dataclass(frozen=True)
class Case:
    file: str
    #: None: the clip is analysed; otherwise the front end's error code.
    code: str | None
    #: A regular expression the message (error or status line) must match.
    words: str
    #: Frames analysed, where the test knows them exactly (also for a partial result).
    frames: int | None = None


# Truncated clip: TRUNCATED_FRAMES frames of the talking clip, moov first, cut inside mdat.
TRUNCATED_FRAMES = 40
LATE_FACE_BLACK = 12  # black frames before the talking clip starts

CASES: tuple[Case, ...] = (
    Case("empty.mp4", "empty", r'"empty\.mp4" is empty \(0 bytes\)'),
    Case("text.mp4", "not-a-video", r'"text\.mp4" is not a video or image'),
    Case(
        "truncated.mp4", "truncated", r"truncated: stopped at frame (\d+) \((\d+\.\d\d) s\) of 40: the file ends early"
    ),
    Case("hevc.mp4", "unsupported-codec", r"HEVC \(H\.265\).*cannot decode.*ffmpeg -i \"hevc\.mp4\" -c:v libx264"),
    Case("audio_only.m4a", "no-video-track", r"no video track, only audio \(AAC"),
    Case("still_as_video.mp4", None, r"a still PNG image", frames=1),
    Case("video_as_image.png", None, r"video_as_image\.png: 10 frames, 1 face", frames=10),
    Case("tiny_1x1.webm", None, r"No face found in tiny_1x1\.webm \(10 frames", frames=10),
    Case("vfr.mp4", None, r"vfr\.mp4: 30 frames, 1 face", frames=30),
    Case("rotated.mp4", None, r"rotated\.mp4: 10 frames, 1 face in 10 frames", frames=10),
    Case(
        "late_face.mp4",
        None,
        rf"late_face\.mp4: {LATE_FACE_BLACK + 20} frames, 1 face in 20 frames",
        frames=LATE_FACE_BLACK + 20,
    ),
    Case("too_large.mp4", "too-large", r"too_large\.mp4.* 1\.0 GiB; facescope analyses clips up to 1 GiB"),
)
BY_FILE = {c.file: c for c in CASES}


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-y", *args], check=True)


def frame_times(path: Path) -> list[float]:
    """Presentation times (s) of every video frame, as ffprobe reads them (edit lists applied)."""
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "frame=pts_time",
            "-of",
            "json",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [float(f["pts_time"]) for f in json.loads(out)["frames"]]


def build(out: Path) -> dict[str, Path]:
    """Writes every case's file into ``out``; returns them by name."""
    assert shutil.which("ffmpeg"), "ffmpeg is a set-up requirement (make setup installs Debian's ffmpeg)"
    out.mkdir(parents=True, exist_ok=True)
    p = {c.file: out / c.file for c in CASES}
    p["empty.mp4"].write_bytes(b"")
    p["text.mp4"].write_text("This is a shopping list, not a video.\nmilk\neggs\n")
    shutil.copyfile(MEDIA / "bad" / "hevc_talking.mp4", p["hevc.mp4"])

    # Moov first, so the header promises 40 frames and the data stops at about half of them.
    whole = out / "whole_for_truncation.mp4"
    _ffmpeg(
        "-i",
        str(TALKING),
        "-an",
        "-frames:v",
        str(TRUNCATED_FRAMES),
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        str(whole),
    )
    data = whole.read_bytes()
    p["truncated.mp4"].write_bytes(data[: len(data) * 55 // 100])
    whole.unlink()

    _ffmpeg("-i", str(TALKING), "-vn", "-c:a", "copy", str(p["audio_only.m4a"]))
    shutil.copyfile(MEDIA / "stills" / "skimage_astronaut.png", p["still_as_video.mp4"])
    _ffmpeg(
        "-i",
        str(TALKING),
        "-an",
        "-frames:v",
        "10",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-f",
        "mp4",
        str(p["video_as_image.png"]),
    )
    # H.264 needs even sides; VP9 encodes a true 1×1 picture that Chromium decodes.
    _ffmpeg(
        "-i", str(TALKING), "-an", "-frames:v", "10", "-vf", "scale=1:1", "-c:v", "libvpx-vp9", str(p["tiny_1x1.webm"])
    )
    # Frame durations of 40, 60, 80 … ms in an irregular pattern, with B-frames (an edit list).
    _ffmpeg(
        "-i",
        str(TALKING),
        "-an",
        "-frames:v",
        "30",
        "-vf",
        "setpts='(N*0.04+0.02*floor(N/3)+0.04*floor(N/7))/TB'",
        "-fps_mode",
        "vfr",
        "-video_track_timescale",
        "1000",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        str(p["vfr.mp4"]),
    )
    # A phone's portrait clip: pixels stored sideways plus a tkhd matrix that turns them upright.
    sideways = out / "sideways.mp4"
    _ffmpeg(
        "-i",
        str(TALKING),
        "-an",
        "-frames:v",
        "10",
        "-vf",
        "transpose=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        str(sideways),
    )
    _ffmpeg("-i", str(sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(p["rotated.mp4"]))
    sideways.unlink()
    # Half a second of black, then the talking clip: the face appears only after the first frames.
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:s=360x288:r=25:d={LATE_FACE_BLACK / 25}",
        "-i",
        str(TALKING),
        "-filter_complex",
        "[1:v]trim=end_frame=20,setpts=PTS-STARTPTS[t];[0:v][t]concat=n=2:v=1:a=0[v]",
        "-map",
        "[v]",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        str(p["late_face.mp4"]),
    )
    # Sparse: 1 GiB + 1 byte of size, no data written.
    with open(p["too_large.mp4"], "wb") as f:
        os.truncate(f.fileno(), ONE_GIB + 1)
    return p


def check_outcome(
    case: Case,
    clips: dict[str, Path],
    message: str | None,
    times_s: list[float] | None = None,
    faces: list[int] | None = None,
    size: tuple[int, int] | None = None,
) -> None:
    """What every path must show for ``case``: its words in ``message`` (None: a path with no status
    line) and, where the path gives them, the analysed frames' times, faces per frame and size."""
    import re

    found = re.search(case.words, message, re.S) if message is not None else None
    assert message is None or found, f"{case.file}: {message!r} does not match {case.words!r}"
    if found and case.file == "truncated.mp4":  # partial results: exactly the frames before the cut
        stopped = int(found[1])
        assert stopped >= 5, message
        if times_s is not None:
            assert len(times_s) == stopped and abs(float(found[2]) - (times_s[-1] + 0.04)) < 1e-6, (times_s, message)
    if times_s is None:
        return
    if case.frames is not None:
        assert len(times_s) == case.frames, (case.file, len(times_s))
    if case.file == "vfr.mp4":  # every frame, at its own time
        assert times_s == [round(t, 6) for t in frame_times(clips[case.file])], times_s
    if case.file == "late_face.mp4" and faces is not None:
        assert faces == [0] * LATE_FACE_BLACK + [1] * 20, faces
    if case.file == "rotated.mp4" and size is not None:
        assert size == (360, 288), size  # upright, as the phone showed it (stored as 288×360)
    if case.file in ("video_as_image.png", "vfr.mp4", "rotated.mp4") and faces is not None:
        assert all(n == 1 for n in faces), faces
    if case.file == "tiny_1x1.webm" and faces is not None:
        assert not any(faces), faces
