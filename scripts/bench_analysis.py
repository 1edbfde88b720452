"""Analysis benchmark: our browser pipeline (headless Chromium, the tests' harness page) against the
seed's Python pipeline (mediapipe + rerun-sdk, scripts/seed_pipeline.py), on the same clips.

    .venv/bin/python scripts/bench_analysis.py [--clips A.mp4 B.mp4] [--repeat N] [--workers 2 1]
        [--variants default plain ...] [--no-seed]

Prints end-to-end fps, per-stage ms (median and mean per frame) and the ratio ours/seed. Numbers
only: nothing here asserts a time. End to end includes the scene + recording stage
(tests/harness/sceneStage.ts: FaceScene → Recording → MemorySink, as the session runs it, and
the final .rrd encoding), which runs on the page's main thread as in the widget.
"--workers 2 1" also runs the one-worker plan (detector and landmarker in turn) for comparison;
"--variants" runs internal alternatives in the same browser, interleaved (VARIANTS below).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from tests.browser import MEDIA, MODEL, launch, serve_directory  # noqa: E402

HARNESS = ROOT / "build" / "harness"
DEFAULT_CLIPS = ["bench/grid_640x360_h264.mp4", "bench/grid_1280x720_h264.mp4"]
STAGES = ("decodeMs", "detectorMs", "landmarkerMs", "postMs")
# Harness request fields per variant (src/inference/protocol.ts Tuning, runAnalysis maxInFlight).
VARIANTS: dict[str, dict] = {
    "default": {},
    # The path before issue #4: VideoFrames straight to tasks-vision, full-size detector input.
    "plain": {"tuning": {"detectorLongSide": 0, "rgbaCopies": False}},
    "no-rgba": {"tuning": {"rgbaCopies": False}},
    "no-small-det": {"tuning": {"detectorLongSide": 0}},
    "inflight2": {"maxInFlight": 2},
    "inflight6": {"maxInFlight": 6},
    "no-scene": {"scene": False},
    "one-landmarker": {"tuning": {"landmarkers": 1}},
}


def stats(values: list[float]) -> str:
    return f"{statistics.median(values):6.1f} / {statistics.fmean(values):6.1f}" if values else "   n/a"


def process_cpu_s(tag: str) -> dict[str, float]:
    """CPU seconds (user + system) of the Chromium launched with --{tag} and all its children, by
    Chromium process type (browser, renderer, gpu-process, utility…)."""
    procs: dict[int, tuple[int, str, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        procs[int(entry.name)] = (int(fields[1]), cmd, (int(fields[11]) + int(fields[12])) / tick)
    family = {pid for pid, (_, cmd, _) in procs.items() if f"--{tag}" in cmd}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _, _) in procs.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    by_type: dict[str, float] = {}
    for pid in family:
        cmd = procs[pid][1]
        kind = cmd.split("--type=", 1)[1].split()[0] if "--type=" in cmd else "browser"
        by_type[kind] = by_type.get(kind, 0.0) + procs[pid][2]
    return by_type


def run_browser(page, url: str, clip: str, cores: int, tag: str, variant: str = "default") -> dict:
    cpu0 = process_cpu_s(tag)
    out = page.evaluate(
        "req => window.facescopeAnalysis.run(req)",
        {
            "clipUrl": url + "media/" + clip,
            "modelUrl": url + "models/" + MODEL.name,
            "cores": cores,
            **VARIANTS[variant],
        },
    )
    if not out["ok"]:
        raise RuntimeError(f"{clip}: {out['error']}")
    cpu1 = process_cpu_s(tag)
    per_frame = {k: (v - cpu0.get(k, 0.0)) * 1000 / len(out["frames"]) for k, v in cpu1.items()}
    out["cpuMsPerFrame"] = sum(per_frame.values())
    out["cpuByProcess"] = {k: v for k, v in sorted(per_frame.items(), key=lambda kv: -kv[1]) if v >= 0.5}
    return out


def print_browser(clip: str, cores: int, out: dict, variant: str = "default") -> tuple[float, float]:
    frames = out["frames"]
    n = len(frames)
    # End to end: clip bytes fetched → every frame analysed (and scene written, once it exists),
    # including creating the workers and models. "analysis fps" leaves that start-up out.
    e2e_fps = n * 1000 / out["totalMs"]
    steady_fps = n * 1000 / (out["totalMs"] - out["startMs"])
    print(
        f"  ours  [{'2 workers' if cores >= 2 else '1 worker '} {variant}] {clip}: {n} frames {out['source']['width']}×{out['source']['height']}"
        f"  end-to-end {e2e_fps:5.1f} fps ({steady_fps:5.1f} after start-up)  analysis {out['summary']['fps']:5.1f} fps"
        f"  start-up {out['startMs']:.0f} ms (MediaPipe {out['initMs']:.0f})"
        f"  browser CPU {out['cpuMsPerFrame']:.0f} ms/frame  main-thread max stall {out['maxStallMs']:.0f} ms"
    )
    print("        CPU ms/frame by process " + ", ".join(f"{k} {v:.1f}" for k, v in out["cpuByProcess"].items()))
    for k in STAGES:
        print(f"        {k[:-2]:<11} ms/frame median / mean {stats([f['timings'][k] for f in frames])}")
    scene = (
        "off"
        if out["sceneMs"] is None
        else f"scene {out['sceneMs'] / n:.2f} ms/frame (main thread), final .rrd {out['writeMs']:.0f} ms, "
        f"{out['recordingBytes'] / 1e6:.1f} MB"
    )
    print(f"        scene+write {scene}")
    return e2e_fps, steady_fps


def print_seed(clip: str, run) -> tuple[float, float]:
    with_init = run.frames * 1000 / (run.total_ms + run.init_ms)
    print(
        f"  seed  [python]    {clip}: {run.frames} frames  end-to-end {with_init:5.1f} fps ({run.fps:5.1f} after start-up)"
        f"  start-up {run.init_ms:.0f} ms"
        f"  rrd {run.rrd_bytes / 1e6:.1f} MB (flush {run.flush_ms:.0f} ms)"
    )
    for k, v in run.stage_ms.items():
        print(f"        {k:<11} ms/frame median / mean {stats(v)}")
    return with_init, run.fps


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", nargs="+", default=DEFAULT_CLIPS, help="paths under shared/media")
    ap.add_argument("--repeat", type=int, default=1, help="runs per clip and configuration (the best is kept)")
    ap.add_argument("--workers", nargs="+", type=int, default=[2], choices=[1, 2], help="worker plans to run")
    ap.add_argument(
        "--variants",
        nargs="+",
        default=["default"],
        choices=sorted(VARIANTS),
        help="internal alternatives to compare, run interleaved in the same browser",
    )
    ap.add_argument("--no-seed", action="store_true", help="skip the Python seed pipeline")
    ap.add_argument(
        "--seed-video",
        choices=["image", "asset"],
        default="image",
        help="seed logs frames as Images (as the seed does) or the clip as AssetVideo",
    )
    ap.add_argument("--build", action="store_true", help="rebuild the harness page first")
    args = ap.parse_args()

    if args.build or not (HARNESS / "analysis.js").exists():
        subprocess.run(
            ["npx", "webpack", "--config", "tests/harness/webpack.config.js"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(
        f"analysis benchmark: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
        "(other jobs on this machine skew every number)"
    )
    tag = f"facescope-bench-{os.getpid()}"
    best: dict[tuple[str, int, str], tuple[float, float]] = {}  # (end to end, after start-up)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "harness").symlink_to(HARNESS)
        (root / "media").symlink_to(MEDIA)
        (root / "models").symlink_to(MODEL.parent)
        with serve_directory(root) as url, sync_playwright() as p:
            browser = launch(p, args=[f"--{tag}"])
            page = browser.new_page()
            page.set_default_timeout(900_000)
            page.goto(url + "harness/analysis.html")
            page.wait_for_function("window.facescopeAnalysis && window.facescopeAnalysis.ready")
            # Warm-up: the first run compiles the wasm; no clip should pay for that.
            page.evaluate(
                "req => window.facescopeAnalysis.run(req)",
                {"clipUrl": url + "media/" + args.clips[0], "modelUrl": url + "models/" + MODEL.name, "maxFrame": 5},
            )
            for clip in args.clips:
                for _ in range(args.repeat):
                    for cores in args.workers:  # interleaved, so load from other jobs hits all alike
                        for variant in args.variants:
                            out = run_browser(page, url, clip, cores, tag, variant)
                            fps = print_browser(clip, cores, out, variant)
                            best[(clip, cores, variant)] = max(best.get((clip, cores, variant), (0.0, 0.0)), fps)
            browser.close()

    if not args.no_seed:
        from seed_pipeline import run_seed

        for clip in args.clips:
            with tempfile.TemporaryDirectory() as tmp:
                for _ in range(args.repeat):
                    fps = print_seed(clip, run_seed(MEDIA / clip, MODEL, Path(tmp) / "seed.rrd", video=args.seed_video))
                    best[(clip, 0, "seed")] = max(best.get((clip, 0, "seed"), (0.0, 0.0)), fps)

    print(
        "summary (fps end to end, and after start-up; best of runs; start-up = reading the clip, starting MediaPipe):"
    )
    for clip in args.clips:
        seed = best.get((clip, 0, "seed"))
        for c in args.workers:
            for variant in args.variants:
                v = best[(clip, c, variant)]
                ratio = (
                    f"  seed {seed[0]:5.1f} / {seed[1]:5.1f}  ratio ours/seed {v[0] / seed[0]:.2f} / {v[1] / seed[1]:.2f}"
                    if seed
                    else ""
                )
                print(f"  {clip:<32} ours {c}w {variant:<13} {v[0]:5.1f} / {v[1]:5.1f}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
