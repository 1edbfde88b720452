"""The FaceScope widget: the Python face of the front end in ``src/widget/``."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .model import ModelError, resolve_model

_STATIC = Path(__file__).parent / "static"

#: Clips larger than this are refused before anything is sent: the browser holds the whole clip
#: in memory (and a second copy while the viewer plays it).
MAX_CLIP_BYTES = 1 << 30
#: Kernel → browser messages of 20 MiB arrive, but smaller pieces keep the channel responsive.
CLIP_CHUNK_BYTES = 8 << 20


class FaceScope(anywidget.AnyWidget):
    """An inline Rerun viewer that analyses the clips you drop on it, in the browser.

    Everything heavy (decoding, MediaPipe, writing the Rerun recording) runs in the browser
    tab that shows the notebook; the kernel only provides the face model and receives results.

    >>> scope = FaceScope(num_faces=2, height=480)
    >>> scope.num_faces, scope.height
    (2, 480)
    >>> scope.status   # set by the front end: loading, idle, analysing, done or error
    'loading'
    """

    _esm = _STATIC / "widget.js"

    height = traitlets.Int(640, help="Height of the viewer in CSS pixels (min 200).").tag(sync=True)

    # Analysis options: the same knobs as the front end's (numFaces ↔ num_faces, …).
    num_faces = traitlets.Int(1, help="Most faces to track per frame.").tag(sync=True)
    min_detection_confidence = traitlets.Float(0.5).tag(sync=True)
    min_presence_confidence = traitlets.Float(0.5).tag(sync=True)
    min_tracking_confidence = traitlets.Float(0.5).tag(sync=True)
    max_dim = traitlets.Int(0, help="Downscale frames so the long side is at most this (0: keep).").tag(sync=True)
    max_frame = traitlets.Int(0, help="Analyse at most this many frames (0: all).").tag(sync=True)
    delegate = traitlets.Enum(["CPU", "GPU"], "CPU", help="MediaPipe delegate.").tag(sync=True)

    # Set by the front end.
    status = traitlets.Unicode("loading", read_only=True,
                               help="loading, idle, analysing, done or error.").tag(sync=True)
    message = traitlets.Unicode("", read_only=True, help="The status line the widget shows.").tag(sync=True)
    error = traitlets.Unicode("", read_only=True, help="The last error, in words; empty if none.").tag(sync=True)

    def __init__(self, source: str | os.PathLike | bytes | None = None, *,
                 model: str | os.PathLike | bytes | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._model_source = model
        self._model_bytes: bytes | None = None
        self._clip: tuple[int, str, bytes] | None = None
        self.summary: dict[str, Any] | None = None
        """What the last analysis reported: frames, faces per frame, per-stage ms, fps."""
        self.on_msg(self._on_front_end_message)
        if source is not None:
            self.analyze(source)

    def analyze(self, source: str | os.PathLike | bytes, **options: Any) -> None:
        """Sends a clip (a path or its bytes) to the browser, which analyses it in the widget.

        Options are the widget's own (``num_faces``, ``max_dim``, ``max_frame``, …) and stay set.

        >>> scope = FaceScope()
        >>> scope.analyze(b"", num_faces=2)
        Traceback (most recent call last):
        ValueError: the clip is empty (0 bytes)
        """
        name, data = _read_clip(source)
        for key, value in options.items():
            if not self.has_trait(key) or key in ("status", "message", "error"):
                raise TypeError(f"analyze() got an unexpected option {key!r}")
            setattr(self, key, value)
        serial = self._clip[0] + 1 if self._clip else 1
        self._clip = (serial, name, data)
        self.send({"type": "clip-offer", "serial": serial})
    @traitlets.validate("height")
    def _check_height(self, proposal: traitlets.Bunch) -> int:
        value = int(proposal["value"])
        if value < 200:
            raise traitlets.TraitError(f"height must be at least 200 pixels, got {value}")
        return value

    @traitlets.validate("num_faces")
    def _check_num_faces(self, proposal: traitlets.Bunch) -> int:
        value = int(proposal["value"])
        if not 1 <= value <= 20:
            raise traitlets.TraitError(f"num_faces must be between 1 and 20, got {value}")
        return value

    @traitlets.validate("min_detection_confidence", "min_presence_confidence", "min_tracking_confidence")
    def _check_probability(self, proposal: traitlets.Bunch) -> float:
        value = float(proposal["value"])
        if not 0 <= value <= 1:
            raise traitlets.TraitError(f"{proposal['trait'].name} must be between 0 and 1, got {value}")
        return value

    def _on_front_end_message(self, _widget: Any, content: dict, buffers: list) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "model-request":
            self._send_model()
        elif kind == "clip-request":
            self._send_clip()
        elif kind == "summary":
            self.summary = content.get("summary")

    def _send_model(self) -> None:
        try:
            if self._model_bytes is None:
                self._model_bytes = resolve_model(self._model_source)
        except ModelError as error:
            self.send({"type": "model-error", "message": str(error)})
            return
        self.send({"type": "model"}, [self._model_bytes])

    def _send_clip(self) -> None:
        if self._clip is None:
            return
        serial, name, data = self._clip
        view = memoryview(data)
        count = max(1, -(-len(data) // CLIP_CHUNK_BYTES))
        for index in range(count):
            piece = view[index * CLIP_CHUNK_BYTES:(index + 1) * CLIP_CHUNK_BYTES]
            self.send({"type": "clip", "serial": serial, "name": name, "index": index, "count": count,
                       "size": len(data)}, [piece])


def _read_clip(source: str | os.PathLike | bytes) -> tuple[str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        name, data = "clip", bytes(source)
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"no such clip: {path}")
        size = path.stat().st_size
        if size > MAX_CLIP_BYTES:
            raise ValueError(f"{path.name} is {size / 2**30:.1f} GiB; facescope analyses clips up to "
                             f"{MAX_CLIP_BYTES / 2**30:.0f} GiB (trim it, or lower its resolution with ffmpeg)")
        name, data = path.name, path.read_bytes()
    if not data:
        raise ValueError("the clip is empty (0 bytes)")
    if len(data) > MAX_CLIP_BYTES:
        raise ValueError(f"the clip is {len(data) / 2**30:.1f} GiB; facescope analyses clips up to "
                         f"{MAX_CLIP_BYTES / 2**30:.0f} GiB")
    return name, data
