"""The kernel's side of the front-end channel (facescope/_frontend.py): what a view in a host with
no labextension (marimo, VS Code, Colab, classic Notebook) receives when it asks for the app."""

from __future__ import annotations

import gzip
import hashlib
import random
import re
from pathlib import Path

import pytest

import facescope
from facescope import FaceScope, _frontend, _limits

ROOT = Path(__file__).resolve().parent.parent


def _ask(scope: FaceScope, content: dict) -> list[tuple[dict, list | None]]:
    sent: list[tuple[dict, list | None]] = []
    scope.send = lambda reply, buffers=None: sent.append((reply, buffers))
    scope._handle_custom_msg(content, [])
    return sent


def test_the_channel_lists_exactly_the_files_the_build_emits_and_the_app_resolves():
    built = {p.name for p in _frontend.app_dir().iterdir() if not p.name.endswith(".LICENSE.txt")}
    assert built == set(_frontend.APP_FILES)
    # The TS side resolves files by the names in src/assetNames.ts: the same list, less the entry.
    ts_names = set(re.findall(r':\s*"([^"]+)"', (ROOT / "src" / "assetNames.ts").read_text()))
    assert ts_names == set(_frontend.APP_FILES) - {_frontend.APP_ENTRY}


def test_a_manifest_request_is_answered_with_sizes_and_hashes_under_the_views_id():
    ((reply, buffers),) = _ask(FaceScope(), {"type": "frontend-manifest-request", "id": "v1"})
    assert reply["type"] == "frontend-manifest" and reply["id"] == "v1" and not buffers
    assert reply["entry"] == "facescope-app.js" and reply["version"] == facescope.__version__
    by_name = {f["name"]: f for f in reply["files"]}
    assert list(by_name) == list(_frontend.APP_FILES)
    app = _frontend.app_dir() / "facescope-app.js"
    assert by_name["facescope-app.js"] == {
        "name": "facescope-app.js",
        "size": app.stat().st_size,
        "sha256": hashlib.sha256(app.read_bytes()).hexdigest(),
    }


def test_chunks_reassemble_into_the_file_and_each_fits_one_message():
    name = "vision_wasm_internal.js"
    raw = (_frontend.app_dir() / name).read_bytes()
    scope = FaceScope()
    count = -(-len(raw) // _frontend.CHUNK_BYTES)
    parts = []
    for index in range(count):
        ((reply, buffers),) = _ask(scope, {"type": "frontend-chunk-request", "id": "v1", "name": name, "index": index})
        assert reply == {"type": "frontend-chunk", "id": "v1", "name": name, "index": index, "encoding": "gzip"}
        assert len(buffers[0]) <= _limits.TO_BROWSER_MESSAGE_BYTES
        parts.append(gzip.decompress(buffers[0]))
    assert b"".join(parts) == raw


def test_the_largest_file_compresses_to_messages_under_the_limit():
    wasm = _frontend.app_dir() / "re_viewer_bg.wasm"
    last = (wasm.stat().st_size - 1) // _frontend.CHUNK_BYTES
    data = _frontend.chunk("re_viewer_bg.wasm", last)
    assert 0 < len(data) <= _limits.TO_BROWSER_MESSAGE_BYTES
    assert gzip.decompress(data) == wasm.read_bytes()[last * _frontend.CHUNK_BYTES :]


def test_a_chunk_that_does_not_compress_still_fits_one_message(monkeypatch, tmp_path):
    """The worst case for the chunk size: bytes gzip cannot shrink (a file that is already
    compressed). Each chunk, compressed, must still fit the kernel → browser limit."""
    name = "re_viewer_bg.wasm"
    data = random.Random(16).randbytes(_frontend.CHUNK_BYTES * 2 + 1)
    (tmp_path / name).write_bytes(data)
    monkeypatch.setattr(_frontend, "app_dir", lambda: tmp_path)
    monkeypatch.setattr(_frontend, "_COMPRESSED", {})  # not the real file's chunks, cached
    parts = [_frontend.chunk(name, index) for index in range(3)]
    assert max(len(p) for p in parts) > _frontend.CHUNK_BYTES  # incompressible indeed: gzip grew it
    assert max(len(p) for p in parts) <= _limits.TO_BROWSER_MESSAGE_BYTES
    assert b"".join(gzip.decompress(p) for p in parts) == data


@pytest.mark.parametrize("name", ["../widget.py", "/etc/passwd", "facescope-app.js.LICENSE.txt", "static/widget.js"])
def test_only_the_listed_files_can_be_read_through_the_channel(name):
    ((reply, buffers),) = _ask(FaceScope(), {"type": "frontend-chunk-request", "id": "v9", "name": name, "index": 0})
    assert reply["type"] == "frontend-error" and reply["id"] == "v9" and not buffers
    assert "not one of facescope's front-end files" in reply["message"]


def test_a_missing_build_is_explained_to_the_view(monkeypatch, tmp_path):
    monkeypatch.setattr(_frontend, "app_dir", lambda: (_ for _ in ()).throw(_frontend.FrontEndMissing("no build here")))
    ((reply, _),) = _ask(FaceScope(), {"type": "frontend-manifest-request", "id": "v2"})
    assert reply == {"type": "frontend-error", "id": "v2", "message": "no build here"}


def test_other_messages_still_reach_the_widgets_sync():
    scope = FaceScope()
    _ask(scope, {"type": "hello", "view": "v1", "shows": None})
    assert "v1" in scope._sync.views
