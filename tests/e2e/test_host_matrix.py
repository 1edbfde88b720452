"""FaceScope in every anywidget host that runs here, offline, with the real kernel and MediaPipe.

| host | started as | the front end arrives |
| --- | --- | --- |
| JupyterLab 4, Notebook 7 | `jupyter lab` / `jupyter notebook` | labextension: test_notebook_hosts.py's quickstart (not repeated here) |
| Voilà | `voila notebook.ipynb` | labextension, under /voila/labextensions |
| marimo | `marimo run notebook.py` | no Jupyter page: over the widget's own messages |
| classic Notebook | `jupyter nbclassic` | no Jupyter page config: over the widget's own messages |
| bare page (stands in for VS Code, Colab) | bare_host.py, no Jupyter at all | over the widget's own messages |

Each test analyses one short clip and asserts what the *kernel* holds (Python's
`scope.blendshapes` has a row per frame), that the widget says done, that no request left the
host's origin, and that the page logged no error.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser import artifact
from tests.e2e.conftest import CLIP, CLIP_FRAMES, Host
from tests.e2e.notebook_page import CLASSIC_CELLS, output_line

# Voilà 0.5.13's own page template (share/jupyter/voila/templates/lab/index.html.j2) links Font
# Awesome from a CDN, with or without facescope: these two requests, exactly, are Voilà's.
VOILA_TEMPLATE_CSS = (
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/v4-shims.min.css",
)
UPSTREAM_REQUESTS = {"voila": set(VOILA_TEMPLATE_CSS)}


def upstream_error(host: str, error: str) -> bool:
    """Errors the host logs with or without facescope: Voilà's CDN stylesheets failing offline, and
    Voilà 0.5.13 loading Notebook 7's lab-extension, which needs a shared module Voilà lacks."""
    if host != "voila":
        return False
    return error == "Failed to load resource: net::ERR_NAME_NOT_RESOLVED" or (
        error.startswith("Error: The getter for the shared module is not a function.")
        and "/voila/labextensions/@jupyter-notebook/lab-extension/" in error
    )


KERNEL_LINE = re.compile(r"facescope-kernel: status=(\w+) rows=(\d+) error=(.*)")
ANALYSIS_MS = 300_000  # a generous bound for load + analysis of 75 frames on a loaded 2-core machine


def kernel_report(text: str) -> dict:
    match = KERNEL_LINE.search(text)
    assert match, f"no kernel report in:\n{text[-2000:]}"
    return {"status": match[1], "rows": int(match[2]), "error": match[3].strip()}


def wait_kernel_report(page) -> dict:
    """Waits for the line the host's notebook prints when the kernel sees the analysis end."""
    page.wait_for_function(
        "() => /facescope-kernel: status=(done|error)/.test(document.body.innerText)", timeout=ANALYSIS_MS
    )
    return kernel_report(page.evaluate("() => document.body.innerText"))


def widget_state(page) -> str:
    # Playwright's CSS engine looks inside shadow roots too (marimo renders widgets in one).
    return page.locator(".facescope").first.get_attribute("data-state")


def in_marimo(host: Host) -> dict:
    host.page.goto(host.base)
    return wait_kernel_report(host.page)


def in_voila(host: Host) -> dict:
    host.page.goto(host.base)
    return wait_kernel_report(host.page)


def in_classic(host: Host) -> dict:
    from tests.e2e.classic_host import open_classic_notebook, run_all_cells

    open_classic_notebook(host.page, host.base, host.extra)
    # Run All, as a user does: the second cell awaits analyzed() while the first one's view
    # analyses, so the view's status must reach a kernel busy in that cell.
    run_all_cells(host.page)
    line = output_line(host.page, 1, "facescope-kernel:", ANALYSIS_MS, CLASSIC_CELLS)
    return kernel_report("facescope-kernel: " + line)


def in_bare_page(host: Host) -> dict:
    from facescope import FaceScope

    bare = host.extra
    scope = bare.create(FaceScope, CLIP, height=420)
    host.page.goto(bare.page_url(scope))
    host.page.wait_for_selector('.facescope[data-state="done"], .facescope[data-state="error"]', timeout=ANALYSIS_MS)
    report = bare.call_sync(
        lambda: {"status": scope.status, "rows": len(scope.blendshapes), "error": repr(scope.error)}
    )
    if report["status"] == "done":  # the real API agrees with the traits
        assert bare.call(scope.analyzed(timeout=30), 60).frames == CLIP_FRAMES
    return report


HOSTS = {"marimo": in_marimo, "voila": in_voila, "nbclassic": in_classic, "bare": in_bare_page}
FIXTURES = {"marimo": "marimo_host", "voila": "voila_host", "nbclassic": "classic_host", "bare": "bare_host"}


@pytest.mark.parametrize("name", list(HOSTS))
def test_the_widget_analyses_a_clip_offline_in(name, request, measure):
    host: Host = request.getfixturevalue(FIXTURES[name])
    try:
        report = HOSTS[name](host)
        state = widget_state(host.page)
    finally:
        host.page.screenshot(path=artifact(f"host-{name}.png"))
    measure(f"host {name}: kernel {report}, widget {state}")
    assert report == {"status": "done", "rows": CLIP_FRAMES, "error": "''"}, report
    assert state == "done", state
    foreign = host.record.foreign_requests(host.base)
    assert [u for u in foreign if u not in UPSTREAM_REQUESTS.get(name, set())] == [], foreign
    errors = [e for e in host.record.errors if not upstream_error(name, e)]
    assert errors == [], "\n".join(errors)
    if name == "bare":
        # Nothing of the page's own origin but the host's three paths: the widget found its front
        # end without asking the page's server for anything.
        paths = {urlsplit(u).path for u in host.record.requests if not u.startswith(("blob:", "data:"))}
        assert {p for p in paths if not p.startswith("/ws/")} <= {"/", "/bare_host.js"}, paths
