"""The headless analyser's local HTTP server, on 127.0.0.1 only, for its own browser only.

It serves the page, the built app (``…/app/…``), and the clip and the model from memory. Any local
process can find the port (``ss -lt``), and faces are biometric data, so every URL starts with a
per-run secret path segment (256 random bits); a request without it gets 404, as does anything
that is not a GET. The secret never leaves this process except in the URL the browser is sent to.
(What the page sends back comes as downloads, not requests: see src/headless/driver.ts for why.)
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import http.server
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>facescope headless</title></head>
<body><script type="module">
import * as app from "./app/facescope-app.js";
window.facescopeApp = app;
</script></body></html>
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder with the MIME types ES modules and wasm need, without request logs."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args) -> None:  # progress goes to stderr; request logs would drown it
        pass


class _Handler(QuietHandler):
    def __init__(self, *args, blobs: dict[str, bytes], secret: str, **kwargs):
        self.blobs, self.secret = blobs, secret
        super().__init__(*args, **kwargs)

    def _send_bytes(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _not_found(self) -> None:
        self.send_error(404)

    # The inherited HEAD would serve the app folder without the check below; nothing but GET is needed.
    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_found  # noqa: N815

    def list_directory(self, path):  # noqa: ANN001 (http.server's signature): no listings, even with the secret
        self._not_found()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        first, _, rest = self.path.split("?", 1)[0].lstrip("/").partition("/")
        # Constant time: how much of a guess matches must not show in how long the answer takes.
        if not hmac.compare_digest(first.encode(), self.secret.encode()):
            self._not_found()
        elif rest in ("", "index.html"):
            self._send_bytes(PAGE, "text/html; charset=utf-8")
        elif rest in self.blobs:
            self._send_bytes(self.blobs[rest], "application/octet-stream")
        elif rest.startswith("app/"):
            self.path = "/" + rest[len("app/") :]
            super().do_GET()
        else:
            self._not_found()


def serve(app_dir: Path, blobs: dict[str, bytes]) -> contextlib.AbstractContextManager[str]:
    """Serves the app and ``blobs`` (name → bytes) on 127.0.0.1 under a new secret; yields the base
    URL, secret included (``http://127.0.0.1:PORT/SECRET/``). The server stops when the block ends."""
    secret = secrets.token_urlsafe(32)
    handler = functools.partial(_Handler, directory=str(app_dir), blobs=blobs, secret=secret)
    return running(handler, prefix=f"{secret}/")


@contextlib.contextmanager
def running(handler, prefix: str = "") -> Iterator[str]:
    """Runs an HTTP server with ``handler`` on a free port of 127.0.0.1; yields its base URL
    (followed by ``prefix``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="facescope-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}"
    finally:
        server.shutdown()
        server.server_close()
