"""The viewer's cursor in Python and Python's hand on it (the twin of src/widget/cursor.ts).

The views send their viewer's cursor and selection as custom messages, not as trait updates:
ipywidgets holds a view's state updates until the kernel is idle, so while a cell awaits they would
not arrive. The kernel sets the traits here from those messages, so ``observe`` and marimo's
reactive cells see them as usual. ``seek``/``play``/``pause`` go the other way, to every view.

>>> from facescope import FaceScope
>>> scope = FaceScope()
>>> scope.time, scope.frame_idx, scope.selection
(0.0, 0, [])
>>> scope.seek(seconds=-1)
Traceback (most recent call last):
ValueError: seconds must be a number of at least 0, got -1
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import traitlets

if TYPE_CHECKING:
    import pandas as pd

    from .results import Results

#: The recording's timelines (src/scene/scene.ts): seconds since the clip's start, and frame numbers.
TIME_TIMELINE = "time"
FRAME_TIMELINE = "frame_idx"

# Entity paths that name a face: `blendshapes/<id>/…`, `video/landmarker/faces/<id>/…`, … (src/scene/entities.ts).
_FACE_PATH = re.compile(r"^/?(?:blendshapes|head_pose|(?:video/(?:detector|landmarker)|reconstruction)/faces)/(\d+)")


class CursorTraits(traitlets.HasTraits):
    """Traits that follow the viewer's cursor and selection; the methods that move the cursor."""

    time = traitlets.Float(0.0, read_only=True, help="Seconds at the viewer's cursor.").tag(sync=True)
    frame_idx = traitlets.Int(0, read_only=True, help="Frame at the viewer's cursor.").tag(sync=True)
    cursor = traitlets.Dict(
        read_only=True, help="The cursor as the viewer reports it: timeline, time, frame_idx, playing."
    ).tag(sync=True)
    selection = traitlets.List(
        read_only=True, help="What is selected in the viewer: dicts with entity_path and face_id (or view)."
    ).tag(sync=True)

    results: Results  # FaceScope's property (an annotation only, for type checkers)

    def seek(self, seconds: float | None = None, *, frame_idx: int | None = None) -> None:
        """Moves the viewer's cursor to ``seconds`` on the ``time`` timeline or to ``frame_idx``.

        >>> scope.seek(2.5)              # doctest: +SKIP
        >>> scope.seek(frame_idx=120)    # doctest: +SKIP
        """
        if (seconds is None) == (frame_idx is None):
            raise TypeError("seek() takes seconds or frame_idx (one of them)")
        if seconds is not None:
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float, np.number)) or not seconds >= 0:
                raise ValueError(f"seconds must be a number of at least 0, got {seconds!r}")
            if math.isinf(seconds):
                raise ValueError(f"seconds must be finite, got {seconds!r}")
            self._send_cursor({"type": "seek", "timeline": TIME_TIMELINE, "time": round(float(seconds) * 1e9)})
        else:
            if isinstance(frame_idx, bool) or not isinstance(frame_idx, (int, np.integer)) or frame_idx < 0:
                raise ValueError(f"frame_idx must be an integer of at least 0, got {frame_idx!r}")
            self._send_cursor({"type": "seek", "timeline": FRAME_TIMELINE, "time": int(frame_idx)})

    def play(self) -> None:
        """Starts playback in the viewer."""
        self._send_cursor({"type": "playing", "playing": True})

    def pause(self) -> None:
        """Pauses playback in the viewer."""
        self._send_cursor({"type": "playing", "playing": False})

    def at_cursor(self) -> pd.DataFrame:
        """The blendshapes and head pose of every face at the cursor's frame, one row per face_id.

        >>> scope.at_cursor()[["mouthSmileLeft", "yaw"]]   # doctest: +SKIP
        """
        import pandas as pd

        results = self.results
        blend, pose = results.blendshapes, results.head_pose
        at = self.frame_idx
        rows = blend[blend.index.get_level_values("frame_idx") == at]
        poses = pose[pose.index.get_level_values("frame_idx") == at]
        table = pd.concat([rows, poses.drop(columns="time")], axis=1)
        return table.droplevel("frame_idx")

    @traitlets.observe("cursor")
    def _cursor_from_state(self, change: traitlets.Bunch) -> None:
        """Outside Jupyter (marimo) the view also sets ``cursor`` as state, raw: complete it here."""
        new = change["new"]
        if isinstance(new, dict) and "seconds" not in new and "timeline" in new:
            self._on_cursor_message({"type": "cursor", **new})

    # -- messages --------------------------------------------------------------------------
    def _send_cursor(self, content: dict[str, Any]) -> None:
        self.send(content)  # type: ignore[attr-defined]  # the widget's send

    def _on_cursor_message(self, content: dict[str, Any]) -> bool:
        """Handles a view's cursor or selection message; False if ``content`` is neither."""
        kind = content.get("type")
        if kind == "cursor":
            timeline, raw = content.get("timeline"), content.get("time")
            if not isinstance(raw, (int, float)) or isinstance(raw, bool) or not math.isfinite(raw):
                return True
            seconds, frame = self._locate(str(timeline), float(raw))
            with self.hold_trait_notifications():
                self.set_trait("time", seconds)
                self.set_trait("frame_idx", frame)
                self.set_trait(
                    "cursor",
                    {
                        "timeline": timeline,
                        "time": raw,
                        "seconds": seconds,
                        "frame_idx": frame,
                        "playing": bool(content.get("playing")),
                    },
                )
            return True
        if kind == "selection":
            items = content.get("items")
            self.set_trait(
                "selection",
                [_selection_item(i) for i in items if isinstance(i, dict)] if isinstance(items, list) else [],
            )
            return True
        return False

    def _locate(self, timeline: str, raw: float) -> tuple[float, int]:
        """(seconds, frame_idx) of a cursor at ``raw`` on ``timeline`` (ns on ``time``, a frame number on ``frame_idx``)."""
        columns = self.results.batch.columns
        frames, times = columns["frame_idx"].astype(np.int64), columns["timestamp_us"] / 1e6
        if timeline == FRAME_TIMELINE:
            frame = int(raw)
            at = int(np.searchsorted(frames, frame, side="right")) - 1
            return (float(times[at]) if at >= 0 and len(frames) and frames[at] == frame else 0.0, frame)
        seconds = raw / 1e9
        # The frame shown at `seconds`: the last one that started at or before it.
        at = int(np.searchsorted(times, seconds + 1e-9, side="right")) - 1
        return seconds, int(frames[at]) if at >= 0 else 0


def _selection_item(item: dict[str, Any]) -> dict[str, Any]:
    if item.get("type") == "entity":
        path = str(item.get("entity_path", ""))
        match = _FACE_PATH.match(path)
        out: dict[str, Any] = {"entity_path": path, "face_id": int(match.group(1)) if match else None}
        if item.get("instance_id") is not None:
            out["instance_id"] = item["instance_id"]
        return out
    return {"view": str(item.get("view_name") or item.get("container_name") or "")}
