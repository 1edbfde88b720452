"""The two-way notebook in a real JupyterLab: the viewer's cursor reaches Python while a cell awaits,
Python moves the viewer's cursor, and a series logged from pandas is in the saved recording (read
back with Rerun's own reader) with its values at their frames."""

from __future__ import annotations

import base64
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
here, ref = scope.at_cursor(), scope.blendshapes.xs(40, level='frame_idx')
print('CURSOR', scope.frame_idx, round(scope.time, 3), scope.cursor['timeline'], len(here),
      here[ref.columns].equals(ref), round(float(here.loc[0, 'jawOpen']), 6), round(float(ref.loc[0, 'jawOpen']), 6))"""

# Each waits for the kernel's copy of the viewer's playback state, which only the play/pause events carry
# when no time_update follows.
PLAY = """import asyncio
scope.seek(frame_idx=0)
scope.play()
for _ in range(300):
    if scope.cursor.get('playing'):
        break
    await asyncio.sleep(0.05)
print('PLAYING', scope.cursor.get('playing'))"""
PAUSE = """scope.pause()
for _ in range(300):
    if not scope.cursor.get('playing'):
        break
    await asyncio.sleep(0.1)
print('PAUSED', scope.cursor.get('playing'))"""

LOG_SMILE = """import pandas as pd
smile = scope.blendshapes['mouthSmileLeft'].xs(0, level='face_id').rolling(5, center=True).mean()
scope.log_series('smile_smooth', smile)
scope.log_events(pd.DataFrame({'start': [0.4, 2.0], 'end': [1.2, 2.4], 'label': ['smile', 'blink']}), name='episodes')
await scope.custom_written(timeout=60)
path = scope.save_rrd(rrd_path)
print('SMILE', json.dumps({int(k): float(v) for k, v in smile.dropna().items()}))"""

# Logged again after a clear: the live viewer must show only the new values (the capture hook below
# records what the viewer gets), the saved file has them under the name's own path.
RELOG = """scope.clear_custom('smile_smooth')
scope.log_series('smile_smooth', smile * 2)
await scope.custom_written(timeout=60)
scope.save_rrd(rrd_after_clear)
print('RELOG done')"""

# Every RRD stream the viewer gets from now on, through its channel class's own send_rrd.
CAPTURE = """() => { const [v, rid] = VIEWER; const probe = v.open_channel('facescope-test-probe');
  const proto = Object.getPrototypeOf(probe); probe.close(); window.viewerGot = [];
  const send = proto.send_rrd; proto.send_rrd = function (bytes) { window.viewerGot.push(bytes.slice()); return send.call(this, bytes); }; }"""
CAPTURED = """() => window.viewerGot.map((b) => { let s = ''; for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000)); return btoa(s); })"""


def component_rows(chunks, entity: str, component: str) -> list[tuple[int | None, list]]:
    """(frame_idx or None if static, values) of each row of ``component`` on ``entity``, in Rerun's chunks."""
    rows = []
    for chunk in chunks:
        if chunk.entity_path != entity:
            continue
        batch = chunk.to_record_batch()
        column = next(
            (f.name for f in batch.schema if (f.metadata or {}).get(b"rerun:component") == component.encode()), None
        )
        if column is None:
            continue
        values = batch.column(batch.schema.get_field_index(column)).to_pylist()
        frames = (
            batch.column(batch.schema.get_field_index("frame_idx")).to_pylist()
            if "frame_idx" in batch.schema.names
            else [None] * len(values)
        )
        rows += [(None if f is None else int(f), v) for f, v in zip(frames, values, strict=True)]
    return rows


def smile_series(chunks, entity: str = "/custom/smile_smooth") -> dict[int, float]:
    """``entity``'s Scalars in Rerun's chunks: frame_idx → value."""
    return {f: float(v[0]) for f, v in component_rows(chunks, entity, "Scalars:scalars") if f is not None}


