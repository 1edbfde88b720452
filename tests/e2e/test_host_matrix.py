"""FaceScope in every anywidget host that runs here, offline, with the real kernel and MediaPipe.

| host | started as | the front end arrives |
| --- | --- | --- |
| JupyterLab 4, Notebook 7 | `jupyter lab` / `jupyter notebook` | labextension: test_notebook_hosts.py's quickstart (not repeated here) |
| Voilà | `voila notebook.ipynb` | labextension, under /voila/labextensions |
| marimo | `marimo run notebook.py` | no Jupyter page: over the widget's own messages |
| classic Notebook | `jupyter nbclassic` | no Jupyter page config: over the widget's own messages |
| bare page (stands in for VS Code, Colab) | bare_host.py, no Jupyter at all, module and messages from a second origin | over the widget's own messages |

Each test analyses one short clip and asserts what the *kernel* holds (Python's
`scope.blendshapes` has a row per frame), that the widget says done, which of the two routes the
front end took (its app module from the labextension URL, or every file over the channel), that no
request left the host's origin (the bare page's two), and that the page logged no error. In
marimo, whose widgets live in shadow roots, the widget's stylesheet must reach its elements.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser import artifact
from tests.e2e.conftest import CLIP, CLIP_FRAMES, Host
from tests.e2e.frontend_route import ChunkRequests, expected_chunks, labextension_loads
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
    # The host itself can fail (its cross-origin fetch of the module, its socket): say so at once.
    host.page.wait_for_function(
        """() => window.bareHost?.state === "failed"
          || !!document.querySelector('.facescope[data-state="done"], .facescope[data-state="error"]')""",
        timeout=ANALYSIS_MS,
    )
    failed = host.page.evaluate("() => window.bareHost.state === 'failed' && window.bareHost.error")
    assert not failed, f"the bare host failed: {failed}\n{host.record.errors}"
    report = bare.call_sync(
        lambda: {"status": scope.status, "rows": len(scope.blendshapes), "error": repr(scope.error)}
    )
    if report["status"] == "done":  # the real API agrees with the traits
        assert bare.call(scope.analyzed(timeout=30), 60).frames == CLIP_FRAMES
    return report


# Reads, inside marimo's shadow root, what the widget's stylesheet (style/facescope.css) sets on
# the widget's root and its drop zone; `move_to_head` first moves that stylesheet to document.head,
# where a shadow root's elements do not see it: the control that the read can tell the two apart.
WIDGET_STYLE = """(moveToHead) => {
  const find = (root) => {
    const hit = root.querySelector(".facescope");
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      const inner = el.shadowRoot && find(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const el = find(document);
  const root = el.getRootNode();
  const sheet = root.getElementById?.("facescope-style") ?? null;
  if (moveToHead && sheet) document.head.append(sheet);
  const look = {
    inShadowRoot: root instanceof ShadowRoot,
    sheetInRoot: !!sheet,
    display: getComputedStyle(el).display,
    dropBorder: getComputedStyle(el.querySelector(".facescope-drop")).borderTopStyle,
  };
  if (moveToHead && sheet) root.prepend(sheet);
  return look;
}"""


HOSTS = {"marimo": in_marimo, "voila": in_voila, "nbclassic": in_classic, "bare": in_bare_page}
FIXTURES = {"marimo": "marimo_host", "voila": "voila_host", "nbclassic": "classic_host", "bare": "bare_host"}


@pytest.mark.parametrize("name", list(HOSTS))
def test_the_widget_analyses_a_clip_offline_in(name, request, measure):
    host: Host = request.getfixturevalue(FIXTURES[name])
    asked = ChunkRequests().attach(host.page)
    try:
        report = HOSTS[name](host)
        state = widget_state(host.page)
        look = host.page.evaluate(WIDGET_STYLE, False) if name == "marimo" else None
        look_from_head = host.page.evaluate(WIDGET_STYLE, True) if name == "marimo" else None
    finally:
        host.page.screenshot(path=artifact(f"host-{name}.png"))
    measure(f"host {name}: kernel {report}, widget {state}, chunks asked {sum(asked.values())}")
    assert report == {"status": "done", "rows": CLIP_FRAMES, "error": "''"}, report
    assert state == "done", state
    foreign = foreign_requests(name, host)
    assert [u for u in foreign if u not in UPSTREAM_REQUESTS.get(name, set())] == [], foreign
    if name == "bare":
        assert_two_origins(host.extra, host.record.requests)
    errors = [e for e in host.record.errors if not upstream_error(name, e)]
    assert errors == [], "\n".join(errors)
    # The route: Voilà serves the labextension, so the app module comes from its URL and nothing
    # over the channel; every other host has no page config, so each file comes over the channel.
    app_loads = labextension_loads(host.record.requests, host.base)
    if name == "voila":
        assert app_loads, [u for u in host.record.requests if "/facescope/" in u]
        assert dict(asked) == {}, asked
    else:
        assert app_loads == [], app_loads
        assert dict(asked) == expected_chunks(), asked
    if name == "marimo":
        assert look == {"inShadowRoot": True, "sheetInRoot": True, "display": "flex", "dropBorder": "dashed"}, look
        # The control: the same stylesheet in document.head does not style the widget.
        assert look_from_head["display"] != "flex", look_from_head


def foreign_requests(name: str, host: Host) -> list[str]:
    """Requests that left the host's origin; the bare page's host has two (the page's, the kernel's)."""
    if name != "bare":
        return host.record.foreign_requests(host.base)
    origins = host.extra.origins()
    return [
        u for u in host.record.requests if not u.startswith(("blob:", "data:")) and urlsplit(u).netloc not in origins
    ]


def assert_two_origins(bare, requests: list[str]) -> None:
    """Nothing of the page's origin but the page and its script, nothing of the kernel's but the
    widget's module and socket: the widget found its front end without asking either server for a
    file, and its module really crossed origins."""
    page_origin, kernel_origin = bare.origins()
    asked = {(urlsplit(u).netloc, urlsplit(u).path) for u in requests if not u.startswith(("blob:", "data:"))}
    assert {p for o, p in asked if o == page_origin} <= {"/", "/bare_host.js"}, asked
    kernel_paths = {p for o, p in asked if o == kernel_origin}
    assert kernel_paths <= bare.kernel_paths(), asked
    assert any(p.startswith("/esm/") for p in kernel_paths), asked
