"""The two-way notebook in a real JupyterLab: the viewer's cursor reaches Python while a cell awaits,
Python moves the viewer's cursor, and a series logged from pandas is in the saved recording (read
back with Rerun's own reader) with its values at their frames."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from rerun.experimental import RrdReader

from tests.browser import MEDIA
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    open_notebook,
    output_line,
    recorded_page,
    run_all_cells,
    run_code_cell,
    write_notebook,
)
from tests.rerun_newest import check_with_newest_sdk

CLIP = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"  # 75 frames, one face

# The viewer of the (only) widget, through the debug hook render.ts installs when the page asks.
VIEWER = "(() => { const v = document.querySelector('.facescope').facescopeDebug.viewer(); return [v, v.get_active_recording_id()]; })()"

WAIT_FRAME_40 = """import asyncio
for _ in range(300):  # the cursor arrives as a custom message while this cell awaits
    if scope.frame_idx == 40:
        break
    await asyncio.sleep(0.1)
print('CURSOR', scope.frame_idx, round(scope.time, 3), scope.cursor['timeline'], len(scope.at_cursor()))"""

LOG_SMILE = """smile = scope.blendshapes['mouthSmileLeft'].xs(0, level='face_id').rolling(5, center=True).mean()
scope.log_series('smile_smooth', smile)
await scope.custom_written(timeout=60)
path = scope.save_rrd(rrd_path)
print('SMILE', json.dumps({int(k): float(v) for k, v in smile.dropna().items()}))"""


def smile_series(chunks) -> dict[int, float]:
    """``custom/smile_smooth``'s Scalars in Rerun's chunks: frame_idx → value."""
    logged: dict[int, float] = {}
    for chunk in chunks:
        if chunk.entity_path != "/custom/smile_smooth":
            continue
        batch = chunk.to_record_batch()
        scalars = next(f.name for f in batch.schema if (f.metadata or {}).get(b"rerun:component") == b"Scalars:scalars")
        frames = batch.column(batch.schema.get_field_index("frame_idx")).to_pylist()
        values = batch.column(batch.schema.get_field_index(scalars)).to_pylist()
        for f, v in zip(frames, values, strict=True):
            logged[int(f)] = float(v[0])
    return logged


def test_cursor_both_ways_and_a_logged_series_in_the_saved_recording(playwright):
    with tempfile.TemporaryDirectory() as tmp:
        rrd = Path(tmp) / "two_way.rrd"
        nb = write_notebook(
            Path(tmp) / "two_way.ipynb",
            [
                f"import json\nfrom facescope import FaceScope\nrrd_path = {str(rrd)!r}\n"
                f"scope = FaceScope({str(CLIP)!r}, height=500)\nscope",
                "res = await scope.analyzed(timeout=300)\nprint('DONE', res.frames)",
                WAIT_FRAME_40,
                "scope.seek(frame_idx=20)\nprint('SEEK1 sent')",
                "scope.seek(1.0)\nprint('SEEK2 sent')",
                LOG_SMILE,
            ],
        )
        with jupyter_server("lab", [nb]) as base, recorded_page(playwright, height=1200) as (page, record):
            page.add_init_script("window.facescopeDebug = true")
            open_notebook(page, base, "lab", nb.name)
            run_code_cell(page, 0)
            run_code_cell(page, 1)
            assert output_line(page, 1, "DONE") == "75"

            # Cursor → Python: the viewer's own API moves its cursor; a cell that awaits sees it.
            run_code_cell(page, 2)
            page.wait_for_timeout(500)  # the cell is awaiting before the cursor moves
            page.evaluate(
                f"() => {{ const [v, rid] = {VIEWER}; v.set_active_timeline(rid, 'frame_idx');"
                " v.set_current_time(rid, 'frame_idx', 40); }"
            )
            frame, seconds, timeline, faces = output_line(page, 2, "CURSOR", 60_000).split()

            # Python → cursor, read back through the viewer's API.
            run_code_cell(page, 3)
            output_line(page, 3, "SEEK1")
            page.wait_for_function(
                f"() => {{ const [v, rid] = {VIEWER}; return v.get_active_timeline(rid) === 'frame_idx'"
                " && v.get_current_time(rid, 'frame_idx') === 20; }",
                timeout=30_000,
            )
            run_code_cell(page, 4)
            output_line(page, 4, "SEEK2")
            page.wait_for_function(
                f"() => {{ const [v, rid] = {VIEWER}; return v.get_active_timeline(rid) === 'time'"
                " && Math.abs(v.get_current_time(rid, 'time') - 1e9) < 1e6; }",
                timeout=30_000,
            )

            run_code_cell(page, 5)
            smile = {int(k): v for k, v in json.loads(output_line(page, 5, "SMILE", 120_000)).items()}
            errors = list(record.errors)

        # The series from Rerun's own reader, by scanning the stream and by the footer's manifest
        # (`store()` loads only the chunks the manifest lists).
        entities = {c.entity_path for c in RrdReader(rrd).stream().to_chunks()}
        logged = smile_series(RrdReader(rrd).stream().to_chunks())
        store_chunks = list(RrdReader(rrd).store().stream().to_chunks())
        stored = {c.entity_path for c in store_chunks}
        from_manifest = smile_series(store_chunks)
        newest = check_with_newest_sdk(rrd, Path(tmp))  # its reader (manifest, then a scan), verify, migrate
        verified = subprocess.run(
            [str(Path(sys.executable).with_name("rerun")), "rrd", "verify", str(rrd)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "RERUN_ANALYTICS": "false"},
        )

    assert (int(frame), timeline, int(faces)) == (40, "frame_idx", 1)
    assert abs(float(seconds) - 40 / 25) < 0.05  # the clip runs at 25 fps
    assert "/blendshapes/0/mouthSmileLeft" in entities  # the analysis is still all there
    assert "/blendshapes/0/mouthSmileLeft" in stored and "/custom/smile_smooth" in stored
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert sorted(logged) == sorted(smile)
    assert np.allclose([logged[f] for f in sorted(smile)], [smile[f] for f in sorted(smile)], atol=1e-6)
    assert from_manifest == logged  # the manifest lists the custom chunks at their offsets
    assert newest["store_chunks"] == newest["scanned_chunks"] == len(store_chunks), newest
    assert not errors, errors


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "two_way.ipynb"

CHECK_EXAMPLE = """import asyncio
for _ in range(300):
    if scope.frame_idx == int(strongest.peak_frame):
        break
    await asyncio.sleep(0.1)
