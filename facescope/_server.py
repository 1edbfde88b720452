"""The headless analyser's local HTTP server, on 127.0.0.1 only.

It serves the page, the built app (``/app/…``), and the clip and the model from memory. (What the
page sends back comes as downloads, not requests: see src/headless/driver.ts for why.)
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>facescope headless</title></head>
<body><script type="module">
import * as app from "./app/facescope-app.js";
window.facescopeApp = app;
</script></body></html>
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder with the MIME types ES modules and wasm need, without request logs."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, *args) -> None:  # progress goes to stderr; request logs would drown it
        pass


class _Handler(QuietHandler):
    def __init__(self, *args, blobs: dict[str, bytes], **kwargs):
        self.blobs = blobs
        super().__init__(*args, **kwargs)

    def _send_bytes(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send_bytes(PAGE, "text/html; charset=utf-8")
        elif path.lstrip("/") in self.blobs:
            self._send_bytes(self.blobs[path.lstrip("/")], "application/octet-stream")
        elif path.startswith("/app/"):
            self.path = self.path[len("/app"):]
            super().do_GET()
        else:
            self.send_error(404)


def serve(app_dir: Path, blobs: dict[str, bytes]) -> contextlib.AbstractContextManager[str]:
    """Serves the app and ``blobs`` (name → bytes) on 127.0.0.1; yields the base URL."""
    return running(functools.partial(_Handler, directory=str(app_dir), blobs=blobs))


@contextlib.contextmanager
def running(handler) -> Iterator[str]:
    """Runs an HTTP server with ``handler`` on a free port of 127.0.0.1; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="facescope-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
