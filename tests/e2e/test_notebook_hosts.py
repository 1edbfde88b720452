"""The quickstart notebook in a real JupyterLab and a real Notebook 7, offline, in real Chromium."""

from __future__ import annotations

import io
import tempfile
import uuid
from pathlib import Path

import pytest
from PIL import Image

from scripts.readme_pictures import save_pictures
from tests.browser import artifact, renderer_rss_mb
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    colourful_fraction,
    heap_mb,
    live_wasm_memory,
    mark_widgets_old,
    open_notebook,
    recorded_page,
    run_code_cell,
    run_python,
    wait_widget_ready,
    write_notebook,
)
from tests.e2e.quickstart_run import QUICKSTART, run_quickstart

# Notebook 7.6.5's own keyboard-shortcuts plugin throws this at start-up, with facescope
# uninstalled too (seen in notebook_core.js, `t.plugins[i].schema` of a plugin it never loaded).
UPSTREAM_ERRORS = {"notebook": {"pageerror: Cannot read properties of undefined (reading 'schema')"}}


CALIBRATION_CHECK = (
    "c = scope.blendshapes_calibrated(baseline=(0, 0.5)).drop(columns='time'); "
    "raw = scope.blendshapes.drop(columns='time'); "
    "table = scores[most_active].groupby(level='face_id').agg(['mean', 'max']); "
    "print(float(c[scope.blendshapes['time'] < 0.5].mean().abs().max()), float((c - raw).abs().max().max()), *table.shape)"
)


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_quickstart_runs_all_cells_offline_with_viewer_and_figures(playwright, app, measure, tmp_path):
    """Run All on the quickstart: the viewer inline, the DataFrame, two matplotlib figures and the
    summary table; in JupyterLab also the README's pictures from this same run (scripts/readme_pictures.py)."""
    with jupyter_server(app, [QUICKSTART]) as base, recorded_page(playwright) as (page, record):
        open_notebook(page, base, app, QUICKSTART.name)
        run = run_quickstart(page)
        widget = page.locator(".facescope").first
        widget.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # let the viewer paint a few frames
        page.screenshot(path=artifact(f"quickstart-{app}.png"))
        viewer_png = widget.locator(".facescope-viewer").screenshot(path=artifact(f"viewer-{app}.png"))
        summary = run_python(page, "print(scope.summary['frames'], scope.summary['frames_with_faces'])")
        # The calibrated curves are the raw ones minus each face's rest (≈ 0 over the baseline span),
        # and the summary table has a row per face and mean/max of five categories.
        calibration = run_python(page, CALIBRATION_CHECK)
        pictures = save_pictures(page, run.figures[0], tmp_path) if app == "lab" else ()
    measure(f"quickstart in {app}: {run.status}")
    assert "grid_4speakers.mp4: 300 frames, 1 face" in run.status, run.status
    assert "300 rows × 53 columns" in run.table, run.table
    frames, with_faces = map(int, summary.split())
    assert frames == 300 and with_faces >= 290, summary
    # The figures are real plots: wide PNGs with coloured curves on them, not blank canvases.
    for png in run.figures + run.calibrated_figures:
        image = Image.open(io.BytesIO(png))
        assert image.width > 500 and image.height > 150, image.size
        assert colourful_fraction(png) > 0.003, "a figure without coloured curves"
    assert "mean" in run.summary and "max" in run.summary, run.summary
    rest, moved, rows, columns = calibration.split()
    assert float(rest) < 1e-4 and float(moved) > 0.01, calibration
    assert (int(rows), int(columns)) == (1, 10), calibration
    assert colourful_fraction(viewer_png) > 0.05, "the viewer shows no analysed video"
    for picture in pictures:
        assert 5_000 < picture.stat().st_size <= 300_000, (picture, picture.stat().st_size)
        assert Image.open(picture).format == "WEBP"
    assert record.foreign_requests(base) == []
    assert [e for e in record.errors if e not in UPSTREAM_ERRORS.get(app, set())] == []
    assert any("/lab/extensions/facescope/app/facescope-app.js" in u for u in record.requests)
    assert any(u.endswith(".wasm") and "/facescope/app/" in u for u in record.requests)


