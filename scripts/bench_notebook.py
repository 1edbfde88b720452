"""Notebook benchmark: analysis fps in JupyterLab while the inline viewer fills in (issue 15's goal:
≥ 35 fps at 640×360 on 2 cores), beside the same clip analysed headless in the same run.

    .venv/bin/python scripts/bench_notebook.py [--clip bench/grid_640x360_h264.mp4] [--runs 2]

A real server, kernel and Chromium (driven over bare DevTools, scripts/cdp_page.py: Playwright
slows WebSockets ~4×). The fps is the widget summary's own (first result → last result, the same
measure as the CLI's). Numbers only, nothing asserted; the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_analysis import process_cpu_s  # noqa: E402
from cdp_page import CdpPage  # noqa: E402

from tests.browser import MEDIA, MODEL  # noqa: E402
from tests.e2e.jupyter_server import jupyter_server  # noqa: E402
from tests.e2e.notebook_page import NOTEBOOK_URL, write_notebook  # noqa: E402

IDLE_S = 5.0


def notebook_fps(base: str, name: str, profile: str) -> tuple[float, int, dict[str, float], dict[str, float]]:
    """The widget's analysis fps, its frames, and Chromium's CPU ms per frame by process type
    (renderer: the page, its workers and the viewer's wasm; gpu-process: the viewer's drawing in
    software GL) from running the cell to the end: CPU per frame says more than fps under load.
    Then Chromium's CPU ms per second over IDLE_S seconds after the analysis, the viewer showing the
    finished recording: whether the viewer draws when nothing changes."""
    tag = f"facescope-bench-notebook-{os.getpid()}"
    with CdpPage.open(base + NOTEBOOK_URL["lab"].format(name=name), profile=profile, args=(f"--{tag}",)) as page:
        page.open_notebook()
        cpu0 = process_cpu_s(tag)
        page.run_code_cell(0)
        page.run_code_cell(1)
        fps, frames = page.output_line(1, "FPS", timeout_ms=900_000).split()
        cpu1 = process_cpu_s(tag)
        time.sleep(IDLE_S)  # nothing to wait for: the span of CPU accounting itself
        cpu2 = process_cpu_s(tag)
    idle = {k: (v - cpu1.get(k, 0.0)) * 1000 / IDLE_S for k, v in cpu2.items()}
    per_frame = {k: (v - cpu0.get(k, 0.0)) * 1000 / int(frames) for k, v in cpu1.items()}
    big = lambda d: {k: v for k, v in sorted(d.items(), key=lambda kv: -kv[1]) if v >= 0.5}  # noqa: E731
    return float(fps), int(frames), big(per_frame), big(idle)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clip", default="bench/grid_640x360_h264.mp4", help="path under shared/media")
    ap.add_argument("--runs", type=int, default=2, help="notebook runs (median printed)")
    args = ap.parse_args()
    clip = MEDIA / args.clip
    print(f"notebook benchmark: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    os.environ.setdefault("FACESCOPE_MODEL", str(MODEL))
    runs: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        notebook = write_notebook(
            Path(tmp) / "bench_notebook.ipynb",
            [
                f"from facescope import FaceScope\nscope = FaceScope({str(clip)!r})\nscope",
                "await scope.analyzed()\nprint('FPS', round(scope.summary['fps'], 1), scope.summary['frames'])",
            ],
        )
        with jupyter_server("lab", [notebook], expose_app=True) as base:
            for i in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="facescope-profile-", ignore_cleanup_errors=True) as profile:
                    fps, frames, cpu, idle = notebook_fps(base, notebook.name, profile)
                runs.append(fps)
                print(
                    f"  JupyterLab run {i + 1}: {frames} frames, analysis {fps:.1f} fps while the viewer fills in"
                    f"  [load {os.getloadavg()[0]:.1f}]"
                )
                print(
                    f"    Chromium CPU {sum(cpu.values()):.0f} ms/frame: "
                    + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
                )
                print(
                    f"    afterwards, the viewer idle: Chromium CPU {sum(idle.values()):.0f} ms/s: "
                    + ", ".join(f"{k} {v:.0f}" for k, v in idle.items())
                )
    from facescope.headless import analyze_file

    headless = analyze_file(clip).summary["fps"]
    print(
        f"summary {args.clip}: notebook {statistics.median(runs):.1f} fps (median of {len(runs)}), "
        f"headless CLI path {headless:.1f} fps; load average now {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
