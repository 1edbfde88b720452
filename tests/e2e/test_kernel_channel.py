"""The front end over the kernel's channel, in a real JupyterLab whose page config is removed: the
code path of every host without a labextension (VS Code, Colab, marimo, classic Notebook) with a
real kernel answering. First load from the kernel, then the browser's cache; a damaged cache entry
is noticed and fetched again."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from facescope import _frontend
from tests.browser import MEDIA
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    frame_text,
    open_notebook,
    recorded_page,
    run_code_cell,
    run_python,
    wait_widget_state,
    write_notebook,
)

CLIP = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
CHUNK_ASKED = re.compile(r'"type":\s*"frontend-chunk-request",\s*"id":\s*"[^"]*",\s*"name":\s*"([^"]+)"')

DAMAGE_VIEWER_WASM = """async () => {
  const open = indexedDB.open("facescope-frontend");
  const db = await new Promise((ok, fail) => { open.onsuccess = () => ok(open.result); open.onerror = () => fail(open.error); });
  const get = (store, how) => new Promise((ok) => { const r = how(store); r.onsuccess = () => ok(r.result); });
  const keys = await get(db.transaction("files").objectStore("files"), (s) => s.getAllKeys());
  const key = keys.find((k) => k.includes("/re_viewer_bg.wasm/"));
  const bytes = new Uint8Array(await (await get(db.transaction("files").objectStore("files"), (s) => s.get(key))).arrayBuffer());
  bytes[bytes.length >> 1] ^= 0xff;  // same size, one byte off: only the hash can tell
  const tx = db.transaction("files", "readwrite");
  tx.objectStore("files").put(new Blob([bytes]), key);
  await new Promise((ok) => (tx.oncomplete = ok));
  db.close();
  return key;
}"""

CACHED_SHA256 = """async (name) => {
  const open = indexedDB.open("facescope-frontend");
  const db = await new Promise((ok) => (open.onsuccess = () => ok(open.result)));
  const store = db.transaction("files").objectStore("files");
  const keys = await new Promise((ok) => { const r = store.getAllKeys(); r.onsuccess = () => ok(r.result); });
  const key = keys.find((k) => k.includes(`/${name}/`));
  const blob = await new Promise((ok) => { const r = db.transaction("files").objectStore("files").get(key); r.onsuccess = () => ok(r.result); });
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  db.close();
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}"""


def _count_chunk_requests(asked: Counter, payload) -> None:
    for name in CHUNK_ASKED.findall(frame_text(payload)):
        asked[name] += 1


def test_without_a_labextension_the_front_end_comes_from_the_kernel_then_from_the_cache(playwright, tmp_path, measure):
    notebook = write_notebook(
        tmp_path / "channel.ipynb",
        [f"from facescope import FaceScope\nscope = FaceScope({str(CLIP)!r})\nscope", "FaceScope()", ""],
    )
    with jupyter_server("lab", [notebook]) as base, recorded_page(playwright) as (page, record):
        context = page.context
        asked: Counter = Counter()

        def load_in_new_page(old=None):
            """Runs a widget cell in a fresh page of the same browser (same IndexedDB): the clip's
            first, then an empty widget, whose viewer must start from the files that loaded."""
            if old is not None:
                old.close(run_before_unload=False)
            p = context.new_page() if old is not None else page
            if old is not None:
                p.on("console", record._console)
                p.on("pageerror", lambda e: record.errors.append(f"pageerror: {e}"))
            p.on("websocket", lambda ws: ws.on("framesent", lambda data: _count_chunk_requests(asked, data)))
            open_notebook(p, base, "lab", notebook.name)
            # What VS Code, Colab and marimo pages lack: JupyterLab read it at start-up and needs it no more.
            p.evaluate("document.getElementById('jupyter-config-data').remove()")
            if old is None:
                run_code_cell(p, 0)
                return p, wait_widget_state(p, ("done", "error"))
            run_code_cell(p, 1)
            return p, wait_widget_state(p, ("idle", "error"))

        page, first = load_in_new_page()
        rows = run_python(page, "print(len(scope.blendshapes), scope.status)")
        first_asked = dict(asked)
        asked.clear()

        page, second = load_in_new_page(page)
        second_asked = dict(asked)
        key = page.evaluate(DAMAGE_VIEWER_WASM)
        asked.clear()

        page, third = load_in_new_page(page)
        third_asked = dict(asked)
        repaired = page.evaluate(CACHED_SHA256, "re_viewer_bg.wasm")
    measure(
        f"front end over the kernel channel: first load asked {sum(first_asked.values())} chunks, "
        f"cached load {sum(second_asked.values())}, after damage {third_asked}"
    )

    assert "75 frames, 1 face in 75 frames" in first, first
    for status in (second, third):
        assert status.startswith("Viewer ready"), status
    assert rows.split() == ["75", "done"], rows
    # Every file came over the channel the first time, in chunks of CHUNK_BYTES.
    folder = _frontend.app_dir()
    expected = {name: -(-(folder / name).stat().st_size // _frontend.CHUNK_BYTES) for name in _frontend.APP_FILES}
    assert first_asked == expected
    assert second_asked == {}, "a second load must come from the browser's cache"
    assert key.endswith(hashlib.sha256((folder / "re_viewer_bg.wasm").read_bytes()).hexdigest())
    assert third_asked == {"re_viewer_bg.wasm": expected["re_viewer_bg.wasm"]}, "only the damaged file is fetched again"
    assert repaired == hashlib.sha256((folder / "re_viewer_bg.wasm").read_bytes()).hexdigest()
    # Nothing was loaded from the server's labextension folder, and nothing left the origin.
    assert not [u for u in record.requests if "/facescope/app/" in u]
    assert record.foreign_requests(base) == []
    assert record.errors == [], record.errors
