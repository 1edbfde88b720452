"""Live camera benchmark: frames analysed per second against frames captured, at 640×480.

    .venv/bin/python scripts/bench_camera.py [--seconds 10]

In a real JupyterLab with a real kernel, Chromium's fake camera plays the talking clip at 640×480,
25 fps (tests/fake_camera.py) and `scope.record(seconds)` analyses it live in the widget. Printed:
the camera's rate, the analysis rate (frames analysed per second of camera time) and their ratio,
the frames kept in the recorded video, and the delay from the recording's end to the DataFrame
being complete in the kernel. Numbers only, nothing asserted. Chromium is driven over bare DevTools
(scripts/cdp_page.py): under Playwright the page runs slower (its instrumentation copies every
WebSocket frame).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from cdp_page import CdpPage  # noqa: E402

from tests.e2e.jupyter_server import jupyter_server  # noqa: E402
from tests.e2e.notebook_page import NOTEBOOK_URL, write_notebook  # noqa: E402
from tests.fake_camera import camera_args, make_camera_clip  # noqa: E402

REPORT = (
    "import json, time\nscope.record(seconds={seconds})\nr = await scope.analyzed()\n"
    "done = time.time() - scope._sync.run.times['ended']\ns = r.summary\n"
    "print('BENCH', json.dumps({{k: s[k] for k in ('capturedFrames', 'analysedFrames', 'recordedFrames', "
    "'recordedSeconds', 'captureFps', 'framesWithFaces')}} | {{'stageMs': s['stageMs'], 'kernelDelayS': "
    "(scope._sync.run.times['completed'] - scope._sync.run.times['ended']), 'rows': len(scope.blendshapes)}}))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=2, help="recordings in the same widget (the first warms up)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="facescope-bench-camera-") as tmp:
        clip = make_camera_clip(Path(tmp), seconds=12.0, start=0.0)
        cells = ["from facescope import FaceScope\nscope = FaceScope(height=520)\nscope"]
        cells += [REPORT.format(seconds=args.seconds)] * args.runs
        nb = write_notebook(Path(tmp) / "bench_camera.ipynb", cells)
        with (
            jupyter_server("lab", [nb], expose_app=True) as base,
            CdpPage.open(base + NOTEBOOK_URL["lab"].format(name=nb.name), args=tuple(camera_args(clip))) as page,
        ):
            page.open_notebook()
            page.run_code_cell(0)
            page.wait_for("document.querySelector('.facescope[data-state=\"idle\"]')")
            print(
                f"live camera, 640×480 fake camera (25 fps), {args.seconds:g} s recordings in JupyterLab "
                "(headless Chromium, software GL):"
            )
            for run in range(args.runs):
                page.run_code_cell(run + 1)
                b = json.loads(page.output_line(run + 1, "BENCH", 300_000))
                seconds = b["recordedSeconds"] or 1
                analysed_fps = b["analysedFrames"] / seconds
                print(
                    f"  run {run + 1}: captured {b['capturedFrames']} frames ({b['captureFps']:.1f} fps), "
                    f"analysed {b['analysedFrames']} ({analysed_fps:.1f} fps, {analysed_fps / max(b['captureFps'], 1e-9):.0%} "
                    f"of captured), video {b['recordedFrames']} frames, faces in {b['framesWithFaces']}; "
                    f"detector {b['stageMs']['detector']:.1f} ms, landmarker {b['stageMs']['landmarker']:.1f} ms; "
                    f"kernel complete {b['kernelDelayS']:.2f} s after the end",
                    flush=True,
                )


if __name__ == "__main__":
    main()
