"""Which route a page's front end took: the Jupyter server's labextension folder, or the widget's
own channel to the kernel. The channel's mark is the view's chunk requests, which travel in the
host's messages to the kernel: WebSocket frames in Jupyter and the bare page, HTTP bodies in
marimo (POST /api/kernel/set_model_value)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from facescope import _frontend
from tests.e2e.notebook_page import frame_text

CHUNK_ASKED = re.compile(r'"type":\s*"frontend-chunk-request",\s*"id":\s*"[^"]*",\s*"name":\s*"([^"]+)"')
#: The app module's path under a server's labextensions URL (src/frontend/locate.ts).
LABEXTENSION_APP = "/labextensions/facescope/app/facescope-app.js"


def expected_chunks() -> dict[str, int]:
    """Chunk requests per file for a load with an empty cache: each file whole, CHUNK_BYTES at a time."""
    folder = _frontend.app_dir()
    return {name: -(-(folder / name).stat().st_size // _frontend.CHUNK_BYTES) for name in _frontend.APP_FILES}


def labextension_loads(requests: list[str], base: str) -> list[str]:
    """Requests for the app module from the labextension folder of the server at `base`."""
    origin = urlsplit(base).netloc
    return [u for u in requests if urlsplit(u).netloc == origin and urlsplit(u).path.endswith(LABEXTENSION_APP)]


def count_chunk_requests(asked: Counter, payload) -> None:
    for name in CHUNK_ASKED.findall(frame_text(payload)):
        asked[name] += 1


class ChunkRequests(Counter):
    """Counts, per file, the chunk requests a page sends to its kernel, whatever the transport."""

    def attach(self, page) -> ChunkRequests:
        page.on("websocket", lambda ws: ws.on("framesent", lambda data: count_chunk_requests(self, data)))
        page.on("request", self._request)
        return self

    def _request(self, request) -> None:
        if request.method == "POST":
            body = request.post_data_buffer
            if body:
                count_chunk_requests(self, body)
