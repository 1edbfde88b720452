"""The kernel side of the widget's messages (the twin of src/sync/protocol.ts and src/widget/).

A *run* is one analysis of one clip by one view. Its results (codec messages, ``_codec``) and its
recording (slices of one RRD stream) arrive as numbered parts; every part is acknowledged, a
part seen twice is dropped, and once the run has ended the parts still missing are asked for
again. Nothing here trusts the browser: a malformed part is refused with a logged reason and
never touches what is stored.

>>> sent = []
>>> sync = WidgetSync(lambda content, buffers=None: sent.append(content))
>>> sync.handle({"type": "run-start", "run": "r1", "view": "v1", "fileName": "a.mp4", "serial": None}, [])
>>> sync.handle({"type": "run-end", "run": "r1", "parts": 0, "summary": {}, "error": None, "cancelled": False}, [])
>>> sync.run.complete, sent[-1]
(True, {'type': 'run-complete', 'run': 'r1'})
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._codec import CodecError, ResultBatch, concat_batches, decode_results
from ._custom import CustomStore

# One size per direction (src/limits.ts is the front end's twin): clips and restored recordings
# leave in chunks of at most TO_BROWSER_MESSAGE_BYTES; a part from the browser above
# TO_KERNEL_MESSAGE_BYTES breaks the protocol.
from ._limits import TO_BROWSER_MESSAGE_BYTES, TO_KERNEL_MESSAGE_BYTES

log = logging.getLogger("facescope")

#: How long a view that started a run may take to answer a ping before its run counts as lost.
PING_TIMEOUT_S = 3.0
PART_KINDS = ("results", "recording")

Send = Callable[..., None]


class SyncRefused(ValueError):
    """A message from the front end that breaks the protocol; it is logged and dropped."""


@dataclass
class RunReceiver:
    """Everything the kernel holds about one run."""

    run: str
    view: str
    file_name: str
    serial: int | None
    results_parts: dict[int, ResultBatch] = field(default_factory=dict)
    recording_parts: dict[int, tuple[int, bytes]] = field(default_factory=dict)
    #: Set by run-end: how many parts were sent, the front end's summary and error.
    parts: int | None = None
    summary: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    cancelled: bool = False
    #: The view that analysed stopped answering before the run ended (a page reload, a closed tab).
    interrupted: bool = False
    #: time.time() when the run started, ended (run-end arrived) and completed here: for benchmarks.
    times: dict[str, float] = field(default_factory=lambda: {"started": time.time()})
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ended(self) -> bool:
        return self.parts is not None or self.interrupted

    @property
    def complete(self) -> bool:
        """Over, and every part the front end sent is here (or its sender is gone)."""
        return self.interrupted or (self.parts is not None and not self.missing())

    def missing(self) -> list[int]:
        if self.parts is None:
            return []
        return [s for s in range(self.parts) if s not in self.results_parts and s not in self.recording_parts]

    def add(self, seq: Any, kind: Any, data: bytes, offset: Any = None) -> bool:
        """Stores one part; False if it was already here. Raises SyncRefused for a bad one."""
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise SyncRefused(f"part number {seq!r} is not a non-negative integer")
        if kind not in PART_KINDS:
            raise SyncRefused(f"part {seq} has unknown kind {kind!r}")
        if self.parts is not None and seq >= self.parts:
            raise SyncRefused(f"part {seq} comes after the run ended with {self.parts} parts")
        if len(data) > TO_KERNEL_MESSAGE_BYTES:
            raise SyncRefused(f"part {seq} is {len(data)} bytes, more than a part may hold")
        held = self.results_parts.get(seq) if kind == "results" else self.recording_parts.get(seq)
        other = self.recording_parts if kind == "results" else self.results_parts
        if seq in other:
            raise SyncRefused(f"part {seq} arrived as {kind} but is already held as the other kind")
        if kind == "recording":
            if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
                raise SyncRefused(f"recording part {seq} has no valid offset ({offset!r})")
            if held is not None:
                if held != (offset, data):
                    raise SyncRefused(f"recording part {seq} arrived twice with different contents")
                return False
            self.recording_parts[seq] = (offset, bytes(data))
        else:
            try:
                batch = decode_results(bytes(data))
            except (CodecError, ValueError, KeyError, TypeError) as error:
                raise SyncRefused(f"results part {seq} does not decode: {error}") from error
            if batch.extra.get("run") != self.run or batch.extra.get("seq") != seq:
                raise SyncRefused(
                    f"results part {seq} is labelled run {batch.extra.get('run')!r} part {batch.extra.get('seq')!r}"
                )
            if held is not None:
                return False
            self.results_parts[seq] = batch
        self._cache.clear()
        return True

    def batch(self) -> ResultBatch:
        """Every frame received so far, in frame order."""
        if "batch" not in self._cache:
            self._cache["batch"] = concat_batches(self.results_parts[s] for s in sorted(self.results_parts))
        return self._cache["batch"]

    def recording(self) -> bytes:
        """The RRD stream from its start as far as the parts received are contiguous."""
        if "recording" not in self._cache:
            pieces, at = [], 0
            for offset, data in sorted(self.recording_parts.values(), key=lambda p: p[0]):
                if offset > at:
                    break  # a hole: a later part would continue a stream we do not have
                if offset + len(data) > at:
                    pieces.append(data[at - offset :])
                    at = offset + len(data)
            self._cache["recording"] = b"".join(pieces)
        return self._cache["recording"]


class WidgetSync:
    """Dispatches the front end's messages for one widget and answers them through ``send``.

    ``send(content, buffers)`` is the widget's ``send``; ``on_change()`` is called whenever the
    state a caller may wait on changed (a part, a run's end, an interruption).
    """

    def __init__(
        self,
        send: Send,
        on_change: Callable[[], None] | None = None,
        schedule: Callable[[float, Callable[[], None]], None] | None = None,
    ) -> None:
        self._send = send
        self._on_change = on_change or (lambda: None)
        self._schedule = schedule or _call_later
        self.run: RunReceiver | None = None
        #: Views ever rendered (view-open, then hello once their viewer is ready); none if never shown.
        self.views: set[str] = set()
        #: What Python asked the views to analyse: a clip's bytes, or a recording's settings.
        self.clip: tuple[int, str, bytes | dict[str, Any]] | None = None
        #: The view that claimed the clip, and whether its run has started.
        self.clip_view: str | None = None
        self.clip_started = False
        self.refused: list[str] = []
        #: Views asked whether they are still there, not answered yet.
        self._pinged: set[str] = set()
        #: Views that appeared while another view's run was under way: they get its recording.
        self._waiting: set[str] = set()
        #: Python's series and events in the current run's recording (log_series, log_events).
        self.custom = CustomStore()

    def adopt(
        self, batch: ResultBatch, summary: dict[str, Any] | None, recording: bytes, file_name: str
    ) -> RunReceiver:
        """Makes results computed elsewhere (``facescope.analyze``, a saved folder) this widget's
        finished run; views rebuild their viewer from its recording when they ask."""
        run = RunReceiver(f"kernel-{time.time_ns():x}", "kernel", file_name, None)
        run.results_parts[0] = batch
        if recording:
            run.recording_parts[1] = (0, bytes(recording))
        run.parts, run.summary = len(run.results_parts) + len(run.recording_parts), summary
        self.run, self.clip, self.clip_view = run, None, None
        self.custom.clear()
        self._send({"type": "run-offer", "run": run.run})
        self._on_change()
        return run

    # -- kernel → browser -------------------------------------------------------------------
    def offer_clip(self, name: str, data: bytes) -> int:
        serial = self.clip[0] + 1 if self.clip else 1
        self.clip, self.clip_view, self.clip_started = (serial, name, data), None, False
        self._send({"type": "clip-offer", "serial": serial})
        return serial

    def offer_recording(self, seconds: float | None, device: str | None) -> int:
        """Asks a view to record from its camera: the view that claims it (as it claims a clip)
        gets a ``record`` command instead of clip chunks."""
        serial = self.clip[0] + 1 if self.clip else 1
        self.clip = (serial, "camera", {"seconds": seconds, "device": device})
        self.clip_view, self.clip_started = None, False
        self._send({"type": "clip-offer", "serial": serial})
        return serial

    def _send_chunks(self, kind: str, header: dict[str, Any], data: bytes) -> None:
        view, count = memoryview(data), max(1, -(-len(data) // TO_BROWSER_MESSAGE_BYTES))
        for index in range(count):
            self._send(
                {"type": kind, **header, "index": index, "count": count, "size": len(data)},
                [view[index * TO_BROWSER_MESSAGE_BYTES : (index + 1) * TO_BROWSER_MESSAGE_BYTES]],
            )

    # -- browser → kernel -------------------------------------------------------------------
    def handle(self, content: Any, buffers: list) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = getattr(self, "_on_" + str(kind).replace("-", "_"), None)
        if handler is None:
            return  # other messages (model-request) are the widget's
        try:
            handler(content, buffers)
        except SyncRefused as error:
            self._refuse(str(error))
        except (KeyError, TypeError, ValueError) as error:
            self._refuse(f"malformed {kind} message ({type(error).__name__}: {error})")

    def _refuse(self, reason: str) -> None:
        self.refused.append(reason)
        log.warning("facescope: refused a message from the front end: %s", reason)

    def _on_view_open(self, content: dict, _buffers: list) -> None:
        self.views.add(str(content["view"]))  # rendered; its hello comes once its viewer is ready

    def _on_hello(self, content: dict, _buffers: list) -> None:
        view, shows = str(content["view"]), content.get("shows")
        self.views.add(view)
        run = self.run
        if run is None:
            return
        if not run.ended and run.view != view:
            self._waiting.add(view)
            self._ping(run.view)
        elif run.ended and run.run != shows:
            self._restore(view)

    def _on_kernel_ping(self, content: dict, _buffers: list) -> None:
        # Answered at once, before the kernel reports idle for the ping: a view that sees idle
        # without this answer knows the kernel no longer has the widget (it restarted).
        self._send({"type": "kernel-pong", "view": str(content["view"]), "id": int(content["id"])})

    def _on_pong(self, content: dict, _buffers: list) -> None:
        self._pinged.discard(str(content["view"]))

    def _on_clip_request(self, content: dict, _buffers: list) -> None:
        view = str(content["view"])
        if self.clip is None or self.clip_view not in (None, view):
            # Nothing to give, or another view of this widget took it: the view may say it is ready.
            self._send({"type": "clip-none", "to": view})
            return
        self.clip_view = view
        serial, name, data = self.clip
        if isinstance(data, dict):
            self._send({"type": "record", "to": view, "serial": serial, **data})
        else:
            self._send_chunks("clip", {"to": view, "serial": serial, "name": name}, data)

    def _on_run_start(self, content: dict, _buffers: list) -> None:
        serial = content.get("serial")
        self.run = RunReceiver(
            str(content["run"]),
            str(content["view"]),
            str(content.get("fileName", "")),
            serial if isinstance(serial, int) else None,
        )
        if self.clip is not None and self.run.serial == self.clip[0]:
            self.clip_view, self.clip_started = self.run.view, True
        self.custom.clear()
        self._on_change()

    def _on_custom_rrd(self, content: dict, buffers: list) -> None:
        if buffers and len(buffers[0]) > TO_KERNEL_MESSAGE_BYTES:
            raise SyncRefused(f"custom data {content.get('name')!r} came back larger than a message may be")
        if self.custom.written(content, buffers):
            self.ask_tail()
            self._on_change()

    def ask_tail(self) -> None:
        """Sends the views the current run's recording joined with every custom log, for a footer
        whose manifest lists them all (src/widget/customChannel.ts answers with `custom-tail`)."""
        joined = self.custom.ask_tail(self.run.recording()) if self.run is not None else None
        if joined is not None:
            self._send_chunks("custom-file", {"version": self.custom.version}, joined)

    def _on_custom_tail(self, content: dict, buffers: list) -> None:
        if buffers and len(buffers[0]) > TO_KERNEL_MESSAGE_BYTES:
            raise SyncRefused("a custom-tail came back larger than a message may be")
        joined = self.custom.joined(self.run.recording()) if self.run is not None else None
        if joined is not None and self.custom.tail_written(content, buffers, len(joined)):
            self._on_change()

    def _current(self, content: dict) -> RunReceiver | None:
        run = self.run
        if run is None or content.get("run") != run.run:
            # A replaced run still sending: nothing of it is kept, but it must stop resending.
            return None
        return run

    def _on_run_parts(self, content: dict, buffers: list) -> None:
        """Parts travel several to a message (each its own buffer); one acknowledgement answers them."""
        headers = content["parts"]
        if not isinstance(headers, list) or not headers:
            raise SyncRefused("a run-parts message without parts")
        if len(buffers) != len(headers):
            raise SyncRefused(f"{len(headers)} parts came with {len(buffers)} buffers: a part without its bytes")
        run = self._current(content)
        acked = []
        for header, data in zip(headers, buffers, strict=True):
            try:
                if run is not None:
                    run.add(header["seq"], header["kind"], bytes(data), header.get("offset"))
                acked.append(header["seq"])
            except SyncRefused as error:
                self._refuse(str(error))
            except (KeyError, TypeError, ValueError) as error:
                self._refuse(f"malformed part header ({type(error).__name__}: {error})")
        if acked:
            self._send({"type": "run-ack", "run": content["run"], "seqs": acked})
        if run is not None:
            self._check_complete(run)
            self._on_change()

    def _on_run_end(self, content: dict, _buffers: list) -> None:
        run = self._current(content)
        if run is None:
            self._send({"type": "run-complete", "run": content["run"]})
            return
        parts = content["parts"]
        if (
            not isinstance(parts, int)
            or parts < 0
            or any(s >= parts for s in (*run.results_parts, *run.recording_parts))
        ):
            raise SyncRefused(f"run-end says {parts!r} parts, inconsistent with the parts received")
        error = content.get("error")
        run.parts = parts
        run.summary = content.get("summary") if isinstance(content.get("summary"), dict) else None
        run.error = (
            {"code": str(error.get("code", "error")), "message": str(error.get("message", ""))}
            if isinstance(error, dict)
            else None
        )
        run.cancelled = bool(content.get("cancelled"))
        run.times.setdefault("ended", time.time())
        missing = run.missing()
        if missing:
            self._send({"type": "run-resend", "run": run.run, "seqs": missing})
        self._check_complete(run)
        self._on_change()

    def _check_complete(self, run: RunReceiver) -> None:
        if run.parts is not None and not run.missing():
            first = "completed" not in run.times
            run.times.setdefault("completed", time.time())
            self._send({"type": "run-complete", "run": run.run})
            if first and self.custom.rrd:
                self.ask_tail()  # logged while the run was under way: its footer came after

    # -- liveness and restoring --------------------------------------------------------------
    def _ping(self, view: str) -> None:
        if view in self._pinged:
            return
        self._pinged.add(view)
        self._send({"type": "ping", "view": view})
        self._schedule(PING_TIMEOUT_S, lambda: self.check_owner(view))

    def check_owner(self, view: str) -> None:
        """Declares the run lost if its view has not answered the ping sent to it."""
        run = self.run
        if view not in self._pinged or run is None or run.view != view or run.ended:
            return
        self._pinged.discard(view)
        run.interrupted = True
        frames = run.batch().frames
        run.error = {
            "code": "interrupted",
            "message": f"the page analysing {run.file_name} went away after "
            f"{frames} frames; the results it sent are kept",
        }
        self._on_change()
        for other in sorted(self._waiting - {view}):
            self._restore(other)
        self._waiting.clear()

    def _restore(self, view: str) -> None:
        run = self.run
        data = self.custom.splice(run.recording()) if run is not None else b""
        if run is not None and data:
            self._send_chunks("restore", {"to": view, "run": run.run}, data)


def _call_later(delay: float, callback: Callable[[], None]) -> None:
    """Runs ``callback`` on the kernel's event loop after ``delay`` seconds (comm handlers run there)."""
    try:
        asyncio.get_running_loop().call_later(delay, callback)
    except RuntimeError:
        pass  # no loop (plain Python): nobody can answer a ping either; callers check by hand
