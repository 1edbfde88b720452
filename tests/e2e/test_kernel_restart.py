"""A kernel restart during an analysis, in a real JupyterLab: the widget says it is disconnected,
stops sending into the dead comm, nothing on the page fails, and a re-run cell works."""

from __future__ import annotations

import json
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.browser import MEDIA, artifact
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import open_notebook, output_line, recorded_page, run_code_cell, write_notebook

LONG = MEDIA / "a_talking_grid_4speakers.mp4"  # 300 frames: ~40 s in JupyterLab
S1 = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
DISCONNECTED = '.facescope[data-state="disconnected"]'


def _restart_through_the_api(base: str) -> None:
    """What another tab or a script does: the page itself is told nothing."""
    with urllib.request.urlopen(base + "api/sessions") as r:
        kernel = json.load(r)[0]["kernel"]["id"]
    request = urllib.request.Request(base + f"api/kernels/{kernel}/restart", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=60) as r:
        assert r.status == 200


def test_a_kernel_restart_during_analysis_disconnects_the_widget_cleanly(playwright, measure):
    with tempfile.TemporaryDirectory() as tmp:
        nb = write_notebook(
            Path(tmp) / "restart.ipynb",
            [
                f"from facescope import FaceScope\nscope = FaceScope({str(LONG)!r})\nscope",
                f"from facescope import FaceScope\nagain = FaceScope({str(S1)!r}, max_frames=10)\nagain",
                "r = await again.analyzed()\nprint('AGAIN', r.frames, again.status)",
                f"third = FaceScope({str(LONG)!r})\nthird",
            ],
        )
        with jupyter_server("lab", [nb]) as base, recorded_page(playwright, height=1600) as (page, record):
            sent_after: list[str] = []  # comm traffic the page sends once the widget says it is disconnected
            watching = {"on": False}

            def on_socket(ws) -> None:
                def frame(payload) -> None:
                    text = payload if isinstance(payload, str) else bytes(payload).decode("latin-1")
                    if watching["on"] and ("run-part" in text or "kernel-ping" in text or "run-end" in text):
                        sent_after.append(text[:80])

                ws.on("framesent", frame)

            page.on("websocket", on_socket)

            open_notebook(page, base, "lab", nb.name)
            run_code_cell(page, 0)
            page.wait_for_function(
                "() => { const m = /Analysing .*: (\\d+) \\/ 300 frames/.exec("
                "document.querySelector('.facescope-status')?.textContent ?? '');"
                " return m && +m[1] >= 20; }",
                timeout=180_000,
            )
            t0 = time.monotonic()
            page.locator('[data-command="notebook:restart-kernel"]').first.click()
            page.locator(".jp-Dialog .jp-mod-accept").click()
            page.wait_for_selector(DISCONNECTED, timeout=60_000)
            noticed_s = time.monotonic() - t0
            watching["on"] = True
            first = page.locator(".facescope").first
            message = first.locator(".facescope-status").inner_text()
            frames_at_stop = page.evaluate("document.querySelector('.facescope progress')?.value ?? null")
            page.wait_for_timeout(12_000)  # a resending sender would have tried again by now (5 s)
            still = first.get_attribute("data-state")
            picker_disabled = first.locator("input[type=file]").is_disabled()
            watching["on"] = False  # the next widgets talk to the new kernel
            first.scroll_into_view_if_needed()
            page.screenshot(path=artifact("kernel-restart-disconnected.png"))

            # The notebook goes on with the new kernel: a re-run cell analyses a clip.
            run_code_cell(page, 1)
            try:
                page.wait_for_function(
                    "() => document.querySelectorAll('.facescope').length === 2"
                    " && document.querySelectorAll('.facescope')[1].dataset.state === 'done'",
                    timeout=300_000,
                )
            except Exception as error:
                states = page.evaluate(
                    "[...document.querySelectorAll('.facescope')].map(w => [w.dataset.state,"
                    " w.querySelector('.facescope-status').textContent])"
                )
                raise AssertionError(f"the re-run widget did not finish: {states}; {record.errors}") from error
            run_code_cell(page, 2)
            again = output_line(page, 2, "AGAIN", 120_000)

            # A restart through the REST API (another tab, a script) tells the page nothing: the
            # widget's probe finds out while it analyses.
            run_code_cell(page, 3)
            page.wait_for_function(
                "() => /Analysing .*: \\d+ \\/ 300 frames/.test("
                "document.querySelectorAll('.facescope')[2]?.querySelector('.facescope-status')"
                "?.textContent ?? '')",
                timeout=300_000,
            )
            t1 = time.monotonic()
            _restart_through_the_api(base)
            page.wait_for_function(
                "() => document.querySelectorAll('.facescope')[2].dataset.state === 'disconnected'", timeout=90_000
            )
            rest_s = time.monotonic() - t1
            second = page.locator(".facescope").nth(2).locator(".facescope-status").inner_text()

    measure(
        f"kernel restart from JupyterLab's toolbar: the widget said so after {noticed_s:.1f} s (progress bar at "
        f"{frames_at_stop}); through the REST API: after {rest_s:.1f} s"
    )
    assert "Disconnected from the kernel" in message and "re-run the cell" in message, message
    assert "The analysis stopped; the viewer keeps what was analysed" in message, message
    assert still == "disconnected" and picker_disabled
    assert sent_after == [], sent_after  # nothing resent into the dead comm
    assert again == "10 done", again
    assert "Disconnected from the kernel" in second and "The analysis stopped" in second, second
    assert record.errors == [], record.errors
    assert record.foreign_requests(base) == []
