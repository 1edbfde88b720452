"""The FaceScope widget: the Python face of the front end in ``src/widget/``."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from . import _frontend
from . import options as _options
from ._codec import ResultBatch, empty_columns
from ._convert import read_for_page
from ._cursor import CursorTraits
from ._custom import CustomLog
from ._errors import AnalysisError
from ._limits import MAX_CLIP_BYTES, too_large_message
from ._summary import Summary
from ._sync import WidgetSync
from .model import ModelError, resolve_model
from .results import Results

_STATIC = Path(__file__).parent / "static"

#: What ``scope.status`` can be (the view's ViewState, src/widget/model.ts).
VIEW_STATES = ("loading", "idle", "analysing", "done", "error")

#: How long analyzed() waits, after the kernel holds a run, for the view to report it done.
STATUS_SETTLES_S = 3.0


#: ``analyzed()`` gives up waiting for a view to appear after this long.
NOT_SHOWN_AFTER_S = 20.0


def _option_trait(option: _options.Option) -> traitlets.TraitType:
    if option.kind == "choice":
        trait = traitlets.Enum(option.choices, option.default, help=option.help)
    else:
        trait = {"int": traitlets.Int, "float": traitlets.Float, "bool": traitlets.Bool}[option.kind](
            option.default, help=option.help
        )
    return trait.tag(sync=True)


def _check_option(self: traitlets.HasTraits, proposal: traitlets.Bunch) -> Any:
    try:
        return _options.OPTIONS[proposal["trait"].name].check(proposal["value"])
    except ValueError as error:
        raise traitlets.TraitError(str(error)) from None


#: One synced trait per row of the options table (facescope/options.py), checked against its range.
_OptionTraits = type(
    "_OptionTraits",
    (traitlets.HasTraits,),
    {
        **{option.name: _option_trait(option) for option in _options.OPTIONS.values()},
        "_check_option": traitlets.validate(*_options.OPTIONS)(_check_option),
    },
)


class FaceScope(CursorTraits, CustomLog, anywidget.AnyWidget, _OptionTraits):
    """An inline Rerun viewer that analyses the clips you drop on it, in the browser.

    Everything heavy (decoding, MediaPipe, writing the Rerun recording) runs in the browser
    tab that shows the notebook; the kernel only provides the face model and receives results.

    >>> scope = FaceScope(num_faces=2, height=480)
    >>> scope.num_faces, scope.height
    (2, 480)
    >>> FaceScope(min_detection_confidence=1.5)
    Traceback (most recent call last):
    traitlets.traitlets.TraitError: min_detection_confidence must be a number from 0 to 1, got 1.5
    >>> scope.status   # set by the front end: loading, idle, analysing, done or error
    'loading'
    """

    _esm = _STATIC / "widget.js"

    height = traitlets.Int(640, help="Height of the viewer in CSS pixels (min 200).").tag(sync=True)

    # The analysis options (num_faces, max_frames, delegate, …) are traits of _OptionTraits, one
    # per row of facescope/options.py.

    # Set by the front end.
    status = traitlets.Unicode("loading", read_only=True, help="loading, idle, analysing, done or error.").tag(
        sync=True
    )
    message = traitlets.Unicode("", read_only=True, help="The status line the widget shows.").tag(sync=True)
    error = traitlets.Unicode("", read_only=True, help="The last error, in words; empty if none.").tag(sync=True)

    progress = traitlets.Dict(read_only=True, help="While analysing: frames done, total, fps, eta_s.").tag(sync=True)

    def __init__(
        self,
        source: str | os.PathLike | bytes | Results | None = None,
        *,
        model: str | os.PathLike | bytes | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**_options.renamed(kwargs))
        self._model_source = model
        self._model_bytes: bytes | None = None
        # Through a lambda: the widget's `send` is looked up on each call (tests replace it).
        self._sync = WidgetSync(
            lambda content, buffers=None: self.send(content, buffers), on_change=self._on_sync_change
        )
        self._results: tuple[tuple, Results] | None = None
        self._converted: tuple[str, str, str] | None = None  # (name sent, file name, converted from)
        self.on_msg(self._on_front_end_message)
        if isinstance(source, Results):
            self.show(source)
        elif source is not None:
            self.analyze(source)

    def analyze(self, source: str | os.PathLike | bytes, **options: Any) -> None:
        """Sends a clip (a path or its bytes) to the browser, which analyses it in the widget.

        Options are the widget's own (``num_faces``, ``max_dim``, ``max_frames``, … see
        ``facescope.options.OPTIONS``) and stay set. They are checked before anything is sent.
        The analysis starts once the widget is on screen; ``await scope.analyzed()`` waits for it.

        >>> scope = FaceScope()
        >>> scope.analyze(b"", num_faces=2)
        Traceback (most recent call last):
        ValueError: the clip is empty (0 bytes)
        >>> scope.analyze(b"...", num_faces=0)
        Traceback (most recent call last):
        ValueError: num_faces must be an integer from 1 to 20, got 0
        """
        given = _options.check(_options.renamed(options))  # TypeError / ValueError before anything changes
        name, data, converted_from = _read_clip(source)
        for key, value in given.items():
            setattr(self, key, value)
        shown = f"{name} (converted from {converted_from})" if converted_from else name  # the status line says it
        self._converted = (shown, name, converted_from) if converted_from else None
        self._sync.offer_clip(shown, data)

    @property
    def max_frame(self) -> int:
        """Deprecated: ``max_frames``."""
        _options.renamed({"max_frame": None})
        return self.max_frames

    @max_frame.setter
    def max_frame(self, value: int) -> None:
        self.max_frames = _options.renamed({"max_frame": value})["max_frames"]

    def record(self, seconds: float | None = 10, device: str | None = None) -> None:
        """Records from the browser's camera and analyses it live in the widget, like a clip.

        ``seconds`` of camera time (``None``: until the widget's Stop button), from ``device`` (a
        camera's label or part of it, or its id; ``None``: the browser's default camera). The browser
        asks for permission the first time. Frames the analysis cannot keep up with are recorded but
        not analysed: ``summary["captured_frames"]`` and ``summary["analysed_frames"]`` count both.
        ``await scope.analyzed()`` waits for the end and raises ``AnalysisError`` if the camera was
        refused, missing or lost (what was recorded until then is kept).

        >>> scope = FaceScope()
        >>> scope.record(seconds=0)
        Traceback (most recent call last):
        ValueError: seconds must be positive (or None: until Stop), got 0
        """
        if seconds is not None and not (isinstance(seconds, (int, float)) and seconds > 0):
            raise ValueError(f"seconds must be positive (or None: until Stop), got {seconds!r}")
        if device is not None and not isinstance(device, str):
            raise TypeError(f"device must be a camera's label or id (str), got {type(device).__name__}")
        self._sync.offer_recording(None if seconds is None else float(seconds), device)

    def show(self, results: Results) -> None:
        """Shows results computed elsewhere in this widget: their recording in the viewer, their
        tables on ``scope.blendshapes`` and friends. ``FaceScope(results)`` does the same.

        >>> res = facescope.analyze("clip.mp4")      # doctest: +SKIP
        >>> FaceScope(res)                            # doctest: +SKIP
        >>> FaceScope(facescope.load("out/"))         # doctest: +SKIP  (python -m facescope analyze --out out/)
        """
        name = str(results.summary.get("file_name") or "results")
        self._sync.adopt(results.batch, results.summary, results.recording, name)
        message = f"{name}: {results.frames} frames, shown from Python"
        self.set_trait("message", message)
        self.set_trait("error", "")
        self.set_trait("status", "done")  # views that see "done" ask the kernel for the recording

    async def analyzed(self, timeout: float | None = None) -> Results:
        """Waits until the browser has analysed the clip and the kernel holds every result.

        Returns the results (also on ``scope.blendshapes`` and friends); raises ``AnalysisError``
        if the analysis failed (what was analysed before the failure stays available), and
        ``TimeoutError`` after ``timeout`` seconds.

        >>> scope = FaceScope("clip.mp4")          # doctest: +SKIP
        >>> scope                                   # doctest: +SKIP
        >>> results = await scope.analyzed()       # doctest: +SKIP  (next cell)
        >>> results.blendshapes.shape              # doctest: +SKIP
        (300, 53)
        """
        _require_concurrent_comms()
        loop = asyncio.get_running_loop()
        began = loop.time()
        while not self._finished():
            waited = loop.time() - began
            if timeout is not None and waited > timeout:
                done = self.progress.get("done", 0)
                raise TimeoutError(f"the analysis did not finish within {timeout:g} s ({done} frames so far)")
            if self.status == "error" and self._sync.run is None and self._sync.views:
                # The view failed before any run (its viewer or front end would not load).
                raise AnalysisError("environment", self.message or "the widget's front end failed to load")
            if not self._sync.views and waited > NOT_SHOWN_AFTER_S:
                raise RuntimeError(
                    "the widget is not on screen, so nothing analyses the clip: show it "
                    "(`scope` as the last line of a cell, or display(scope)) and await in "
                    "the next cell, or use facescope.analyze(path) for no widget at all"
                )
            await asyncio.sleep(0.05)  # the kernel reads the widget's messages meanwhile
        # The view writes "done" once it hears the kernel holds everything, a moment after the
        # kernel knows: wait for it so `scope.status` agrees with what analyzed() returns.
        settle = loop.time() + STATUS_SETTLES_S
        while self.status in ("loading", "analysing") and self._sync.views and loop.time() < settle:
            await asyncio.sleep(0.02)
        run = self._sync.run
        assert run is not None
        if run.error is not None:
            raise AnalysisError(
                run.error["code"],
                f"{run.file_name}: {run.error['message']}",
                partial=self.results if run.results_parts else None,
            )
        return self.results

    def _finished(self) -> bool:
        run = self._sync.run
        if run is None or (self._sync.clip is not None and not self._sync.clip_started):
            return False  # nothing yet, or the clip Python gave has not started (a finished run may be older)
        return run.complete

    @property
    def results(self) -> Results:
        """The latest run's results (what has arrived so far while it is under way)."""
        run = self._sync.run
        if run is None:
            return Results(ResultBatch(empty_columns()))
        key = (run.run, len(run.results_parts), len(run.recording_parts), run.ended, self._sync.custom.state)
        if self._results is None or self._results[0] != key:
            recording = self._sync.custom.splice(run.recording())  # with Python's log_series, log_events
            self._results = (key, Results(run.batch(), self._plain_summary(run.summary), recording))
        return self._results[1]

    @property
    def summary(self) -> Summary | None:
        """What the last analysis reported, snake_case keys: frames, faces_per_frame, stage_ms, fps…"""
        run = self._sync.run
        return Summary.of(self._plain_summary(run.summary)) if run is not None and run.summary is not None else None

    def _plain_summary(self, summary: dict[str, Any] | None) -> dict[str, Any] | None:
        """The front end's summary; a converted clip's gets its own file name back and ``converted_from``."""
        if summary is None or self._converted is None or summary.get("fileName") != self._converted[0]:
            return summary
        return {**summary, "fileName": self._converted[1], "convertedFrom": self._converted[2]}

    @property
    def blendshapes(self):
        """pandas DataFrame indexed by (frame_idx, face_id): ``time`` and the 52 scores."""
        return self.results.blendshapes

    def blendshapes_long(self):
        """Tidy form: frame_idx, time, face_id, category, score."""
        return self.results.blendshapes_long()

    def blendshapes_calibrated(self, baseline: Any = None, **kwargs: Any):
        """Blendshapes minus each face's mean over a neutral span (see ``Results.blendshapes_calibrated``)."""
        return self.results.blendshapes_calibrated(baseline, **kwargs)

    @property
    def landmarks(self):
        """numpy float32, frames × faces × 478 × 3 (faces in ``face_ids`` order), NaN where absent."""
        return self.results.landmarks

    def landmarks_long(self, pixels: bool = False):
        """Tidy form of the landmarks: a DataFrame indexed by (frame_idx, face_id, landmark), columns x, y, z."""
        return self.results.landmarks_long(pixels=pixels)

    def landmarks_frame(self, pixels: bool = False):
        """Deprecated: ``landmarks_long``."""
        _warn_renamed("landmarks_frame", "landmarks_long")
        return self.results.landmarks_long(pixels=pixels)

    @property
    def detections(self):
        """The face detector's boxes, scores and 6 keypoints per frame."""
        return self.results.detections

    @property
    def head_pose(self):
        """Yaw, pitch and roll in degrees per frame and face."""
        return self.results.head_pose

    def save_rrd(self, path: str | os.PathLike) -> Path:
        """Writes the recording the viewer shows as an ``.rrd`` file (opens in Rerun 0.33)."""
        return self.results.save_rrd(path)

    def to_parquet(self, directory: str | os.PathLike) -> Path:
        """Writes the tables as Parquet files and the arrays as ``.npy`` into ``directory`` (``Results.to_parquet``)."""
        return self.results.to_parquet(directory)

    def to_csv(self, directory: str | os.PathLike) -> Path:
        """Writes the tables as CSV files and the arrays as ``.npy`` into ``directory`` (``Results.to_csv``)."""
        return self.results.to_csv(directory)

    def save(self, directory: str | os.PathLike) -> Path:
        """Writes every file ``facescope.load`` reads back into ``directory`` (``Results.save``)."""
        return self.results.save(directory)

    @traitlets.validate("height")
    def _check_height(self, proposal: traitlets.Bunch) -> int:
        value = int(proposal["value"])
        if value < 200:
            raise traitlets.TraitError(f"height must be at least 200 pixels, got {value}")
        return value

    def _on_front_end_message(self, _widget: Any, content: dict, buffers: list) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "model-request":
            self._send_model()
        elif content.get("type") == "view-status":
            self._on_view_status(content)
        elif self._on_cursor_message(content):
            pass
        elif not _frontend.answer(content, lambda reply, data: self.send(reply, data)):
            self._sync.handle(content, buffers)

    def _on_view_status(self, content: dict) -> None:
        """The view's status traits as a custom message (src/kernel/model.ts, shareStatus): the
        kernel has them even while a cell awaits, when Jupyter holds the trait update back.
        Locked as if the update itself had come, so nothing is sent back to the views."""
        state = {key: content.get(key) for key in ("status", "message", "error")}
        if not all(isinstance(value, str) for value in state.values()) or state["status"] not in VIEW_STATES:
            return
        with self._lock_property(**state), self.hold_trait_notifications():
            for key, value in state.items():
                self.set_trait(key, value)

    def _on_sync_change(self) -> None:
        run = self._sync.run
        if run is not None:
            _import_pandas_soon()
        if run is not None and run.interrupted and self.status != "error":
            message = f"{run.file_name}: {run.error['message'] if run.error else 'interrupted'}"
            self.set_trait("status", "error")
            self.set_trait("message", message)
            self.set_trait("error", message)

    def _send_model(self) -> None:
        try:
            if self._model_bytes is None:
                self._model_bytes = resolve_model(self._model_source)
        except ModelError as error:
            self.send({"type": "model-error", "message": str(error)})
            return
        self.send({"type": "model"}, [self._model_bytes])


