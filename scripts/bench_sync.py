"""Kernel sync benchmark: how fast results and recordings travel from the widget to the kernel.

    .venv/bin/python scripts/bench_sync.py [--minutes 10]

In a real JupyterLab with a real kernel and Chromium:
1. The bench clip (12 s, 300 frames) is analysed in the widget; printed: the delay from the
   browser ending the run to `scope.blendshapes` being complete in the kernel.
2. The transport alone, through the real RunSender → widget messages → WidgetSync path: the bench
   clip's run replayed as fast as the page can send it (frames looped for the 10-minute clip, with
   the recording bytes per frame the real analysis produced); printed: MB/s and the same delay.
Numbers only, nothing asserted. Targets (issue 5): ≥ 50 MB/s, < 1 s delay for the 12 s clip.
Chromium is driven over bare DevTools (scripts/cdp_page.py), not Playwright: Playwright's network
instrumentation copies every WebSocket frame and caps the kernel link at a quarter of its speed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from cdp_page import CdpPage  # noqa: E402

from tests.browser import MEDIA  # noqa: E402
from tests.e2e.jupyter_server import jupyter_server  # noqa: E402
from tests.e2e.notebook_page import NOTEBOOK_URL, write_notebook  # noqa: E402

CLIP = MEDIA / "bench" / "grid_640x360_h264.mp4"

# Sends `frames` synthetic one-face frames (the codec's size per face does not depend on the values)
# in commits of 30, and `recordingPerFrame` bytes of recording per commit, through the view's link.
REPLAY = """async ({frames, recordingPerFrame}) => {
  const { link, model } = document.querySelector('.facescope').facescopeDebug;
  const frame = (i) => ({ index: i, timestampUs: i * 40000, width: 640, height: 360,
    detections: { count: 1, boxesPx: new Float32Array(4), scores: new Float32Array(1),
                  keypointsNorm: new Float32Array(12), faceIds: new Int32Array(1) },
    faces: { count: 1, ids: new Int32Array(1), landmarksNorm: new Float32Array(478 * 3).fill(0.5),
             blendshapes: new Float32Array(52).fill(i % 100 / 100), matrices: new Float32Array(16),
             headPoseDeg: new Float32Array(3), boxesNorm: new Float32Array(4) },
    timings: { decodeMs: 0, detectorMs: 0, landmarkerMs: 0, postMs: 0 } });
  const stream = (n) => { const s = new Uint8Array(12 + n); s.set([0x52, 0x52, 0x46, 0x32, 0, 33, 0, 0, 0, 2, 0, 0]); return s; };
  // Start on a quiet page: the viewer may still be taking in the analysis before.
  for (let calm = 0; calm < 1000;) {
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 50));
    calm = performance.now() - t < 70 ? calm + 50 : 0;
  }
  const t0 = performance.now();
  const startedAt = Date.now();
  const sender = link.startRun('replay.mp4', null);
  sender.recording(stream(64));
  for (let at = 0; at < frames; at += 30) {
    const batch = [];
    for (let i = at; i < Math.min(frames, at + 30); i++) batch.push(frame(i));
    sender.results(batch);
    sender.recording(stream(recordingPerFrame * batch.length));
    if (at % 3000 === 0) await new Promise((r) => setTimeout(r, 0));
  }
  const sentMs = performance.now() - t0;
  sender.end({ summary: { fileName: 'replay.mp4', frames }, error: null, cancelled: false });
  const endedAt = Date.now();
  await sender.completed;
  return { bytes: sender.stats.bytes, resent: sender.stats.resent, sentMs, totalMs: performance.now() - t0, endedAt, startedAt };
}"""

# The channel itself, as a baseline: messages of RAW_MB MiB straight through model.send, nothing
# acknowledged and nothing decoded; the kernel counts them (RAW_CELL) and stamps the last.
RAW = """async ({count, mb}) => {
  const { model } = document.querySelector('.facescope').facescopeDebug;
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    model.send({ type: 'bench-raw', i }, undefined, [new Uint8Array(mb * 2 ** 20).fill(i % 251)]);
    if (i % 4 === 3) await new Promise((r) => setTimeout(r, 0));
  }
  return { t0 };
}"""
RAW_CELL = """import asyncio, time
raw = {'n': 0, 'bytes': 0, 'last': 0.0}
def _count(_widget, content, buffers):
    if isinstance(content, dict) and content.get('type') == 'bench-raw':
        raw['n'] += 1; raw['bytes'] += sum(len(b) for b in buffers); raw['last'] = time.time()
scope.on_msg(_count)
while raw['n'] < {count}:
    await asyncio.sleep(0.005)