def test_cursor_both_ways_and_a_logged_series_in_the_saved_recording(playwright):
    with tempfile.TemporaryDirectory() as tmp:
        rrd, after_clear = Path(tmp) / "two_way.rrd", Path(tmp) / "after_clear.rrd"
        nb = write_notebook(
            Path(tmp) / "two_way.ipynb",
            [
                f"import json\nfrom facescope import FaceScope\nrrd_path, rrd_after_clear = {str(rrd)!r}, {str(after_clear)!r}\n"
                f"scope = FaceScope({str(CLIP)!r}, height=500)\nscope",
                "res = await scope.analyzed(timeout=300)\nprint('DONE', res.frames)",
                WAIT_FRAME_40,
                "scope.seek(frame_idx=20)\nprint('SEEK1 sent')",
                "scope.seek(1.0)\nprint('SEEK2 sent')",
                PLAY,
                PAUSE,
                LOG_SMILE,
                RELOG,
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
            frame, seconds, timeline, faces, same, here_jaw, ref_jaw = output_line(page, 2, "CURSOR", 60_000).split()

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

            # play/pause: the viewer's own state, and the kernel's copy of it.
            run_code_cell(page, 5)
            page.wait_for_function(f"() => {{ const [v, rid] = {VIEWER}; return v.get_playing(rid); }}", timeout=30_000)
            playing = output_line(page, 5, "PLAYING", 60_000)
            run_code_cell(page, 6)
            page.wait_for_function(
                f"() => {{ const [v, rid] = {VIEWER}; return !v.get_playing(rid); }}", timeout=30_000
            )
            paused = output_line(page, 6, "PAUSED", 60_000)

            run_code_cell(page, 7)
            smile = {int(k): v for k, v in json.loads(output_line(page, 7, "SMILE", 120_000)).items()}

            page.evaluate(CAPTURE.replace("VIEWER", VIEWER))
            run_code_cell(page, 8)
            output_line(page, 8, "RELOG", 120_000)
            got = [base64.b64decode(b) for b in page.evaluate(CAPTURED)]
            errors = list(record.errors)

        # The series from Rerun's own reader, by scanning the stream and by the footer's manifest
        # (`store()` loads only the chunks the manifest lists).
        entities = {c.entity_path for c in RrdReader(rrd).stream().to_chunks()}
        logged = smile_series(RrdReader(rrd).stream().to_chunks())
        store_chunks = list(RrdReader(rrd).store().stream().to_chunks())
        stored = {c.entity_path for c in store_chunks}
        from_manifest = smile_series(store_chunks)
        events = sorted(component_rows(store_chunks, "/custom/episodes", "TextLog:text"))
        newest = check_with_newest_sdk(rrd, Path(tmp))  # its reader (manifest, then a scan), verify, migrate
        verified = subprocess.run(
            [str(Path(sys.executable).with_name("rerun")), "rrd", "verify", str(rrd)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "RERUN_ANALYTICS": "false"},
        )
        # What the live viewer got for the clear and the new log, and the file saved after them.
        viewer_chunks = []
        for i, stream in enumerate(got):
            (Path(tmp) / f"viewer_{i}.rrd").write_bytes(stream)
            viewer_chunks += RrdReader(Path(tmp) / f"viewer_{i}.rrd").stream().to_chunks()
        hidden = component_rows(viewer_chunks, "/custom/smile_smooth", "Scalars:scalars")
        shown_again = smile_series(viewer_chunks, "/custom/smile_smooth\\~2")  # Rerun escapes the "~"
        after_chunks = list(RrdReader(after_clear).store().stream().to_chunks())
        saved_again = smile_series(after_chunks)
        after_entities = {c.entity_path for c in after_chunks}

    assert (int(frame), timeline, int(faces)) == (40, "frame_idx", 1)
    assert abs(float(seconds) - 40 / 25) < 0.05  # the clip runs at 25 fps
    assert same == "True" and here_jaw == ref_jaw, (same, here_jaw, ref_jaw)  # at_cursor: frame 40's rows
    assert (playing, paused) == ("True", "False")
    assert "/blendshapes/0/mouthSmileLeft" in entities  # the analysis is still all there
    assert "/blendshapes/0/mouthSmileLeft" in stored and "/custom/smile_smooth" in stored
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert sorted(logged) == sorted(smile)
    assert np.allclose([logged[f] for f in sorted(smile)], [smile[f] for f in sorted(smile)], atol=1e-6)
    assert from_manifest == logged  # the manifest lists the custom chunks at their offsets
    assert newest["store_chunks"] == newest["scanned_chunks"] == len(store_chunks), newest
    # log_events: a line at each event's start frame and one at its end frame (25 fps).
    assert events == [
        (10, ["smile starts (0.40–1.20 s)"]),
        (30, ["smile ends"]),
        (50, ["blink starts (2.00–2.40 s)"]),
        (60, ["blink ends"]),
    ], events
    # clear_custom in the live viewer: one static, empty Scalars row on the old path, which shadows
    # every frame of it in the viewer's plots and latest-at views alike; the new values on a fresh path.
    assert hidden == [(None, [])], hidden
    assert sorted(shown_again) == sorted(smile), {c.entity_path for c in viewer_chunks}
    assert np.allclose([shown_again[f] for f in sorted(smile)], [2 * smile[f] for f in sorted(smile)], atol=1e-6)
    assert sorted(saved_again) == sorted(smile) and "/custom/smile_smooth\\~2" not in after_entities
    assert np.allclose([saved_again[f] for f in sorted(smile)], [2 * smile[f] for f in sorted(smile)], atol=1e-6)
    assert "/custom/episodes" in after_entities  # a clear of one name leaves the others
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


# marimo re-runs the reactive cells when `w.value` changes: the cursor traits are synced, so the
# kernel's copy of the viewer's cursor reaches them. `marimo run` has no cells to type into, so the
# third cell acts on what it sees: at frame 30 it logs a series and seeks to frame 20; once the
# kernel holds the view's copy of the series, at a cursor change it saves the recording.
MARIMO_NOTEBOOK = """import marimo

app = marimo.App()


@app.cell
def _():
    import json

    import marimo as mo
    from facescope import FaceScope

    scope = FaceScope({clip!r}, height=420)
    w = mo.ui.anywidget(scope)
    done = set()
    w
    return done, json, mo, scope, w


@app.cell
def _(mo, scope, w):
    _traits = w.value
    mo.md(f"facescope-cursor: status={{scope.status}} frame={{scope.frame_idx}} traits={{_traits.get('frame_idx')}} time={{scope.time!r}}")
    return


@app.cell
def _(done, json, mo, scope, w):
    _traits = w.value
    if scope.status == "done" and scope.frame_idx == 30 and "sent" not in done:
        done.add("sent")
        _smile = scope.blendshapes["mouthSmileLeft"].xs(0, level="face_id").rolling(5, center=True).mean()
        open(RRD_PATH + ".json", "w").write(json.dumps({{int(k): float(v) for k, v in _smile.dropna().items()}}))
        scope.log_series("smile_smooth", _smile)
        scope.seek(frame_idx=20)
    elif "sent" in done and "saved" not in done and "smile_smooth" in scope._sync.custom.rrd:
        done.add("saved")
        scope.save_rrd(RRD_PATH)
    mo.md(f"facescope-two-way: {{' '.join(sorted(done)) or 'waiting'}}")
    return


if __name__ == "__main__":
    app.run()
"""

# The viewer of the widget in marimo's shadow root (the locator pierces it).
MARIMO_VIEWER = "el => { const v = el.facescopeDebug.viewer(); return [v, v.get_active_recording_id()]; }"


def test_in_marimo_the_cursor_goes_both_ways_and_a_logged_series_is_saved(playwright):
    from tests.e2e.marimo_host import marimo_server

    with tempfile.TemporaryDirectory() as tmp:
        rrd = Path(tmp) / "marimo.rrd"
        notebook = MARIMO_NOTEBOOK.replace("RRD_PATH", repr(str(rrd)))
        with marimo_server(CLIP, notebook) as base, recorded_page(playwright, height=1100) as (page, record):
            page.add_init_script("window.facescopeDebug = true")
            page.goto(base)
            page.wait_for_function(
                "() => /facescope-cursor: status=done/.test(document.body.innerText)", timeout=300_000
            )
            widget = page.locator(".facescope").first

            def move_cursor(frame: int) -> None:
                widget.evaluate(
                    f"el => {{ const [v, rid] = ({MARIMO_VIEWER})(el); v.set_active_timeline(rid, 'frame_idx');"
                    f" v.set_current_time(rid, 'frame_idx', {frame}); }}"
                )

            move_cursor(30)
            try:
                page.wait_for_function(
                    "() => /facescope-cursor: status=done frame=30 traits=30 time=1\\.2\\d*/.test(document.body.innerText)",
                    timeout=60_000,
                )
                # Python's seek, read back through the viewer's own API.
                widget.evaluate(
                    f"el => new Promise((resolve, reject) => {{ const t0 = Date.now(); const poll = () => {{"
                    f" const [v, rid] = ({MARIMO_VIEWER})(el); if (v.get_current_time(rid, 'frame_idx') === 20) resolve();"
                    " else if (Date.now() - t0 > 60000) reject(new Error('the viewer never reached frame 20'));"
                    " else setTimeout(poll, 100); }; poll(); })"
                )
                page.wait_for_function(
                    "() => /facescope-cursor: status=done frame=20 /.test(document.body.innerText)", timeout=60_000
                )
                # The save waits for the kernel to hold the view's copy of the series; a cursor change
                # re-runs the cell that saves.
                for frame in range(21, 60):
                    if "saved" in page.evaluate("() => document.body.innerText"):
                        break
                    move_cursor(frame)
                    page.wait_for_function(
                        f"() => /facescope-cursor: status=done frame={frame} /.test(document.body.innerText)",
                        timeout=60_000,
                    )
                page.wait_for_function(
                    "() => /facescope-two-way: saved sent/.test(document.body.innerText)", timeout=60_000
                )
            finally:
                text = page.evaluate("() => document.body.innerText")
                print("MARIMO PAGE:", [line for line in text.splitlines() if "facescope-" in line])
            errors = list(record.errors)
        smile = {int(k): v for k, v in json.loads(Path(str(rrd) + ".json").read_text()).items()}
        logged = smile_series(RrdReader(rrd).stream().to_chunks())
    assert smile and sorted(logged) == sorted(smile)
    assert np.allclose([logged[f] for f in sorted(smile)], [smile[f] for f in sorted(smile)], atol=1e-6)
    assert not errors, errors
