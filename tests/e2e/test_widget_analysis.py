"""Dropping clips on the widget in a real JupyterLab: analysis in the browser, errors in words."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tests.browser import MEDIA, artifact
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    colourful_fraction,
    open_notebook,
    picture_share,
    recorded_page,
    run_code_cell,
    run_python,
    wait_widget_ready,
    wait_widget_state,
)

EMPTY_WIDGET = Path(__file__).parent / "empty_widget.ipynb"
# The viewer's 2D video view in the widget: the top of the right-hand column.
WEBM_VIDEO_VIEW = (0.42, 0.10, 0.98, 0.44)

# What each hostile file must be called, in the widget's status line.
BAD_INPUTS = {
    "empty.mp4": "empty",
    "not_a_video.mp4": "not a video",
    "truncated.mp4": "truncated",
    "hevc_talking.mp4": "HEVC",
}


def test_clips_dropped_on_the_widget_are_analysed_and_bad_ones_explained(playwright, measure):
    with jupyter_server("lab", [EMPTY_WIDGET]) as base, recorded_page(playwright, height=1100) as (page, record):
        open_notebook(page, base, "lab", EMPTY_WIDGET.name)
        run_code_cell(page, 0)
        widget = wait_widget_ready(page)
        picker = widget.locator("input[type=file]")

        picker.set_input_files(MEDIA / "a_talking_grid_s1_bbaf2n.mp4")
        page.wait_for_selector('.facescope[data-state="analysing"]', timeout=30_000)
        # live_viewer="auto" with software WebGL (this Chromium): the viewer waits for the end.
        waiting = page.wait_for_selector(".facescope-viewer[data-waiting]", state="attached", timeout=60_000)
        waiting_note = waiting.get_attribute("data-waiting")
        status = wait_widget_state(page, ("done", "error"))
        measure(f"widget in JupyterLab: {status}")
        assert "without a GPU" in waiting_note, waiting_note
        assert widget.locator(".facescope-viewer[data-waiting]").count() == 0, "the viewer stays hidden after the run"
        assert "75 frames, 1 face in 75 frames" in status, status
        page.wait_for_timeout(1500)
        widget.scroll_into_view_if_needed()
        viewer_png = widget.locator(".facescope-viewer").screenshot(path=artifact("analysis-lab-talking.png"))

        errors = {}
        for name in BAD_INPUTS:
            picker.set_input_files(MEDIA / "bad" / name)
            errors[name] = wait_widget_state(page, ("error", "done"))

        picker.set_input_files(MEDIA / "c_noface_tos_belltower_vp8.webm")
        noface = wait_widget_state(page, ("done", "error"))
        widget.scroll_into_view_if_needed()
        # The WebM's own frames under the (here absent) overlays: its video view, top right, shows a
        # picture once the viewer has decoded the remuxed video's first frame.
        for _ in range(20):
            page.wait_for_timeout(1000)
            webm_png = widget.locator(".facescope-viewer").screenshot(path=artifact("analysis-lab-webm.png"))
            if picture_share(webm_png, WEBM_VIDEO_VIEW) > 0.25:
                break

        kernel = run_python(
            page,
            "print(scope.status, scope.summary['frames'], scope.summary['frames_with_faces'], "
            "*scope.summary['blocked_requests'])",
        )
        service_workers = [w.url for w in page.context.service_workers]
    assert colourful_fraction(viewer_png) > 0.05, "the viewer shows no analysed video"
    for name, words in BAD_INPUTS.items():
        assert name in errors[name] and words.lower() in errors[name].lower(), errors
    assert "No face found in c_noface_tos_belltower_vp8.webm (48 frames" in noface, noface
    assert picture_share(webm_png, WEBM_VIDEO_VIEW) > 0.25, "the viewer shows no video for the WebM clip"
    # The kernel is alive and got the last summary from the browser.
    status, frames, faces, *blocked = kernel.split()
    assert (status, frames, faces) == ("done", "48", "0"), kernel
    # Privacy: every request of the page, its workers and any service worker (the context sees them
    # all) stayed on the Jupyter server's origin. The MediaPipe worker's own fetches are among the
    # recorded ones, so worker traffic really is watched; its telemetry was stopped inside the
    # worker before it became a request.
    assert record.foreign_requests(base) == []
    assert any("/vision_wasm_internal." in u and u.endswith(".wasm") for u in record.requests), record.requests
    assert not any("googleapis" in u or "google" in urlsplit(u).netloc for u in record.requests)
    assert any("odml.pa.googleapis.com" in u for u in blocked), kernel  # it tried, and was stopped
    assert service_workers == [], service_workers
    assert record.errors == [], record.errors
