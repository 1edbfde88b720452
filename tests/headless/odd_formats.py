"""Clips in the formats corpora ship in and the browser cannot read, made with ffmpeg from the
talking clip into a temp dir: FLV (Sorenson Spark, FLV1: ffmpeg has no VP6 encoder, and VP6 takes
the same path), AVI with MPEG-4 Part 2, a ProRes .mov; also a short MP4 and a truncated one.

Short (FRAMES frames) so the batch tests stay quick; each keeps its audio, as real files do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.browser import MEDIA

TALKING = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
FRAMES = 20

# file name → (ffmpeg output arguments, what summary["converted_from"] says; None: not converted)
FORMATS: dict[str, tuple[list[str], str | None]] = {
    "spark.flv": (["-c:v", "flv1", "-c:a", "libmp3lame", "-ar", "44100"], "FLV/flv1"),
    "part2.avi": (["-c:v", "mpeg4", "-q:v", "3", "-c:a", "libmp3lame"], "AVI/mpeg4"),
    "prores.mov": (["-c:v", "prores_ks", "-c:a", "pcm_s16le"], "MOV/prores"),
    "plain.mp4": (["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"], None),
}


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-y", *args], check=True)


def build(out: Path, names: tuple[str, ...] = tuple(FORMATS)) -> dict[str, Path]:
    """Writes ``names`` of FORMATS into ``out``; returns them by name."""
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        _ffmpeg("-i", str(TALKING), "-frames:v", str(FRAMES), *FORMATS[name][0], str(out / name))
    return {name: out / name for name in names}


def truncated(dest: Path) -> Path:
    """An MP4 whose header promises FRAMES frames and whose data stops about half-way."""
    whole = dest.with_name("whole-" + dest.name)
    _ffmpeg(
        "-i", str(TALKING), "-an", "-frames:v", str(FRAMES), "-c:v", "libx264", "-movflags", "+faststart", str(whole)
    )
    data = whole.read_bytes()
    dest.write_bytes(data[: len(data) * 55 // 100])
    whole.unlink()
    return dest
