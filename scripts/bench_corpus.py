"""Batch throughput: clips per hour on a corpus of short clips, facescope's ``analyze_many`` with 1
and 2 workers against the seed's pipeline (scripts/seed_pipeline.py: OpenCV + mediapipe + rerun-sdk)
run two clips at a time, in the same run; and the per-clip start-up a warm session saves.

The corpus: 3-second H.264 pieces cut from the shared clips (the 4-speaker clip, the single
speaker, the group scene) into a temp dir, repeated under new names up to --clips. Numbers are
printed, never asserted: on a loaded machine they say little (make bench runs this).

    .venv/bin/python scripts/bench_corpus.py [--clips 20]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from tests.browser import MEDIA, MODEL  # noqa: E402

PIECES = [(MEDIA / "a_talking_grid_4speakers.mp4", start) for start in (0, 3, 6, 9)] + [
    (MEDIA / "a_talking_grid_s1_bbaf2n.mp4", 0),
    (MEDIA / "b_multiface_crop_mpf_video_01_1280x720.mp4", 0),
]


def make_corpus(folder: Path, count: int) -> list[Path]:
    pieces = []
    for i, (clip, start) in enumerate(PIECES):
        piece = folder / f"piece{i}.mp4"
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-v", "error", "-y", "-ss", str(start), "-i", str(clip), "-t", "3", "-an"]
            + ["-c:v", "libx264", "-pix_fmt", "yuv420p", str(piece)],
            check=True,
        )
        pieces.append(piece)
    corpus = folder / "corpus"
    corpus.mkdir()
    clips = [corpus / f"clip{i:03d}.mp4" for i in range(count)]
    for i, clip in enumerate(clips):
        shutil.copyfile(pieces[i % len(pieces)], clip)
    return clips


def _seed_one(clip: str, out: str) -> int:
    from seed_pipeline import run_seed

    return run_seed(Path(clip), MODEL, Path(out)).frames


def run_seed_pool(clips: list[Path], tmp: Path) -> float:
    """The seed's pipeline on every clip, two processes at a time; seconds."""
    t = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        frames = list(pool.map(_seed_one, map(str, clips), [str(tmp / f"seed{i}.rrd") for i in range(len(clips))]))
    print(f"seed (2 at a time): {len(clips)} clips, {sum(frames)} frames", flush=True)
    return time.perf_counter() - t


def run_ours(clips: list[Path], tmp: Path, workers: int) -> float:
    import facescope

    t = time.perf_counter()
    corpus = facescope.analyze_many(clips, tmp / f"ours{workers}", workers=workers, model=MODEL, progress=False)
    manifest = corpus.manifest
    print(
        f"facescope ({workers} worker{'s' if workers > 1 else ''}): {int((manifest['status'] == 'done').sum())} "
        f"of {len(clips)} clips, {int(manifest['frames'].sum())} frames",
        flush=True,
    )
    return time.perf_counter() - t


def start_up(clip: Path) -> tuple[float, float]:
    """Seconds before the analysis of a clip, in a new browser and in a warm session's second clip:
    the run's wall time less the analysis itself (frames / analysis fps)."""
    from facescope._session import Session
    from facescope.headless import analyze_file

    def before_analysis(res) -> float:
        s = res.summary
        return s["wall_ms"] / 1000 - s["frames"] / max(s["fps"], 1e-9)

    cold = before_analysis(analyze_file(clip, model=MODEL))
    with Session() as session:
        session.analyze(clip, model=MODEL)
        warm = before_analysis(session.analyze(clip, model=MODEL))
    return cold, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--clips", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="facescope-bench-corpus-") as name:
        tmp = Path(name)
        clips = make_corpus(tmp, args.clips)
        cold, warm = start_up(clips[0])
        print(f"per-clip start-up (wall less analysis): new browser {cold:.1f} s, warm session {warm:.1f} s")
        seconds = {"seed": run_seed_pool(clips, tmp)}
        for workers in (1, 2):
            seconds[f"ours-{workers}"] = run_ours(clips, tmp, workers)
    per_hour = {k: len(clips) * 3600 / v for k, v in seconds.items()}
    print(f"clips/hour on {len(clips)} 3-s clips (machine load makes these rough):")
    for key, value in per_hour.items():
        ratio = value / per_hour["seed"]
        print(f"  {key:8s} {value:8.0f} clips/h  {seconds[key]:6.1f} s  {ratio:.2f}x seed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
