"""The front end's files, and the kernel's answers to a view that asks for them.

Where a Jupyter server serves the labextension (JupyterLab, Notebook 7, Voilà) the browser loads the
app from there. Every other host (marimo, VS Code, Colab, classic Notebook) only has the widget's
own channel to the kernel, so the view asks the kernel for each file (``src/frontend/channel.ts``):
a manifest first (names, sizes, sha256), then chunks of at most ``CHUNK_BYTES`` raw bytes, each
gzip-compressed on its own, so every message stays under the kernel → browser limit
(``_limits.TO_BROWSER_MESSAGE_BYTES``).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._limits import TO_BROWSER_MESSAGE_BYTES
from ._version import __version__

#: The app module and what it resolves through ``src/assets.ts`` (names in ``src/assetNames.ts``).
APP_ENTRY = "facescope-app.js"
APP_FILES = (
    APP_ENTRY,
    "facescope-analysis.js",
    "facescope-camera.js",
    "vision_wasm_internal.js",
    "vision_wasm_internal.wasm",
    "re_viewer_bg.wasm",
)
#: Raw bytes per chunk: half the kernel → browser limit, so a chunk fits one message whatever it
#: holds (gzip adds ~0.03% and a few header bytes to bytes it cannot compress), and the half spare
#: keeps each request quick to compress and to answer.
CHUNK_BYTES = TO_BROWSER_MESSAGE_BYTES // 2
#: Compressed chunks kept per process, so a second browser or a reload costs no compression.
_COMPRESSED: dict[tuple[str, int], bytes] = {}

Send = Callable[[dict[str, Any], list[bytes] | None], None]


class FrontEndMissing(RuntimeError):
    """The built front end is not installed next to this package."""


def app_dir() -> Path:
    """The folder with the built app: beside the package in a development checkout, else where the
    wheel put the labextension (``<prefix>/share/jupyter/labextensions/facescope/app``)."""
    candidates = [
        Path(__file__).resolve().parent / "labextension" / "app",
        Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "facescope" / "app",
    ]
    try:
        from jupyter_core.paths import jupyter_path

        candidates += [Path(p) / "facescope" / "app" for p in jupyter_path("labextensions")]
    except ImportError:  # jupyter_core comes with ipykernel; a bare install still has the prefix path
        pass
    for folder in candidates:
        if (folder / APP_ENTRY).is_file():
            return folder
    raise FrontEndMissing(
        "facescope's built front end is missing (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); reinstall facescope, or in a checkout run `npm run build`"
    )


@functools.lru_cache(maxsize=4)
def _describe(path: Path, size: int, mtime_ns: int) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"name": path.name, "size": size, "sha256": digest.hexdigest()}


def manifest() -> dict[str, Any]:
    """What the kernel can send: every app file with its size and sha256 (hashed once per process)."""
    folder = app_dir()
    files = []
    for name in APP_FILES:
        path = folder / name
        if not path.is_file():
            raise FrontEndMissing(f"facescope's front end in {folder} lacks {name}; reinstall facescope")
        stat = path.stat()
        files.append(_describe(path, stat.st_size, stat.st_mtime_ns))
    return {"version": __version__, "entry": APP_ENTRY, "chunkBytes": CHUNK_BYTES, "files": files}


def chunk(name: str, index: int) -> bytes:
    """Chunk ``index`` of the app file ``name``, gzip-compressed."""
    if name not in APP_FILES:  # never a path from the page: only the listed files are readable
        raise FrontEndMissing(f"{name!r} is not one of facescope's front-end files")
    key = (name, index)
    if key not in _COMPRESSED:
        with (app_dir() / name).open("rb") as f:
            f.seek(index * CHUNK_BYTES)
            raw = f.read(CHUNK_BYTES)
        # Level 1: ~3x faster than the default for wasm, and within a few per cent of its size.
        _COMPRESSED[key] = gzip.compress(raw, compresslevel=1, mtime=0)
    return _COMPRESSED[key]


def answer(content: dict[str, Any], send: Send) -> bool:
    """Answers a view's front-end request; False for any other message."""
    kind = content.get("type")
    if kind not in ("frontend-manifest-request", "frontend-chunk-request"):
        return False
    request_id = str(content.get("id", ""))
    try:
        if kind == "frontend-manifest-request":
            send({"type": "frontend-manifest", "id": request_id, **manifest()}, None)
        else:
            name, index = str(content.get("name")), int(content.get("index", -1))
            data = chunk(name, index)
            send({"type": "frontend-chunk", "id": request_id, "name": name, "index": index, "encoding": "gzip"}, [data])
    except (FrontEndMissing, OSError, ValueError) as error:
        send({"type": "frontend-error", "id": request_id, "message": str(error)}, None)
    return True