scope.on_msg(_count, remove=True)
print('DONE', raw['last'] * 1000, raw['bytes'])"""
RAW_COUNT, RAW_MB = 40, 6

WATCH_RUN_END = """() => {
  const { model } = document.querySelector('.facescope').facescopeDebug;
  const send = model.send.bind(model);
  model.send = (content, callbacks, buffers) => {
    if (content && content.type === 'run-end') window.facescopeRunEndedAt = Date.now();
    return send(content, callbacks, buffers);
  };
}"""

# Waits for the analysis, then builds the DataFrame.
AWAIT_CELL = (
    "import asyncio, time\nr = await scope.analyzed()\nreturned = time.time()\nbs = scope.blendshapes\n"
    "t = scope._sync.run.times\nprint('DONE', time.time() * 1000, bs.shape[0], len(scope.results.recording), "
    "t['ended'] * 1000, t['completed'] * 1000, returned * 1000, r.summary.get('fps', 0))"
)
# Waits for the next run (the replay the page starts after this cell), then as above.
AWAIT_NEXT_CELL = AWAIT_CELL.replace(
    "r = ", "old = scope._sync.run\nwhile scope._sync.run is old:\n    await asyncio.sleep(0.005)\nr = "
)


def steps(done: list[str], browser_end: float) -> str:
    """The delay in steps: run-end reaching the kernel, the last part arriving, the DataFrame."""
    kernel_end, complete, returned, frame = float(done[3]), float(done[4]), float(done[5]), float(done[0])
    return (
        f"(run-end reaches the kernel {kernel_end - browser_end:.0f} ms, all parts {complete - browser_end:.0f} ms, "
        f"analyzed() returns {returned - max(complete, kernel_end):.0f} ms later, DataFrame built in {frame - returned:.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the long clip replayed")
    args = parser.parse_args()

    print(f"kernel sync benchmark ({CLIP.name}, then replays of 12 s and {args.minutes:g} min)")
    with tempfile.TemporaryDirectory() as tmp:
        nb = write_notebook(
            Path(tmp) / "bench.ipynb",
            [
                "from facescope import FaceScope\nscope = FaceScope()\nscope",
                f"scope.analyze({str(CLIP)!r})",
                AWAIT_CELL,
                AWAIT_NEXT_CELL,
                AWAIT_NEXT_CELL,
                RAW_CELL.replace("{count}", str(RAW_COUNT)),
            ],
        )
        with (
            jupyter_server("lab", [nb], expose_app=True) as base,
            CdpPage.open(base + NOTEBOOK_URL["lab"].format(name=nb.name)) as page,
        ):
            page.open_notebook()
            page.evaluate("() => { window.facescopeDebug = true; }")  # before the view renders
            page.run_code_cell(0)
            page.wait_for("document.querySelector('.facescope[data-state=\"idle\"]')")
            page.evaluate(WATCH_RUN_END)

            # 1. A real analysis of the 12 s clip.
            page.run_code_cell(1)
            page.run_code_cell(2)
            done = page.output_line(2, "DONE", 900_000).split()
            ended = page.evaluate("() => window.facescopeRunEndedAt")
            frames, recording = int(done[1]), int(done[2])
            print(
                f"  analysed in the widget: {frames} frames at {float(done[6]):.1f} fps, recording {recording / 2**20:.1f} MB; "
                f"browser end → DataFrame complete: {float(done[0]) - ended:.0f} ms {steps(done, ended)}"
            )
            per_frame = max(0, (recording - CLIP.stat().st_size) // max(frames, 1))  # minus the clip itself

            # 2. The transport alone, 12 s and the long clip.
            for cell, label, n in ((3, "12 s", 300), (4, f"{args.minutes:g} min", int(args.minutes * 60 * 25))):
                page.run_code_cell(cell)
                time.sleep(0.5)
                out = page.evaluate(REPLAY, {"frames": n, "recordingPerFrame": per_frame})
                done = page.output_line(cell, "DONE", 900_000).split()
                mb = out["bytes"] / 2**20
                # Throughput: first byte handed to the sender → the kernel holding every part (its clock).
                held_ms = float(done[4]) - out["startedAt"]
                long_mbs = mb / (held_ms / 1000)
                print(
                    f"  replay {label:>7}: {n} frames, {mb:.0f} MB handed to the sender in {out['sentMs']:.0f} ms, the kernel held "
                    f"them all after {held_ms:.0f} ms → {long_mbs:.0f} MB/s (the page heard so after {out['totalMs']:.0f} ms); "
                    f"resent {out['resent']}; browser end → DataFrame complete: {float(done[0]) - out['endedAt']:.0f} ms "
                    f"{steps(done, out['endedAt'])} ({done[1]} rows)"
                )
            # 3. The baseline: what the widget channel carries with nothing of ours on it.
            page.run_code_cell(5)
            time.sleep(0.5)
            t0 = page.evaluate(RAW, {"count": RAW_COUNT, "mb": RAW_MB})["t0"]
            done = page.output_line(5, "DONE", 900_000).split()
            raw_mbs = int(done[1]) / 2**20 / ((float(done[0]) - t0) / 1000)
            print(
                f"  baseline, the bare widget channel ({RAW_COUNT} messages of {RAW_MB} MiB, no acknowledgements): "
                f"{raw_mbs:.0f} MB/s; the {args.minutes:g} min replay reached {long_mbs / raw_mbs:.2f} of it"
            )
    print(json.dumps({"note": "targets: >= 50 MB/s, < 1000 ms delay for the 12 s clip"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