def _page_memory(page, cdp, tag: str) -> dict:
    usage = heap_mb(cdp)
    usage.update(live_wasm_memory(cdp))
    usage["rendererRss"] = renderer_rss_mb(tag)
    usage["canvases"] = page.evaluate("document.querySelectorAll('.facescope-viewer canvas').length")
    usage["domNodes"] = page.evaluate("document.getElementsByTagName('*').length")
    return usage


THREE_WIDGETS = "from facescope import FaceScope\nthree = [FaceScope(height=300) for _ in range(3)]\ndisplay(*three)"


def test_rerunning_the_widget_cell_does_not_grow_memory(playwright, measure):
    """Each re-run disposes the old view: its viewer stops and its wasm memory is freed. Then three
    widgets at once, re-run too: three viewers, no more."""
    runs = 20
    tag = f"facescope-memory-test-{uuid.uuid4().hex}"
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        nb = write_notebook(
            Path(tmp) / "memory.ipynb", ["from facescope import FaceScope\nscope = FaceScope()\nscope", THREE_WIDGETS]
        )
        with (
            jupyter_server("lab", [nb]) as base,
            recorded_page(playwright, height=1600, args=(f"--{tag}",)) as (page, _),
        ):
            cdp = page.context.new_cdp_session(page)
            open_notebook(page, base, "lab", nb.name)
            for i in range(runs):
                mark_widgets_old(page)
                run_code_cell(page, 0)
                wait_widget_ready(page)
                page.wait_for_function("document.querySelectorAll('.facescope').length === 1")
                page.wait_for_timeout(500)
                samples.append(_page_memory(page, cdp, tag))
                measure(f"widget cell run {i + 1:2d}: {samples[-1]}")
            three = []
            for i in range(3):
                mark_widgets_old(page)
                run_code_cell(page, 1)
                page.wait_for_function(
                    "document.querySelectorAll('.facescope:not([data-old])[data-state=\"idle\"]').length === 3"
                    " && document.querySelectorAll('.facescope').length === 4",
                    timeout=180_000,
                )
                page.wait_for_timeout(500)
                three.append(_page_memory(page, cdp, tag))
                measure(f"three widgets at once, run {i + 1}: {three[-1]}")
    assert all(s["canvases"] == 1 for s in samples), "an old viewer canvas was left behind"
    # The page's other wasm users stay constant; a leaked view would add one viewer each run.
    assert samples[-1]["wasmInstances"] == samples[0]["wasmInstances"], samples
    assert samples[-1]["wasmMemories"] == samples[0]["wasmMemories"], samples
    # Growth after warm-up: one leaked viewer alone would hold tens of MB of wasm memory.
    first, last = samples[1], samples[-1]
    growth = {k: round(last[k] - first[k], 1) for k in first if k not in ("canvases", "wasmInstances", "wasmMemories")}
    measure(f"growth from run 2 to run {runs}: {growth} (MB; domNodes in nodes)")
    assert growth["usedSize"] < 20, growth
    assert samples[0]["rendererRss"] > 0, "could not find the renderer process"
    assert growth["rendererRss"] < 150, growth
    assert growth["wasmMemoryMb"] < 1, growth
    assert growth["domNodes"] < 500, growth  # a leaked widget's DOM alone is hundreds of nodes
    # Three widgets: three viewers (the first cell's one stays), and re-running keeps it at that.
    assert all(t["canvases"] == 4 for t in three), three
    assert [t["wasmInstances"] - samples[-1]["wasmInstances"] for t in three] == [3, 3, 3], three
    assert three[-1]["wasmMemoryMb"] - three[0]["wasmMemoryMb"] < 1, three
    assert three[-1]["usedSize"] - three[0]["usedSize"] < 20, three
