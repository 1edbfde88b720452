"""The user's path, whole processes: clip in → results on disk, start-up included, ours against the
seed's pipeline on the same clips in the same run.

    .venv/bin/python scripts/bench_user_path.py [--clips A.mp4 B.mp4] [--repeat N] [--only cli api seed]

Three commands per clip, run in turn (interleaved, so load from other jobs hits all alike):
- cli:  ``python -m facescope analyze CLIP --out DIR``
- api:  a fresh Python doing ``facescope.analyze(clip).save(dir)``
- seed: a fresh Python running the seed's pipeline (scripts/seed_pipeline.py: OpenCV + mediapipe +
  rerun-sdk writing an .rrd), imports and model creation included.
Each is timed from the parent (fork to exit). Ours is split by its summary's ``phases_ms``
(facescope/_phases.py): start-up = process start → first frame's result; analysis = first → last
frame; finishing = last frame → process exit (recording, transfer to Python, files written).
Prints medians and the ratio ours/seed. Numbers only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import MEDIA, MODEL  # noqa: E402

DEFAULT_CLIPS = ["bench/grid_640x360_h264.mp4", "bench/grid_1280x720_h264.mp4"]
KINDS = ("cli", "api", "seed")

# The API run prints its summary's phases on stdout (the CLI's are in summary.json).
API_SCRIPT = """
import json, sys
import facescope
res = facescope.analyze(sys.argv[1])
res.save(sys.argv[2])
print(json.dumps({"phases_ms": dict(res.summary["phases_ms"]), "frames": res.summary["frames"]}))
"""
SEED_SCRIPT = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from seed_pipeline import run_seed
run = run_seed(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) / "seed.rrd")
print(json.dumps({"frames": run.frames, "init_ms": run.init_ms, "total_ms": run.total_ms}))
"""


def command(kind: str, clip: Path, out: Path) -> list[str]:
    py = sys.executable
    if kind == "cli":
        return [py, "-m", "facescope", "analyze", str(clip), "--out", str(out)]
    if kind == "api":
        return [py, "-c", API_SCRIPT, str(clip), str(out)]
    return [py, "-c", SEED_SCRIPT, str(clip), str(MODEL), str(out), str(ROOT / "scripts")]


def run_once(kind: str, clip: Path, tmp: Path) -> dict:
    out = tmp / f"{kind}-{time.monotonic_ns()}"
    out.mkdir()
    env = {**os.environ, "FACESCOPE_MODEL": str(MODEL)}
    t = time.perf_counter()
    done = subprocess.run(command(kind, clip, out), cwd=ROOT, env=env, capture_output=True, text=True)
    wall_ms = (time.perf_counter() - t) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{kind} {clip.name} failed ({done.returncode}): {done.stderr[-2000:]}")
    if kind == "cli":
        info = json.loads((out / "summary.json").read_text())
    else:
        info = json.loads(done.stdout.strip().splitlines()[-1])
    info["wall_ms"] = wall_ms
    phases = info.get("phases_ms")
    if phases:  # start-up / analysis / finishing of our run, by its own marks
        info["split_ms"] = {
            "start-up": phases["first_frame"],
            "analysis": phases["last_frame"] - phases["first_frame"],
            "finishing": wall_ms - phases["last_frame"],
        }
    return info


def describe(kind: str, clip: str, info: dict) -> str:
    line = f"  {kind:<4} {clip:<28} {info['wall_ms'] / 1000:6.2f} s whole process, {info['frames']} frames"
    if "split_ms" in info:
        line += "  (" + ", ".join(f"{k} {v / 1000:.2f} s" for k, v in info["split_ms"].items()) + ")"
    elif "init_ms" in info:
        line += f"  (tasks created in {info['init_ms'] / 1000:.2f} s, analysis + .rrd {info['total_ms'] / 1000:.2f} s)"
    return line


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", nargs="+", default=DEFAULT_CLIPS, help="paths under shared/media")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    ap.add_argument("--only", nargs="+", choices=KINDS, default=list(KINDS), help="which commands to run")
    args = ap.parse_args()
    print(
        f"user-path benchmark: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start "
        "(other jobs on this machine skew every number)"
    )
    runs: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(args.repeat):
            for clip in args.clips:
                for kind in args.only:  # interleaved: one of each in turn
                    info = run_once(kind, MEDIA / clip, Path(tmp))
                    runs.setdefault((clip, kind), []).append(info)
                    print(describe(kind, clip, info) + f"  [round {round_no + 1}, load {os.getloadavg()[0]:.1f}]")
    print(f"summary (median of {args.repeat}; load average now {os.getloadavg()[0]:.1f}):")
    for clip in args.clips:
        med = {k: statistics.median(r["wall_ms"] for r in runs[(clip, k)]) for k in args.only if (clip, k) in runs}
        parts = [f"{k} {v / 1000:6.2f} s" for k, v in med.items()]
        if "seed" in med:
            parts += [f"{k}/seed {med[k] / med['seed']:.2f}×" for k in ("cli", "api") if k in med]
        print(f"  {clip:<28} " + "  ".join(parts))
        for k in ("cli", "api"):
            splits = [r["split_ms"] for r in runs.get((clip, k), []) if "split_ms" in r]
            if splits:
                print(
                    f"    {k} split: "
                    + ", ".join(f"{p} {statistics.median(s[p] for s in splits) / 1000:.2f} s" for p in splits[0])
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
