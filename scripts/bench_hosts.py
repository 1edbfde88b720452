"""Start-up benchmark per host (issue 13, item 7): from running the cell to the widget's viewer being
ready and to its first analysed frame, on a first load and cached.

    flock /tmp/fs-heavy.lock .venv/bin/python scripts/bench_hosts.py [--repeat 2] [--hosts lab,marimo]

Hosts: JupyterLab, Notebook 7 and Voilà (the front end from the labextension route), nbclassic,
marimo and the bare page that stands in for VS Code and Colab (the front end over the kernel
channel, then from the browser's IndexedDB), each a real server, kernel and Chromium.
- first load: a fresh host (new server, so a new kernel that has not imported facescope nor
  compressed its front end) and a fresh browser profile (no HTTP cache, no IndexedDB);
- cached: the same browser profile opening the page again and showing the widget again, the host
  kept (the same kernel; Voilà starts a new one per page, as it always does).
What "viewer ready" and "first frame" mean exactly: scripts/bench_host_pages.py. Numbers only,
nothing asserted; goals (issue 13): cached ≤ 3 s, first load over the kernel channel ≤ 10 s.
Chromium is driven over bare DevTools (scripts/cdp_page.py): Playwright slows WebSockets ~4×.
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
from bench_host_pages import HOSTS, BenchPage, Times, make_host  # noqa: E402

from tests.browser import MEDIA  # noqa: E402

CLIP = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
GOAL_CACHED_S = 3.0
GOAL_FIRST_CHANNEL_S = 10.0
# Where a host's start is not a cell run, the table says what it is instead.
START_NOTES = {
    "voila": "Voilà: the start is the page request (Voilà runs the notebook for it), and every page gets a new "
    "kernel, so 'cached' has a new kernel too (only the browser's cache is warm)",
    "marimo": "marimo (marimo run): the start is the page request (the app runs its cells for each page session)",
    "bare": "bare page: the start is just before `from facescope import FaceScope; FaceScope(clip)` in its Python "
    "process, then the page opens (there is no cell to run)",
}


def display(host, profile: str) -> Times:
    """One page open in Chromium on `profile`: the widget shown, its marks taken."""
    with BenchPage.start(profile, host.scripts) as page:
        t0 = host.show(page)
        times = page.times(t0)
        host.after(page)
        return times


def run_host(name: str, repeat: int, clip: Path) -> tuple[object, list[Times], list[Times], list[str]]:
    host = make_host(name, clip)
    first: list[Times] = []
    cached: list[Times] = []
    errors: list[str] = []
    for i in range(repeat):
        with tempfile.TemporaryDirectory(prefix="facescope-profile-", ignore_cleanup_errors=True) as profile:
            try:
                with host.serve():
                    for kind, runs in (("first", first), ("cached", cached)):
                        started = time.monotonic()
                        runs.append(display(host, profile))
                        t = runs[-1]
                        print(
                            f"  {host.label} run {i + 1} {kind}: viewer {fmt(t.viewer)} s, first frame {fmt(t.frame)} s, "
                            f"done {fmt(t.done)} s  [{time.monotonic() - started:.0f} s wall, load {os.getloadavg()[0]:.1f}]",
                            flush=True,
                        )
            except Exception as error:  # one host's failure must not lose the other hosts' numbers
                errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}")
                print(f"  {host.label} run {i + 1} failed: {errors[-1]}", flush=True)
    return host, first, cached, errors


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def median(runs: list[Times], field: str) -> float | None:
    values = [getattr(t, field) for t in runs if getattr(t, field) is not None]
    return statistics.median(values) if values else None


def cells(runs: list[Times], goal: float | None) -> str:
    """Viewer, first frame and done medians; '*' marks a viewer or first frame over its goal."""
    out = []
    for field in ("viewer", "frame", "done"):
        value = median(runs, field)
        over = goal is not None and field != "done" and value is not None and value > goal
        out.append(f"{fmt(value):>6}{'*' if over else ' '}")
    return " ".join(out) + f" {('≤ ' + format(goal, 'g')) if goal else '-':>5}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", "--runs", type=int, default=2, help="first/cached pairs per host (medians)")
    parser.add_argument("--hosts", default=",".join(HOSTS), help=f"comma-separated, of {','.join(HOSTS)}")
    args = parser.parse_args()
    names = [h.strip() for h in args.hosts.split(",") if h.strip()]
    unknown = [h for h in names if h not in HOSTS]
    if unknown:
        parser.error(f"unknown hosts {unknown}; known: {', '.join(HOSTS)}")
    print(f"host start-up benchmark: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    results = [run_host(name, args.repeat, CLIP) for name in names]

    print(f"\nstart-up per host, {CLIP.name}, medians of {args.repeat} (seconds from running the cell)")
    print(
        f"goals (issue 13): cached ≤ {GOAL_CACHED_S:g} s, first load over the kernel channel ≤ {GOAL_FIRST_CHANNEL_S:g} s"
    )
    head = f"{'viewer':>7} {'frame':>7} {'done':>7} {'goal':>5}"
    print(f"{'':27} | {'first load':^29} | {'cached':^29}")
    print(f"{'host':11} {'route':15} | {head} | {head}")
    for host, first, cached, errors in results:
        first_goal = GOAL_FIRST_CHANNEL_S if host.route == "kernel channel" else None
        row = f"{host.label:11} {host.route:15} | {cells(first, first_goal)} | {cells(cached, GOAL_CACHED_S)}"
        if errors:
            row += f"  ({len(errors)} of {args.repeat} runs failed: {errors[0]})"
        print(row)
    print(
        "viewer: the Rerun viewer started in the widget (its canvas in place, Rerun's loading overlay gone), shown or "
        "waiting behind the live_viewer note; frame: the first analysed frame; done: the kernel has every row. "
        "* over its goal."
    )
    for name in names:
        if name in START_NOTES:
            print(f"note: {START_NOTES[name]}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
