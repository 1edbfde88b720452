"""The e2e pages' VideoFrame guard (video_frame_guard.js) reports every frame the page's code made,
cloned or received from a worker and then dropped unclosed, and stays quiet about frames that were
closed or transferred."""

from __future__ import annotations

from tests.browser import serve_directory
from tests.e2e.notebook_page import recorded_page

LEAKS = """async () => {
  const frame = () => new VideoFrame(new Uint8Array(16 * 16 * 4), { format: "RGBA", codedWidth: 16, codedHeight: 16, timestamp: 0 });
  frame();                                   // dropped
  frame().close();                           // closed
  const kept = frame(); kept.clone(); kept.close();   // the clone is dropped
  const echo = new Worker(URL.createObjectURL(new Blob(
    ["onmessage = (e) => postMessage({ type: 'echo', frame: e.data }, [e.data])"])));
  await new Promise((resolve) => {
    echo.onmessage = resolve;                // the echoed frame is dropped
    const sent = frame();
    echo.postMessage(sent, [sent]);          // transferred: not a leak
  });
  for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 200)); gc(); }
  await new Promise((r) => setTimeout(r, 500));
}"""


def test_the_guard_reports_each_dropped_frame_and_only_those(playwright, tmp_path):
    (tmp_path / "index.html").write_text("<html><body></body></html>")
    with (
        serve_directory(tmp_path) as base,
        recorded_page(playwright, args=("--js-flags=--expose-gc",)) as (page, record),
    ):
        page.goto(base + "index.html")  # a secure context (localhost), as JupyterLab's pages are
        page.evaluate(LEAKS)
    guard = sorted(e.split("made by ")[1].split(" at ")[0] for e in record.errors if "test guard" in e)
    assert guard == ['a "echo" message from a worker', "clone()", "new VideoFrame"], record.errors
