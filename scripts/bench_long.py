"""Long-clip benchmark: a 10-minute clip analysed to the end, then held whole by the viewer.

    .venv/bin/python scripts/bench_long.py [--minutes 10]

1. Builds the clip by looping media/bench/grid_640x360_h264.mp4 with ffmpeg (-stream_loop, -c copy)
   into build/bench/ (kept for the next run).
2. Analyses it headlessly (`facescope.analyze`: the widget's bundle in headless Chromium; in
   JupyterLab the same analysis runs at ~7 fps, too slow for 10 minutes of video). Printed: fps,
   peak JS heap of the page (CDP, sampled every few seconds), peak resident memory of Chromium's
   renderer processes (the page and the MediaPipe workers, their wasm memories included), and the
   recording's bytes per minute of video.
3. Loads the recording into the real Rerun web viewer (the RRD harness page) and prints its JS heap
   and wasm memory once it holds all of it, and its responsiveness: requestAnimationFrame frame
   times while idle and while the mouse scrubs the time panel, and the delay of a click.
Numbers only, nothing asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import facescope.headless as headless  # noqa: E402
from tests.browser import MEDIA, MODEL, launch, serve_directory  # noqa: E402
from tests.e2e.notebook_page import heap_mb, live_wasm_memory  # noqa: E402

BENCH_CLIP = MEDIA / "bench" / "grid_640x360_h264.mp4"
HARNESS = ROOT / "build" / "harness"


def long_clip(minutes: float) -> Path:
    out = ROOT / "build" / "bench" / f"grid_640x360_{minutes:g}min.mp4"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "ffmpeg",
                "-hide_banner",
                "-v",
                "error",
                "-y",
                "-stream_loop",
                "-1",
                "-i",
                str(BENCH_CLIP),
                "-t",
                str(minutes * 60),
                "-c",
                "copy",
                "-an",
                str(out),
            ],
            check=True,
        )
    return out


def renderer_rss_mb(root_pid: int) -> float:
    """Resident memory of the Chromium renderer processes descended from `root_pid`."""
    children: dict[int, list[int]] = {}
    cmdlines: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdlines[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total_kb, todo = 0, list(children.get(root_pid, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if "--type=renderer" in cmdlines.get(pid, ""):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                total_kb += int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])
            except (OSError, StopIteration):
                pass
    return total_kb / 1024


class Peaks:
    """Samples the renderers' memory in a thread (reading /proc needs no Playwright) and the page's
    JS heap from inside the progress callback (Playwright's sync API lives on one thread)."""

    def __init__(self) -> None:
        self.rss = 0.0
        self.heap = 0.0
        self.heap_samples = 0
        self._stop = threading.Event()
        self._cdp = None
        self._last_heap = 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.rss = max(self.rss, renderer_rss_mb(os.getpid()))

    def page(self, page) -> None:
        self._cdp = page.context.new_cdp_session(page)

    def progress(self, event: dict) -> None:
        now = time.monotonic()
        if self._cdp is None or now - self._last_heap < 5:
            return
        self._last_heap = now
        used = self._cdp.send("Runtime.getHeapUsage")
        self.heap = max(self.heap, (used["usedSize"] + used.get("backingStorageSize", 0)) / 2**20)
        self.heap_samples += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def analyse(clip: Path, peaks: Peaks, frames_total: int):
    from playwright.sync_api import sync_playwright

    original_launch = headless.launch

    def launch_and_watch(playwright, **kwargs):
        browser = original_launch(playwright, **kwargs)
        original_new_context = browser.new_context

        def new_context(**kw):
            context = original_new_context(**kw)
            context.on("page", peaks.page)
            return context

        browser.new_context = new_context
        return browser

    last = {"t": 0.0}

    def progress(event: dict) -> None:
        peaks.progress(event)
        if "done" in event and time.monotonic() - last["t"] > 30:
            last["t"] = time.monotonic()
            print(
                f"  {event['done']}/{event['total']} frames, {event['fps']:.1f} fps, renderers {peaks.rss:.0f} MB",
                flush=True,
            )

    headless.launch = launch_and_watch
    try:
        with sync_playwright() as p:
            return headless.analyze_file(clip, model=MODEL, progress=progress, playwright=p, timeout=7200)
    finally:
        headless.launch = original_launch


def viewer_phase(rrd: bytes) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        root = Path(tmp)
        (root / "harness").symlink_to(HARNESS)
        (root / "long.rrd").write_bytes(rrd)
        with serve_directory(root) as url:
            browser = launch(p)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                cdp = page.context.new_cdp_session(page)
                page.goto(url + "harness/rrd_viewer.html")
                page.wait_for_function("window.rrdHarness !== undefined")
                page.evaluate("window.rrdHarness.start()")
                before = {**heap_mb(cdp), **live_wasm_memory(cdp)}
                t0 = time.perf_counter()
                page.evaluate("url => window.rrdHarness.sendUrl(url)", url + "long.rrd")
                # Ingested when the time range stops growing.
                last, still = None, 0
                while still < 3 and time.perf_counter() - t0 < 600:
                    page.wait_for_timeout(1000)
                    ids = page.evaluate("window.rrdHarness.events.map(e => e.recording_id ?? e.recordingId ?? e)")
                    rng = page.evaluate("id => window.rrdHarness.timeRange(id, 'time')", ids[0]) if ids else None
                    still = still + 1 if rng is not None and rng == last else 0
                    last = rng
                load_s = time.perf_counter() - t0
                after = {**heap_mb(cdp), **live_wasm_memory(cdp)}
                idle = frame_times(page, 5000)
                scrub = scrub_frame_times(page)
                click_ms = page.evaluate("""() => new Promise((done) => {
                    const canvas = document.querySelector('canvas');
                    const r = canvas.getBoundingClientRect();
                    const t0 = performance.now();
                    canvas.dispatchEvent(new PointerEvent('pointerdown', {clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, bubbles: true}));
                    canvas.dispatchEvent(new PointerEvent('pointerup', {clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, bubbles: true}));
                    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
                })""")
            finally:
                browser.close()
    return {
        "loadS": load_s,
        "range": last,
        "before": before,
        "after": after,
        "idle": idle,
        "scrub": scrub,
        "clickMs": click_ms,
    }


def frame_times(page, ms: int) -> list[float]:
    return page.evaluate(
        """ms => new Promise((done) => {
        const times = []; let prev = performance.now(); const end = prev + ms;
        const tick = (t) => { times.push(t - prev); prev = t; if (t < end) requestAnimationFrame(tick); else done(times); };
        requestAnimationFrame(tick);
    })""",
        ms,
    )


def scrub_frame_times(page) -> list[float]:
    """Drags across the bottom of the viewer (the time panel) while recording frame times."""
    page.evaluate("""() => { window.__ft = []; let prev = performance.now(); window.__ftOn = true;
        const tick = (t) => { window.__ft.push(t - prev); prev = t; if (window.__ftOn) requestAnimationFrame(tick); };
        requestAnimationFrame(tick); }""")
    page.mouse.move(300, 860)
    page.mouse.down()
    for x in range(300, 1300, 20):
        page.mouse.move(x, 860)
        page.wait_for_timeout(60)
    page.mouse.up()
    return page.evaluate("() => { window.__ftOn = false; return window.__ft; }")


def describe(times: list[float]) -> str:
    if not times:
        return "no frames"
    s = sorted(times)
    return (
        f"{len(s)} frames, median {statistics.median(s):.1f} ms, p95 {s[int(0.95 * (len(s) - 1))]:.1f} ms, "
        f"max {s[-1]:.1f} ms"
    )


def calibrate(clip: Path) -> None:
    """Viewer wasm memory per face frame (the number behind src/scene/density.ts), at full density
    and with every 4th frame only (forced by the viewer budget)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        full = headless.analyze_file(clip, model=MODEL, playwright=p, timeout=7200)
        face_frames = sum(full.summary["facesPerFrame"])
        budget = max(1, int(face_frames * 55_000 / 2**20 / 4))
        thinned = headless.analyze_file(clip, model=MODEL, playwright=p, timeout=7200, viewer_memory_mb=budget)
    for run in (full, thinned):
        every = run.summary["density"]["framesEvery"]
        v = viewer_phase(run.recording)
        grown = (v["after"]["wasmMemoryMb"] - v["before"]["wasmMemoryMb"]) * 2**20
        print(
            f"every {every}. frame: recording {len(run.recording) / 2**20:.1f} MB, viewer wasm "
            f"+{grown / 2**20:.0f} MB = {grown / face_frames / 1000:.1f} kB per face frame of the clip, "
            f"{grown * every / face_frames / 1000:.1f} kB per face frame shown (ingested in {v['loadS']:.0f} s)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="measure the viewer's memory per face frame (the number behind src/scene/density.ts) "
        "on the clip, in full and thinned",
    )
    parser.add_argument(
        "--viewer-only",
        action="store_true",
        help="skip the analysis: load the recording the last run kept in build/bench/",
    )
    args = parser.parse_args()
    kept = ROOT / "build" / "bench" / f"long_{args.minutes:g}min.rrd"
    if args.calibrate:
        calibrate(long_clip(args.minutes))
        return
    if args.viewer_only:
        report_viewer(kept.read_bytes(), args.minutes)
        return
    clip = long_clip(args.minutes)
    print(f"long clip: {clip} ({clip.stat().st_size / 2**20:.1f} MB, {args.minutes:g} min)", flush=True)
    t0 = time.perf_counter()
    with Peaks() as peaks:
        result = analyse(clip, peaks, 0)
    wall = time.perf_counter() - t0
    s = result.summary
    rrd_mb = len(result.recording) / 2**20
    print(
        f"analysis: {s['frames']}/{s['totalFrames']} frames, faces in {s['framesWithFaces']}, {s['fps']:.1f} fps "
        f"(wall {wall:.0f} s)"
    )
    print(
        f"analysis memory: page JS heap peak {peaks.heap:.0f} MB ({peaks.heap_samples} samples); Chromium renderers' "
        f"resident memory peak {peaks.rss:.0f} MB (page + MediaPipe workers with their wasm memories)"
    )
    print(
        f"recording: {rrd_mb:.1f} MB = {rrd_mb / args.minutes:.1f} MB per minute of video; "
        f"results {result.batch.frames} frames in the kernel"
    )
    kept.write_bytes(result.recording)
    report_viewer(result.recording, args.minutes)


def report_viewer(recording: bytes, minutes: float) -> None:
    v = viewer_phase(recording)
    print(f"viewer: ingested the whole recording in {v['loadS']:.0f} s (time range {v['range']})")
    print(f"viewer memory before: {v['before']}")
    print(f"viewer memory holding {minutes:g} min: {v['after']}")
    print(f"viewer idle frame times: {describe(v['idle'])}")
    print(f"viewer frame times while scrubbing the time panel: {describe(v['scrub'])}")
    print(f"viewer click to second paint: {v['clickMs']:.0f} ms")


if __name__ == "__main__":
    main()
