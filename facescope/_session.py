"""A warm headless analyser: one Chromium, its local server and its page, kept and reused across
clips, so a clip pays for its own analysis and not for starting a browser and loading the app.

``facescope.analyze`` uses the process's one ``shared_session()`` (started by the first call, closed
at exit); ``facescope.corpus`` gives each worker process (or Dask worker) one of its own.

All of Playwright's work happens on the session's own thread: Playwright's sync API belongs to the
thread that started it and refuses to start inside a running event loop (a notebook cell). It is a
plain thread with a queue, not a ThreadPoolExecutor, because an executor refuses new work once the
interpreter has begun to exit, and closing the browser at exit is work.

>>> from facescope._session import Session
>>> with Session() as session:                                    # doctest: +SKIP
...     for clip in ["a.mp4", "b.flv"]:
...         print(session.analyze(clip, num_faces=2).summary["frames"])
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing.util
import queue
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ._chromium import chromium_executable, launch
from ._errors import AnalysisError
from ._phases import Phases
from ._private import private_tempdir
from ._server import serve
from .headless import ProgressCallback, _converted, _one_line, assemble, guard_network, preload, prepare
from .results import Results

__all__ = ["Session", "shared_session"]

T = TypeVar("T")
_DOWNLOAD_NAME = re.compile(r"^(results|recording)-(\d+)\b")
# The page never revokes the blob: URLs of what it handed over (revoking early can cancel a
# download), so a long-lived page grows; a reload every so many clips gives that memory back.
RELOAD_EVERY = 25


class Session:
    """One headless Chromium with the facescope page open, reused for clip after clip.

    Started by the first ``analyze``; ``close()`` (or the end of a ``with`` block) ends the browser,
    the server and the driver. A failed clip (bad input) leaves the session usable; a browser that
    died is started again for the next clip.
    """

    def __init__(self, *, reload_every: int = RELOAD_EVERY) -> None:
        self.reload_every = reload_every
        self.launches = 0  # browsers started: what "reused" means, for tests and the benchmark
        self.clips = 0
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stack: contextlib.ExitStack | None = None
        self._page = None
        self._blobs: dict[str, bytes] = {}
        self._received: dict[tuple[str, int], bytes] = {}
        self._progress: ProgressCallback | None = None
        self._page_errors: list[str] = []
        self._refused: list[str] = []
        self._since_reload = 0

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def analyze(
        self,
        path: str | Path,
        *,
        model: str | Path | bytes | None = None,
        progress: ProgressCallback | None = None,
        timeout: float = 1800.0,
        **options: Any,
    ) -> Results:
        """``facescope.analyze``'s contract, in this session's browser. Raises ``AnalysisError``."""
        phases = Phases()  # a warm session's browser and page were up before this call
        phases.mark("analyze_called")
        preload()
        path, model_bytes, folder, clip_options = prepare(path, model, options)
        return _converted(
            path,
            lambda clip: self._call(
                lambda: self._analyze(folder, path.name, clip, model_bytes, clip_options, progress, timeout, phases)
            ),
        )

    def close(self) -> None:
        """Ends the browser, the server and the session's thread; a later ``analyze`` starts anew."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is None:
            return
        done = threading.Event()
        self._jobs.put((self._stop, done, []))
        done.wait(60)
        self._jobs.put(None)
        thread.join(10)

    # Everything below runs on the session's thread.

    def _call(self, job: Callable[[], T]) -> T:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve_jobs, name="facescope-session", daemon=True)
                self._thread.start()
        done, box = threading.Event(), []
        self._jobs.put((job, done, box))
        done.wait()
        ok, value = box[0]
        if not ok:
            raise value
        return value

    def _serve_jobs(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, done, box = item
            try:
                box.append((True, job()))
            except BaseException as error:  # noqa: BLE001 (handed to the caller's thread)
                box.append((False, error))
            done.set()

    def _analyze(
        self,
        folder: Path,
        name: str,
        clip: bytes,
        model: bytes,
        options: dict[str, Any],
        progress: ProgressCallback | None,
        timeout: float,
        phases: Phases,
    ) -> Results:
        t0 = time.perf_counter()
        page = self._open(folder)
        phases.mark("page_loaded")
        self._blobs.update(clip=clip, model=model)
        self._received, self._progress, self._page_errors = {}, progress, []
        refused_before = len(self._refused)
        try:
            page.set_default_timeout(timeout * 1000)
            reply = page.evaluate(
                """req => window.facescopeApp.runHeadless({...req,
                     onProgress: (p) => window.facescopeProgress(p),
                     onPhase: (phase) => window.facescopeProgress({phase})})""",
                {"serverUrl": self._url, "fileName": name, "options": options, "keepWorkers": True},
            )
            drain_s = self._drain(page, reply)
        except AnalysisError:
            raise
        except Exception as error:  # noqa: BLE001 (Playwright's Error: the page or the browser died)
            self._stop()  # the next clip gets a new browser
            raise AnalysisError(
                "environment", "Chromium stopped during the analysis: " + _one_line(str(error))[:300]
            ) from error
        finally:
            self._blobs.pop("clip", None)  # the server holds no clip between runs
            self._progress = None
        self.clips += 1
        self._since_reload += 1
        refused = self._refused[refused_before:]
        return assemble(reply, self._received, refused, drain_s, time.perf_counter() - t0, phases)

    def _drain(self, page, reply: dict[str, Any]) -> float:
        t = time.perf_counter()
        transfer = reply.get("transfer") or {}
        expected = transfer.get("messages", 0) + transfer.get("recordingParts", 0)
        while len(self._received) < expected:
            if time.perf_counter() - t > 120:
                raise AnalysisError(
                    "transfer",
                    f"only {len(self._received)} of {expected} results and recording parts arrived from the browser",
                )
            page.wait_for_timeout(10)  # lets Playwright dispatch the download events
        return time.perf_counter() - t

    def _open(self, folder: Path):
        """The page, ready for a clip: the browser and page start on first use, and the page is
        reloaded every ``reload_every`` clips."""
        if self._page is not None and self._page.is_closed():
            self._stop()
        if self._page is None:
            self._start(folder)
        elif self._since_reload >= self.reload_every:
            self._page.reload()
            self._wait_for_app(self._page)
            self._since_reload = 0
        return self._page

    def _start(self, folder: Path) -> None:
        from playwright.sync_api import sync_playwright

        stack = contextlib.ExitStack()
        try:
            tmp = stack.enter_context(private_tempdir("facescope-session-"))
            # The server reads the blobs dict at each request: a new clip is a new entry, not a new server.
            self._url = stack.enter_context(serve(folder, self._blobs))
            playwright = stack.enter_context(sync_playwright())
            try:
                browser = launch(playwright, downloads_path=tmp)
            except Exception as error:  # noqa: BLE001 (Playwright raises its own Error type)
                raise AnalysisError(
                    "environment",
                    f"could not start Chromium at {chromium_executable()} "
                    f"(set FACESCOPE_CHROMIUM): {_one_line(str(error))[:300]}",
                ) from error
            stack.callback(browser.close)
            self.launches += 1
            context = browser.new_context(service_workers="block", accept_downloads=True)
            self._refused = guard_network(context, self._url)
            page = context.new_page()
            page.on("pageerror", lambda e: self._page_errors.append(str(e)))
            page.on("download", self._on_download)
            page.expose_function("facescopeProgress", lambda p: self._progress and self._progress(p))
            page.goto(self._url)
            self._wait_for_app(page)
        except BaseException:
            stack.close()
            raise
        self._stack, self._page, self._since_reload = stack, page, 0

    def _wait_for_app(self, page) -> None:
        try:
            page.wait_for_function("window.facescopeApp !== undefined", timeout=120_000)
        except Exception as error:  # noqa: BLE001
            raise AnalysisError(
                "environment",
                "the facescope app did not load in Chromium: "
                + ("; ".join(self._page_errors) or _one_line(str(error))[:300]),
            ) from error

    def _on_download(self, download) -> None:
        match = _DOWNLOAD_NAME.match(download.suggested_filename)
        if match:  # path() waits for the download to finish
            self._received[(match[1], int(match[2]))] = Path(download.path()).read_bytes()
            # The file is read: it need not wait for the session's end in the downloads folder.
            with contextlib.suppress(Exception):
                download.delete()

    def _stop(self) -> None:
        stack, self._stack, self._page = self._stack, None, None
        if stack is not None:
            with contextlib.suppress(Exception):  # a browser that died already closes with an error
                stack.close()


_shared: Session | None = None
_shared_lock = threading.Lock()


def shared_session() -> Session:
    """The process's warm session, created on first use and closed when the interpreter exits."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Session()
            atexit.register(_shared.close)
            # A multiprocessing worker (a batch's pool, a Dask worker) ends with os._exit, after
            # multiprocessing's own exit hooks and without atexit's: close there too.
            multiprocessing.util.Finalize(None, _shared.close, exitpriority=100)
        return _shared
