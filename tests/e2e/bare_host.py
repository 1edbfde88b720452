"""A bare anywidget host: a web page with no Jupyter server behind it (it stands in for VS Code
and Colab, which cannot run here), bridged over one WebSocket to real Python widgets in this
process.

What it reproduces of those hosts: the page has no `jupyter-config-data`, and it is served from one
origin while everything of the kernel's side comes from another (two ports of 127.0.0.1), as a
VS Code webview or a Colab output frame is not the origin of the kernel's server. The page's origin
has nothing but `/` and `/bare_host.js`, so any URL the widget's module might try relative to the
page is absent. The kernel's origin serves the widget's module at `/esm/<id>.js` (to the page's
origin only, by CORS) and the widget's messages at `/ws/<id>` (a WebSocket that accepts only the
page's origin); the page fetches the module's text across origins and imports it from a `blob:`
URL, as anywidget does with `_esm`, which is why the `_esm` trait is left out of the state the page
receives. The page's model is anywidget's AnyModel (see bare_host.js). The Python side is the real
widget: `comm.create_comm` is the hook ipywidgets opens its comm through (the one marimo replaces
too), so a widget made inside `BareHost.create` talks through a `BridgeComm`, whose messages reach
the widget's own `_handle_msg` (trait updates, `_handle_custom_msg`) exactly as a kernel's comm
would deliver them.

Wire format of a WebSocket frame (both ways): uint32 LE length of a JSON header, the header
(`{"msg_type", "data", "n_buffers"}` from Python, `{"data"}` from the page), then per buffer a
uint32 LE length and its bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import struct
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import comm
from comm.base_comm import BaseComm
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, HTTPError, RequestHandler
from tornado.websocket import WebSocketHandler

PAGE_JS = Path(__file__).with_name("bare_host.js")
PAGE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>bare anywidget host</title><link rel="icon" href="data:,"></head>
<body><div id="widget" style="width: 1300px"></div><script type="module" src="/bare_host.js"></script></body></html>
"""
# Browser → Python widget messages of this size arrive in one piece (Jupyter's server caps at 10 MiB).
MAX_MESSAGE = 64 << 20
T = TypeVar("T")


def encode(header: dict, buffers: list) -> bytes:
    head = json.dumps(header).encode()
    parts = [struct.pack("<I", len(head)), head]
    for buffer in buffers:
        data = memoryview(buffer).cast("B")
        parts += [struct.pack("<I", data.nbytes), data.tobytes()]
    return b"".join(parts)


def decode(frame: bytes) -> tuple[dict, list[memoryview]]:
    view = memoryview(frame)
    (size,) = struct.unpack_from("<I", view, 0)
    header = json.loads(bytes(view[4 : 4 + size]))
    buffers, at = [], 4 + size
    while at < len(view):
        (n,) = struct.unpack_from("<I", view, at)
        buffers.append(view[at + 4 : at + 4 + n])
        at += 4 + n
    return header, buffers


class BridgeComm(BaseComm):
    """A widget's comm whose far end is the bare page: what the widget publishes is framed and
    queued for the page's socket (all of it, in order, as a kernel's iopub would deliver it)."""

    def __init__(self, host: BareHost, **kwargs: Any) -> None:
        self._host = host
        self.frames: list[bytes] = []  # everything published, replayed to a page that connects
        self.socket: WebSocketHandler | None = None
        self.esm = ""  # the widget's module, served on its own (see the module's docstring)
        super().__init__(**kwargs)

    def publish_msg(
        self, msg_type: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any
    ) -> None:
        if msg_type == "comm_open" and isinstance(data, dict) and "_esm" in data.get("state", {}):
            state = dict(data["state"])
            self.esm = state.pop("_esm")
            data = {**data, "state": state}
        frame = encode({"msg_type": msg_type, "data": data, "n_buffers": len(buffers or [])}, list(buffers or []))
        self._host.loop.call_soon_threadsafe(self._deliver, frame)

    def _deliver(self, frame: bytes) -> None:
        self.frames.append(frame)
        if self.socket is not None:
            self.socket.write_message(frame, binary=True)

    def receive(self, data: dict, buffers: list[memoryview]) -> None:
        """A message from the page, handed to the widget as ipykernel hands it a comm_msg."""
        self.handle_msg({"content": {"comm_id": self.comm_id, "data": data}, "buffers": buffers})


