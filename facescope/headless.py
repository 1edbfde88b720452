"""Analyse a clip without a notebook: the app bundle in headless Chromium, driven by Playwright.

The same front end as the widget does the work (decode, MediaPipe, the Rerun recording); Python
serves it on 127.0.0.1, hands it the clip and the model, and receives results messages (the codec
in ``_codec``) and the ``.rrd`` bytes. No request may leave 127.0.0.1: a Playwright route refuses
anything else and the refusals are reported in the summary (``refused_requests``).

>>> from facescope.headless import analyze_file
>>> result = analyze_file("clip.mp4", out_dir="out", num_faces=2)   # doctest: +SKIP
>>> result.landmarks.shape, result.blendshapes.shape                  # doctest: +SKIP
((75, 1, 478, 3), (75, 53))
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from . import options as _options
from ._chromium import chromium_executable, chromium_sandbox, kill_launched, launch
from ._convert import ConversionError, readable
from ._errors import AnalysisError
from ._frontend import FrontEndMissing, app_dir
from ._limits import MAX_CLIP_BYTES, too_large_message
from ._phases import Phases
from ._private import private_tempdir
from ._server import serve
from ._signals import stopping
from .model import ModelError, resolve_model

if TYPE_CHECKING:
    from .results import Results

__all__ = ["AnalysisError", "ProgressCallback", "analyze_file", "guard_network"]

ProgressCallback = Callable[[dict[str, Any]], None]


def analyze_file(
    path: str | Path,
    out_dir: str | Path | None = None,
    *,
    model: str | Path | bytes | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 1800.0,
    playwright=None,
    **options: Any,
) -> Results:
    """Analyses ``path`` in headless Chromium and returns its ``Results``; writes ``Results.save``'s
    files (the README's "Files" table) into ``out_dir`` when it is given.

    ``options``: those of ``facescope.options.OPTIONS`` (num_faces, max_frames, delegate, …), checked
    here (TypeError, ValueError) before Chromium starts. ``playwright``: a running sync Playwright to
    reuse (one driver per process). Raises ``AnalysisError``; a partial result rides on ``.partial``.
    """
    phases = Phases()  # summary["phases_ms"]: where the run's time goes (scripts/bench_user_path.py)
    phases.mark("analyze_called")
    preload()
    path, model_bytes, folder, clip_options = prepare(path, model, options)

    def job() -> Results:
        return _converted(
            path,
            lambda clip: _run(path, folder, clip, model_bytes, clip_options, progress, timeout, playwright, phases),
        )

    if playwright is None and _loop_running():
        # Playwright's sync API refuses to start inside an event loop (a notebook cell): use a thread.
        # A driver the caller passes in stays on the caller's thread, where it lives.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            result = pool.submit(job).result()
    else:
        result = job()
    if out_dir is not None:
        result.save(out_dir)
        phases.mark("files_written")
        result.summary["phases_ms"] = phases.ms()
        from ._export import write_summary

        write_summary(result, out_dir)  # again, now with files_written
    return result


def preload() -> None:
    """Imports numpy, the results' modules, pandas and pyarrow (~0.5–2 s) in a thread while Chromium
    starts and analyses: the results need them only at the end. Python's import lock makes a later
    import wait for this one."""

    def load() -> None:
        try:
            import pandas  # noqa: F401
            import pyarrow.parquet  # noqa: F401

            from . import results  # noqa: F401  (numpy, the codec)
        except ImportError:  # the error belongs to the code that needs them, later
            pass

    threading.Thread(target=load, name="facescope-preload", daemon=True).start()


def prepare(
    path: str | Path, model: str | Path | bytes | None, options: dict[str, Any]
) -> tuple[Path, bytes, Path, dict[str, Any]]:
    """Everything checked before a browser is asked: the clip's path, the model's bytes, the built
    app's folder and the options by their front-end names. Raises ``AnalysisError``."""
    clip_options = _options.to_front_end(_options.renamed(options))
    path = Path(path)
    if not path.exists():
        raise AnalysisError("missing-file", f"no such file: {path}")
    if not path.is_file():
        raise AnalysisError("missing-file", f"not a file: {path}")
    size = path.stat().st_size
    if size > MAX_CLIP_BYTES:
        raise AnalysisError("too-large", too_large_message(path.name, size))
    try:
        model_bytes = resolve_model(model)
    except ModelError as error:
        raise AnalysisError("model", str(error)) from error
    try:
        folder = app_dir()
    except FrontEndMissing as error:
        raise AnalysisError("environment", str(error)) from None
    return path, model_bytes, folder, clip_options


def _converted(path: Path, run: Callable[[bytes], Results]) -> Results:
    """``run`` on the clip's bytes as the page can read them (``_convert``); a converted clip's
    summary says what it was converted from, also on a partial result."""
    try:
        with readable(path) as clip:
            data = clip.path.read_bytes()
    except ConversionError as error:
        raise AnalysisError("unreadable", str(error)) from error
    try:
        result = run(data)
    except AnalysisError as error:
        if clip.converted_from and error.partial is not None:
            error.partial.summary["converted_from"] = clip.converted_from
        raise
    if clip.converted_from:
        result.summary["converted_from"] = clip.converted_from
    return result


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _run(
    path: Path,
    folder: Path,
    clip: bytes,
    model: bytes,
    options: dict[str, Any],
    progress: ProgressCallback | None,
    timeout: float,
    playwright,
    phases: Phases | None = None,
) -> Results:
    phases = phases or Phases()
    t0 = time.perf_counter()
    # The browser's downloads (the results) go to a private directory that goes when the run ends;
    # the server stops then too. Ctrl-C / SIGTERM in the CLI stop the browser: see _signals.
    with (
        private_tempdir("facescope-run-") as tmp,
        serve(folder, {"clip": clip, "model": model}) as url,
        stopping(kill_launched),
    ):
        if playwright is None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                reply, received, refused, drain_s = _drive(p, url, tmp, path.name, options, progress, timeout, phases)
        else:
            reply, received, refused, drain_s = _drive(
                playwright, url, tmp, path.name, options, progress, timeout, phases
            )
    return assemble(reply, received, refused, drain_s, time.perf_counter() - t0, phases)


def assemble(
    reply: dict[str, Any],
    received: dict[tuple[str, int], bytes],
    refused: list[str],
    drain_s: float,
    wall_s: float,
    phases: Phases,
) -> Results:
    """The ``Results`` of one page run: its reply, the downloads it handed over by (kind, seq), the
    requests the route refused, the run's phase marks so far; raises ``AnalysisError`` (partial
    result on ``.partial``) for a failed run. Shared by one-off runs and the warm ``_session.Session``."""
    transfer = dict(reply.get("transfer") or {})
    messages = [received[("results", i)] for i in range(transfer.get("messages", 0))]
    recording = b"".join(received[("recording", i)] for i in range(transfer.get("recordingParts", 0)))
    # Imported here, not at the top: numpy alone is ~0.1–0.4 s a command would wait for before
    # Chromium starts; by now preload() has imported it beside the browser.
    from ._codec import concat_batches, decode_results
    from .results import Results

    batch = concat_batches(decode_results(m) for m in messages)
    phases.mark("results_in_python")
    phases.add(reply.get("marks"))
    summary = dict(reply.get("summary") or {})
    summary["phasesMs"] = phases.ms()
    # blockedRequests: what the page's own guard refused (MediaPipe's telemetry); refusedRequests:
    # what got as far as the browser's network stack and the route turned away.
    summary["refusedRequests"] = sorted(set(refused))
    summary["transfer"] = {**transfer, "recordingBytes": len(recording), "drainMs": round(drain_s * 1000, 1)}
    summary["wallMs"] = round(wall_s * 1000, 1)
    summary["chromiumSandbox"] = chromium_sandbox().describe()
    summary["faceFound"] = bool(summary.get("framesWithFaces"))
    error = reply.get("error")
    if error:
        summary["error"] = error
    result = Results(batch, summary, recording)  # its summary: these keys in snake_case
    if error:
        raise AnalysisError(
            error.get("code") or error.get("name") or "error",
            _one_line(error.get("message", "")),
            partial=result if batch.frames else None,
        )
    return result


def _one_line(message: str) -> str:
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def guard_network(context, base_url: str) -> list[str]:
    """Refuses every request of ``context`` that is not for ``base_url``'s origin (data: and blob:
    URLs never reach the network); returns the list the refused URLs are appended to."""
    origin = urlparse(base_url)
    refused: list[str] = []

    def foreign(u: str) -> bool:
        p = urlparse(u)
        return p.scheme not in ("data", "blob") and (p.scheme, p.hostname, p.port) != (
            origin.scheme,
            origin.hostname,
            origin.port,
        )

    def refuse(route) -> None:
        refused.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(foreign, refuse)
    return refused


_DOWNLOAD_NAME = re.compile(r"^(results|recording)-(\d+)\b")


def _drive(
    playwright,
    url: str,
    tmp: Path,
    file_name: str,
    options: dict[str, Any],
    progress: ProgressCallback | None,
    timeout: float,
    phases: Phases | None = None,
) -> tuple[dict[str, Any], dict[tuple[str, int], bytes], list[str], float]:
    """Opens the page and runs the analysis. Returns the page's reply, the downloads it handed over
    by (kind, seq), the requests the route refused, and the seconds spent waiting for downloads
    after the page finished."""
    received: dict[tuple[str, int], bytes] = {}

    def on_download(download) -> None:
        match = _DOWNLOAD_NAME.match(download.suggested_filename)
        if match:  # path() waits for the download to finish
            received[(match[1], int(match[2]))] = Path(download.path()).read_bytes()

    try:
        browser = launch(playwright, downloads_path=tmp)
    except Exception as error:  # noqa: BLE001 (Playwright raises its own Error type for a missing binary)
        raise AnalysisError(
            "environment",
            f"could not start Chromium at {chromium_executable()} "
            f"(set FACESCOPE_CHROMIUM): {_one_line(str(error))[:300]}",
        ) from error
    mark = phases.mark if phases else lambda _name: None
    mark("browser_launched")
    page_errors: list[str] = []
    try:
        context = browser.new_context(service_workers="block", accept_downloads=True)
        refused = guard_network(context, url)
        page = context.new_page()
        page.set_default_timeout(timeout * 1000)
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.on("download", on_download)
        page.expose_function("facescopeProgress", lambda p: progress and progress(p))
        page.goto(url)
        try:
            page.wait_for_function("window.facescopeApp !== undefined", timeout=120_000)
        except Exception as error:  # noqa: BLE001
            raise AnalysisError(
                "environment",
                "the facescope app did not load in Chromium: "
                + ("; ".join(page_errors) or _one_line(str(error))[:300]),
            ) from error
        mark("page_loaded")
        reply = page.evaluate(
            """req => window.facescopeApp.runHeadless({...req,
                 onProgress: (p) => window.facescopeProgress(p),
                 onPhase: (phase) => window.facescopeProgress({phase})})""",
            {"serverUrl": url, "fileName": file_name, "options": options},
        )
        t = time.perf_counter()
        transfer = reply.get("transfer") or {}
        expected = transfer.get("messages", 0) + transfer.get("recordingParts", 0)
        while len(received) < expected:
            if time.perf_counter() - t > 120:
                raise AnalysisError(
                    "transfer",
                    f"only {len(received)} of {expected} results and recording parts arrived from the browser",
                )
            page.wait_for_timeout(10)  # lets Playwright dispatch the download events
        drain_s = time.perf_counter() - t
        context.close()
    finally:
        browser.close()
    return reply, received, refused, drain_s
