"""The front end over the kernel's channel, in a real JupyterLab whose page config is removed: the
code path of every host without a labextension (VS Code, Colab, marimo, classic Notebook) with a
real kernel answering. First load from the kernel (stale entries left in the cache by an older
version or a replaced file are pruned), then the browser's cache; a damaged cache entry is noticed
and fetched again."""

from __future__ import annotations

import hashlib
from collections import Counter

from facescope import __version__, _frontend
from tests.browser import MEDIA
from tests.e2e.frontend_route import count_chunk_requests, expected_chunks
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    open_notebook,
    recorded_page,
    run_code_cell,
    run_python,
    wait_widget_state,
    write_notebook,
)

CLIP = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
# Written into the page's cache before the first load, under the app's store and key format
# (src/frontend/cache.ts): what an older facescope left, and a file this version replaced.
SEED_CACHE = """async (keys) => {
  const open = indexedDB.open("facescope-frontend", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("files");
  const db = await new Promise((ok, fail) => { open.onsuccess = () => ok(open.result); open.onerror = () => fail(open.error); });
  const tx = db.transaction("files", "readwrite");
  for (const key of keys) tx.objectStore("files").put(new Blob([new Uint8Array(1024)]), key);
  await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
  const r = db.transaction("files").objectStore("files").getAllKeys();
  const stored = await new Promise((ok) => (r.onsuccess = () => ok(r.result)));
  db.close();
  return stored;
}"""

CACHE_KEYS = """async () => {
  const open = indexedDB.open("facescope-frontend");
  const db = await new Promise((ok) => (open.onsuccess = () => ok(open.result)));
  const r = db.transaction("files").objectStore("files").getAllKeys();
  const keys = await new Promise((ok) => (r.onsuccess = () => ok(r.result)));
  db.close();
  return keys;
}"""

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


def stale_keys() -> list[str]:
    app = _frontend.manifest()["files"][0]
    return [f"0.0.0-older/{app['name']}/{app['sha256']}", f"{__version__}/re_viewer_bg.wasm/{'0' * 64}"]


def test_without_a_labextension_the_front_end_comes_from_the_kernel_then_from_the_cache(playwright, tmp_path, measure):
    notebook = write_notebook(
        tmp_path / "channel.ipynb",
        [f"from facescope import FaceScope\nscope = FaceScope({str(CLIP)!r})\nscope", "FaceScope()", ""],
    )
    with jupyter_server("lab", [notebook]) as base, recorded_page(playwright) as (page, record):
        context = page.context
        asked: Counter = Counter()
        seeded: list[str] = []

        def load_in_new_page(old=None):
            """Runs a widget cell in a fresh page of the same browser (same IndexedDB): the clip's
            first, then an empty widget, whose viewer must start from the files that loaded."""
            if old is not None:
                old.close(run_before_unload=False)
            p = context.new_page() if old is not None else page
            if old is not None:
                p.on("console", record._console)
                p.on("pageerror", lambda e: record.errors.append(f"pageerror: {e}"))
            p.on("websocket", lambda ws: ws.on("framesent", lambda data: count_chunk_requests(asked, data)))
            open_notebook(p, base, "lab", notebook.name)
            # What VS Code, Colab and marimo pages lack: JupyterLab read it at start-up and needs it no more.
            p.evaluate("document.getElementById('jupyter-config-data').remove()")
            if old is None:
                seeded.extend(p.evaluate(SEED_CACHE, stale_keys()))
                run_code_cell(p, 0)
                return p, wait_widget_state(p, ("done", "error"))
            run_code_cell(p, 1)
            return p, wait_widget_state(p, ("idle", "error"))

        page, first = load_in_new_page()
        rows = run_python(page, "print(len(scope.blendshapes), scope.status)")
        first_keys = set(page.evaluate(CACHE_KEYS))
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
    # Every file came over the channel the first time, in chunks of CHUNK_BYTES: the stale entries
    # neither stood in for a file nor cost an extra chunk; they were pruned, and the cache holds
    # exactly this version's files.
    folder = _frontend.app_dir()
    expected = expected_chunks()
    assert sorted(seeded) == sorted(stale_keys()), seeded
    assert first_asked == expected
    assert first_keys == {f"{__version__}/{f['name']}/{f['sha256']}" for f in _frontend.manifest()["files"]}, first_keys
    assert second_asked == {}, "a second load must come from the browser's cache"
    assert key.endswith(hashlib.sha256((folder / "re_viewer_bg.wasm").read_bytes()).hexdigest())
    assert third_asked == {"re_viewer_bg.wasm": expected["re_viewer_bg.wasm"]}, "only the damaged file is fetched again"
    assert repaired == hashlib.sha256((folder / "re_viewer_bg.wasm").read_bytes()).hexdigest()
    # Nothing was loaded from the server's labextension folder, and nothing left the origin.
    assert not [u for u in record.requests if "/facescope/app/" in u]
    assert record.foreign_requests(base) == []
    assert record.errors == [], record.errors