class _Page(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(PAGE_HTML)


class _Script(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.finish(PAGE_JS.read_bytes())


class _Module(RequestHandler):
    """The widget's module, for the page's origin only: a page of any other origin gets no CORS
    header, so its browser refuses it the response."""

    def initialize(self, host: BareHost) -> None:
        self.host = host

    def get(self, comm_id: str) -> None:
        bridge = self.host.comms.get(comm_id)
        if bridge is None or not bridge.esm:
            raise HTTPError(404)
        if self.request.headers.get("Origin") == self.host.page_origin:
            self.set_header("Access-Control-Allow-Origin", self.host.page_origin)
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.finish(bridge.esm)


class _Socket(WebSocketHandler):
    def initialize(self, host: BareHost) -> None:
        self.host = host
        self.bridge: BridgeComm | None = None

    def check_origin(self, origin: str) -> bool:
        # Tornado's default accepts only its own origin; this socket is for the page's, and only it.
        return origin == self.host.page_origin

    def open(self, comm_id: str) -> None:
        self.bridge = self.host.comms.get(comm_id)
        if self.bridge is None:
            raise HTTPError(404)
        self.bridge.socket = self
        for frame in self.bridge.frames:  # the comm_open first, then every later message
            self.write_message(frame, binary=True)

    def on_message(self, message: str | bytes) -> None:
        assert self.bridge is not None and isinstance(message, bytes)
        header, buffers = decode(message)
        self.bridge.receive(header["data"], buffers)

    def on_close(self) -> None:
        if self.bridge is not None and self.bridge.socket is self:
            self.bridge.socket = None


class BareHost:
    """The page's server, the kernel side's server (another port: another origin) and the widgets'
    event loop, on one thread of this process.

    Widget handlers run on that loop (as comm handlers run on a kernel's); run coroutines such as
    `scope.analyzed()` there with `call`."""

    def __init__(self) -> None:
        self.comms: dict[str, BridgeComm] = {}
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="bare-anywidget-host", daemon=True)
        self.url = ""  # the page's origin
        self.kernel_url = ""  # the origin of the widget's module and messages
        self._servers: list[HTTPServer] = []

    @property
    def page_origin(self) -> str:
        return self.url.rstrip("/")

    def _listen(self, app: Application) -> str:
        sockets = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(app, max_buffer_size=MAX_MESSAGE)
        server.add_sockets(sockets)
        self._servers.append(server)
        return f"http://127.0.0.1:{sockets[0].getsockname()[1]}/"

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.url = self._listen(Application([(r"/", _Page), (r"/bare_host\.js", _Script)]))
        kernel = [(r"/esm/([0-9a-f]+)\.js", _Module, {"host": self}), (r"/ws/([0-9a-f]+)", _Socket, {"host": self})]
        self.kernel_url = self._listen(Application(kernel, websocket_max_message_size=MAX_MESSAGE))
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> BareHost:
        self._thread.start()
        if not self._ready.wait(30):
            raise TimeoutError("the bare host did not start")
        return self

    def stop(self) -> None:
        for server in self._servers:
            self.loop.call_soon_threadsafe(server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(30)

    def create(self, factory: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Makes a widget (`factory(*args, **kwargs)`) whose comm is a BridgeComm of this host.
        Made on the host's loop, so the widget's handlers and its constructor share one thread."""

        def make() -> T:
            with self._comms_bridged():
                return factory(*args, **kwargs)

        return self.call_sync(make)

    def page_url(self, widget: Any) -> str:
        return f"{self.url}?model={widget.comm.comm_id}&kernel={quote(self.kernel_url, safe='')}"

    def kernel_paths(self) -> set[str]:
        """What a page may ask of the kernel's origin: each widget's module and socket."""
        return {path for comm_id in self.comms for path in (f"/esm/{comm_id}.js", f"/ws/{comm_id}")}

    def origins(self) -> tuple[str, str]:
        """The page's and the kernel side's host:port."""
        return urlsplit(self.url).netloc, urlsplit(self.kernel_url).netloc

    def call(self, coroutine: Any, timeout: float) -> Any:
        """Runs a coroutine on the host's loop and returns its result (waits at most `timeout` s)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call_sync(self, function: Callable[[], T], timeout: float = 60) -> T:
        """Runs `function` on the host's loop (where the widgets live) and returns its result."""
        done: Future = Future()

        def run() -> None:
            try:
                done.set_result(function())
            except BaseException as error:  # handed to the caller's thread
                done.set_exception(error)

        self.loop.call_soon_threadsafe(run)
        return done.result(timeout)

    @contextlib.contextmanager
    def _comms_bridged(self) -> Iterator[None]:
        original = comm.create_comm

        def create_comm(**kwargs: Any) -> BaseComm:
            bridge = BridgeComm(self, **kwargs)
            self.comms[bridge.comm_id] = bridge
            return bridge

        comm.create_comm = create_comm
        try:
            yield
        finally:
            comm.create_comm = original


@contextlib.contextmanager
def bare_host() -> Iterator[BareHost]:
    host = BareHost().start()
    try:
        yield host
    finally:
        host.stop()
