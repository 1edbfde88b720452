"""Start-up benchmark per host: from running the cell to the viewer on screen and to the first
analysed frame, with an empty browser (first load) and again with the same browser profile (cached).

    .venv/bin/python scripts/bench_hosts.py [--runs 2]

Hosts measured here, each with a real server, kernel and Chromium:
- JupyterLab, the labextension route (the app and its wasm from the Jupyter server);
- JupyterLab with its page config removed, the route of VS Code, Colab, marimo and classic Notebook
  (the app's files over the kernel's channel, then from the browser's IndexedDB).
Numbers only, nothing asserted; goals (issue 13): cached ≤ 3 s, first load over the channel ≤ 10 s.
Chromium is driven over bare DevTools (scripts/cdp_page.py): Playwright slows WebSockets ~4×.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from cdp_page import CdpPage  # noqa: E402

from tests.browser import MEDIA  # noqa: E402
from tests.e2e.jupyter_server import jupyter_server  # noqa: E402
from tests.e2e.notebook_page import NOTEBOOK_URL, write_notebook  # noqa: E402

CLIP = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
WIDGET = ".facescope:not([data-old])"

# Resolves, on the page's clock, when the widget leaves "loading" (its viewer is up) and when its
# first frame is analysed (the progress bar moves, or the short clip is already done).
TIMES = (
    """async () => {
  const t0 = window.__benchStart;
  const until = (f) => new Promise((ok) => { const poll = () => f() ? ok(performance.now() - t0) : setTimeout(poll, 10); poll(); });
  const widget = () => document.querySelector('WIDGET_SELECTOR');
  const viewer = await until(() => { const s = widget()?.dataset.state; return s && s !== 'loading'; });
  const frame = await until(() => (widget()?.querySelector('progress')?.value ?? 0) >= 1 || widget()?.dataset.state === 'done');
  return [viewer / 1000, frame / 1000];
}"""
).replace("WIDGET_SELECTOR", WIDGET)  # JavaScript is all braces: no .format, no f-string


def measure(base: str, name: str, profile: str, via_kernel: bool) -> tuple[float, float]:
    with CdpPage.open(base + NOTEBOOK_URL["lab"].format(name=name), profile=profile) as page:
        page.open_notebook()
        if via_kernel:
            page.evaluate("() => document.getElementById('jupyter-config-data').remove()")
        page.evaluate("() => { window.__benchStart = performance.now(); }")
        page.run_code_cell(0)
        viewer, frame = page.evaluate(TIMES)
        page.wait_for(f"document.querySelector('{WIDGET}')?.dataset.state === 'done'", 300_000)
        return viewer, frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="first/cached pairs per host (medians printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        notebook = write_notebook(
            Path(tmp) / "bench_hosts.ipynb",
            [f"from facescope import FaceScope\nscope = FaceScope({str(CLIP)!r})\nscope"],
        )
        rows = []
        with jupyter_server("lab", [notebook], expose_app=True) as base:
            for host, via_kernel in (("JupyterLab (labextension)", False), ("no page config (kernel channel)", True)):
                first, cached = [], []
                for _ in range(args.runs):
                    with tempfile.TemporaryDirectory(
                        prefix="facescope-profile-", ignore_cleanup_errors=True
                    ) as profile:
                        first.append(measure(base, notebook.name, profile, via_kernel))
                        cached.append(measure(base, notebook.name, profile, via_kernel))
                rows.append((host, first, cached))
    print(f"\nstart-up per host, {CLIP.name}, medians of {args.runs} (seconds from running the cell)")
    print(f"{'host':34} {'first: viewer':>14} {'first frame':>12} {'cached: viewer':>15} {'first frame':>12}")
    for host, first, cached in rows:
        med = lambda runs, i: statistics.median(r[i] for r in runs)  # noqa: E731
        print(f"{host:34} {med(first, 0):14.2f} {med(first, 1):12.2f} {med(cached, 0):15.2f} {med(cached, 1):12.2f}")


if __name__ == "__main__":
    main()
