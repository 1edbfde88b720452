"""Results in the kernel, end to end in a real JupyterLab: a clip analysed in the browser ends up in
pandas exactly, survives a busy kernel and a page reload, and two widgets keep to themselves."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from rerun.experimental import RrdReader

from tests.browser import MEDIA, artifact
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    colourful_fraction,
    open_notebook,
    output_line,
    recorded_page,
    run_code_cell,
    write_notebook,
)
from tests.headless.conftest import run_cli

FOUR = MEDIA / "a_talking_grid_4speakers.mp4"
S1 = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"


def test_a_clip_analysed_in_the_widget_reaches_pandas_whole(playwright, measure):
    with tempfile.TemporaryDirectory() as tmp:
        rrd = Path(tmp) / "scope.rrd"
        nb = write_notebook(
            Path(tmp) / "results.ipynb",
            [
                f"import time, numpy as np, facescope\nfrom facescope import FaceScope\nscope = FaceScope({str(FOUR)!r})\nscope",
                "before = scope.status\ntime.sleep(10)  # the kernel is busy while the browser analyses\n"
                "print('SLEPT', before, scope.status)",
                "results = await scope.analyzed()\nbs = scope.blendshapes\nscores = bs.drop(columns='time')\n"
                "print('ROWS', bs.shape, bs.index.get_level_values('frame_idx').is_unique, float(scores.min().min()), "
                "float(scores.max().max()), round(float(bs.eyeBlinkLeft.max()), 3), round(float(bs.eyeBlinkRight.max()), 3), "
                "scope._sync.refused)",
                f"ref = facescope.analyze({str(FOUR)!r})\nd = np.abs(ref.blendshapes.to_numpy() - bs.to_numpy())\n"
                "print('SAME', ref.blendshapes.shape, float(d.max()), bool((ref.blendshapes.index == bs.index).all()))",
                f"print('RRD', scope.save_rrd({str(rrd)!r}).stat().st_size)",
                # A viewer budget too small for this clip: the second widget shows every 4th frame's faces.
                f"other = FaceScope({str(S1)!r}, height=400, viewer_memory_mb=1)\nother",
                "await other.analyzed()\nprint('TWO', scope.blendshapes.shape, other.blendshapes.shape, "
                "scope.results.summary['file_name'], other.results.summary['file_name'])",
                "print('AFTER', scope.blendshapes.shape, other.blendshapes.shape, scope.status, other.status)",
            ],
        )
        with jupyter_server("lab", [nb]) as base, recorded_page(playwright, height=1400) as (page, record):
            open_notebook(page, base, "lab", nb.name)
            run_code_cell(page, 0)
            page.wait_for_selector('.facescope[data-state="analysing"]', timeout=120_000)
            page.wait_for_function(
                "() => /Analysing .*: \\d+ \\/ 300 frames/.test("
                "document.querySelector('.facescope-status')?.textContent ?? '')",
                timeout=120_000,
            )
            run_code_cell(page, 1)
            slept = output_line(page, 1, "SLEPT", 60_000)
            run_code_cell(page, 2)
            rows = output_line(page, 2, "ROWS")
            run_code_cell(page, 3)
            same = output_line(page, 3, "SAME")
            run_code_cell(page, 4)
            rrd_size = int(output_line(page, 4, "RRD"))
            run_code_cell(page, 5)
            run_code_cell(page, 6)
            two = output_line(page, 6, "TWO")

            # Reload the page: Python keeps everything, and each view rebuilds its viewer from the kernel.
            page.locator('[data-command="docmanager:save"]').first.click()
            page.wait_for_timeout(1500)
            page.reload()
            open_notebook(page, base, "lab", nb.name)
            page.wait_for_function(
                "() => document.querySelectorAll('.facescope[data-state=\"done\"][data-run]').length === 2",
                timeout=120_000,
            )
            first = page.locator(".facescope").first
            first.scroll_into_view_if_needed()
            for _ in range(30):  # the viewer ingests the restored recording, then draws it
                page.wait_for_timeout(1000)
                restored_png = first.locator(".facescope-viewer").screenshot(
                    path=artifact("results-restored-after-reload.png")
                )
                if colourful_fraction(restored_png) > 0.05:
                    break
            run_code_cell(page, 7)
            after = output_line(page, 7, "AFTER")
            statuses = [page.locator(".facescope-status").nth(i).inner_text() for i in range(2)]

        measure(f"kernel results: {rows}; facescope.analyze vs widget max |Δ| {same.split(')')[-1].split()[0]}")
        reader = RrdReader(rrd)
        entities = {chunk.entity_path for chunk in reader.stream().to_chunks()}
        # The saved file ends with Rerun's footer: verify checks it, and the reader loads from it.
        verified = subprocess.run(
            [str(Path(sys.executable).with_name("rerun")), "rrd", "verify", str(rrd)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "RERUN_ANALYTICS": "false"},
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            stored = sum(1 for _ in RrdReader(rrd).store().stream().to_chunks())

    assert slept.startswith("analysing"), slept  # the cell began while the browser was analysing
    shape, unique, low, high, blink_l, blink_r, refused = re.match(
        r"\((\d+, \d+)\) (True|False) (\S+) (\S+) (\S+) (\S+) (\[.*\])", rows
    ).groups()
    assert shape == "300, 53" and unique == "True", rows
    assert 0 <= float(low) and float(high) <= 1, rows
    assert float(blink_l) > 0.5 and float(blink_r) > 0.5, rows
    assert refused == "[]", rows
    ref_shape, max_diff, same_index = re.match(r"\((\d+, \d+)\) (\S+) (True|False)", same).groups()
    assert ref_shape == "300, 53" and same_index == "True", same
    assert float(max_diff) < 1e-3, same
    assert rrd_size > 100_000 and rrd.suffix == ".rrd"
    assert verified.returncode == 0, (verified.stdout + verified.stderr)[-3000:]
    assert stored > 0
    assert [r.application_id for r in reader.recordings()] == ["facescope"]
    assert {
        "/video",
        "/video/landmarker/faces/0/landmarks",
        "/reconstruction/faces/0",
        "/blendshapes/0/eyeBlinkLeft",
    } <= entities, sorted(entities)[:20]
    assert "(300, 53) (75, 53) a_talking_grid_4speakers.mp4 a_talking_grid_s1_bbaf2n.mp4" == two, two
    assert after == "(300, 53) (75, 53) done done", after
    assert "a_talking_grid_4speakers.mp4: 300 frames" in statuses[0], statuses
    # Python has all 75 frames (TWO above); the widget says what its viewer shows.
    assert statuses[1].endswith(
        "long clip: the viewer shows every 4th frame to fit its memory (Python has every frame)"
    ), statuses
    assert colourful_fraction(restored_png) > 0.05, "the viewer was not rebuilt after the reload"
    assert record.foreign_requests(base) == []
    assert record.errors == [], record.errors


def test_the_recording_of_facescope_analyze_opens_in_the_jupyterlab_viewer(playwright, tmp_path):
    cli = run_cli(S1, tmp_path / "out")
    assert cli.returncode == 0, cli.stderr
    nb = write_notebook(
        tmp_path / "open.ipynb",
        [
            f"import facescope\nscope = facescope.FaceScope(facescope.load({str(cli.out)!r}))\nscope",
            "print('ROWS', scope.blendshapes.shape, scope.status)",
        ],
    )
    with jupyter_server("lab", [nb]) as base, recorded_page(playwright, height=1100) as (page, record):
        open_notebook(page, base, "lab", nb.name)
        run_code_cell(page, 0)
        page.wait_for_selector('.facescope[data-state="done"][data-run]', timeout=120_000)
        viewer = page.locator(".facescope .facescope-viewer").first
        for _ in range(30):  # ingest, then draw
            page.wait_for_timeout(1000)
            png = viewer.screenshot(path=artifact("cli-recording-in-lab.png"))
            if colourful_fraction(png) > 0.05:
                break
        run_code_cell(page, 1)
        rows = output_line(page, 1, "ROWS")
        status = page.locator(".facescope-status").first.inner_text()
    assert colourful_fraction(png) > 0.05, "the viewer does not show the CLI's recording"
    assert rows == "(75, 53) done", rows
    assert "a_talking_grid_s1_bbaf2n.mp4: 75 frames, shown from Python" in status, status
    assert record.foreign_requests(base) == []
    assert record.errors == [], record.errors


def test_cancelling_keeps_the_frames_analysed_so_far_in_python_and_in_the_viewer(playwright, tmp_path):
    nb = write_notebook(
        tmp_path / "cancel.ipynb",
        [
            f"from facescope import FaceScope\nscope = FaceScope({str(FOUR)!r})\nscope",
            "r = await scope.analyzed()\nprint('ROWS', scope.blendshapes.shape[0], r.summary['cancelled'], "
            "scope.blendshapes.index.get_level_values('frame_idx').max())",
        ],
    )
    with jupyter_server("lab", [nb]) as base, recorded_page(playwright, height=1100) as (page, record):
        open_notebook(page, base, "lab", nb.name)
        run_code_cell(page, 0)
        page.wait_for_function(
            "() => { const m = /: (\\d+) \\/ 300 frames/.exec("
            "document.querySelector('.facescope-status')?.textContent ?? ''); return m && +m[1] >= 40; }",
            timeout=180_000,
        )
        page.locator(".facescope-cancel").click()
        page.wait_for_selector('.facescope[data-state="done"]', timeout=60_000)
        status = page.locator(".facescope-status").first.inner_text()
        run_code_cell(page, 1)
        rows = output_line(page, 1, "ROWS")
        viewer = page.locator(".facescope .facescope-viewer").first
        png = viewer.screenshot(path=artifact("cancelled-analysis.png"))
    done = int(re.match(r"Cancelled after (\d+) of 300 frames", status).group(1))
    assert 40 <= done < 300, status
    assert rows == f"{done} True {done - 1}", (rows, status)
    assert colourful_fraction(png) > 0.05, "the viewer lost what was analysed"
    assert record.errors == [], record.errors