await scope.custom_written(timeout=60)
print('EXAMPLE', len(episodes), scope.frame_idx == int(strongest.peak_frame), sorted(scope._sync.custom.rrd))"""


def test_the_two_way_example_runs_and_ends_on_the_strongest_smile(playwright):
    notebook = json.loads(EXAMPLE.read_text())
    assert all(not c.get("outputs") for c in notebook["cells"] if c["cell_type"] == "code"), "commit it without outputs"
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    with tempfile.TemporaryDirectory() as tmp:
        nb = write_notebook(Path(tmp) / "two_way.ipynb", [*code, CHECK_EXAMPLE])
        with jupyter_server("lab", [nb]) as base, recorded_page(playwright, height=1200) as (page, record):
            open_notebook(page, base, "lab", nb.name)
            run_all_cells(page)  # as a user runs an example; no clicks into cells a growing viewer moves
            episodes, at_peak, written = output_line(page, len(code), "EXAMPLE", 300_000).split(" ", 2)
            errors = list(record.errors)
    assert int(episodes) >= 1
    assert at_peak == "True"  # the viewer's cursor moved there and came back to Python
    assert written == "['smile', 'smile_episodes']"
    assert not errors, errors


# marimo re-runs the second cell when `w.value` changes: the cursor traits are synced, so the
# kernel's copy of the viewer's cursor reaches a reactive cell.
MARIMO_NOTEBOOK = """import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    from facescope import FaceScope

    scope = FaceScope({clip!r}, height=420)
    w = mo.ui.anywidget(scope)
    w
    return mo, scope, w


@app.cell
def _(mo, scope, w):
    _traits = w.value
    mo.md(f"facescope-cursor: status={{scope.status}} frame={{scope.frame_idx}} traits={{_traits.get('frame_idx')}}")
    return


if __name__ == "__main__":
    app.run()
"""


def test_in_marimo_the_viewers_cursor_reaches_a_reactive_cell(playwright):
    from tests.e2e.marimo_host import marimo_server

    with marimo_server(CLIP, MARIMO_NOTEBOOK) as base, recorded_page(playwright, height=1100) as (page, record):
        page.add_init_script("window.facescopeDebug = true")
        page.goto(base)
        page.wait_for_function("() => /facescope-cursor: status=done/.test(document.body.innerText)", timeout=300_000)
        widget = page.locator(".facescope").first  # in marimo's shadow root; the locator pierces it
        widget.evaluate(
            "el => { const v = el.facescopeDebug.viewer(); const rid = v.get_active_recording_id();"
            " v.set_active_timeline(rid, 'frame_idx'); v.set_current_time(rid, 'frame_idx', 30); }"
        )
        try:
            page.wait_for_function(
                "() => /facescope-cursor: status=done frame=30 traits=30/.test(document.body.innerText)", timeout=60_000
            )
        finally:
            text = page.evaluate("() => document.body.innerText")
            print("MARIMO PAGE:", [line for line in text.splitlines() if "facescope-cursor" in line])
        errors = list(record.errors)
    assert not errors, errors