def _warn_renamed(old: str, new: str) -> None:
    import warnings

    warnings.warn(f"{old}() is deprecated; use {new}()", DeprecationWarning, stacklevel=3)


def _import_pandas_soon() -> None:
    """Imports pandas in a thread while the browser analyses, so the first DataFrame after the
    analysis does not wait ~0.5 s for it (`import facescope` itself stays light)."""
    import sys
    import threading

    global _pandas_import
    if _pandas_import is None and "pandas" not in sys.modules:
        _pandas_import = threading.Thread(
            target=__import__, args=("pandas",), name="facescope-import-pandas", daemon=True
        )
        _pandas_import.start()


_pandas_import = None


def _require_concurrent_comms() -> None:
    """`await` in a cell only sees widget messages if the kernel reads them while the cell runs."""
    import sys

    kernel_module = sys.modules.get("ipykernel")
    if kernel_module is None:
        return
    version = tuple(int(p) for p in kernel_module.__version__.split(".")[:2] if p.isdigit())
    if version < (7, 4):
        raise RuntimeError(
            f"ipykernel {kernel_module.__version__} does not deliver widget messages while "
            "a cell awaits; upgrade it (pip install 'ipykernel>=7.4') and restart the kernel"
        )


def _read_clip(source: str | os.PathLike | bytes) -> tuple[str, bytes, str | None]:
    converted_from = None  # else what the clip was converted from (facescope._convert)
    if isinstance(source, (bytes, bytearray, memoryview)):
        name, data = "clip", bytes(source)
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"no such clip: {path}")
        size = path.stat().st_size
        if size > MAX_CLIP_BYTES:
            raise ValueError(too_large_message(path.name, size))
        name, (data, converted_from) = path.name, read_for_page(path)
    if not data:  # the front end's words for an empty file
        raise ValueError("the clip is empty (0 bytes)" if name == "clip" else f'"{name}" is empty (0 bytes)')
    if len(data) > MAX_CLIP_BYTES:
        raise ValueError(too_large_message("the clip", len(data)))
    return name, data, converted_from
