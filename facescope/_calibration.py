"""Which rows are each face's neutral baseline, for ``Results.blendshapes_calibrated``.

A span is ``(start_s, end_s)`` in seconds or a ``slice`` of frame indices, both half-open like
Python ranges; a baseline is one span for every face, a dict of spans per face, or None (each
face's first ``DEFAULT_BASELINE_S`` seconds of appearance).

>>> import numpy as np
>>> ids, t, f = np.array([0, 0, 0]), np.array([0.0, 0.5, 1.0]), np.array([0, 1, 2])
>>> [(rows.tolist(), span.tolist()) for rows, span in baseline_masks(None, ids, t, f, [0])]
[([True, True, True], [True, True, False])]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

DEFAULT_BASELINE_S = 1.0
Span = tuple[float, float] | slice


def baseline_masks(
    baseline: Any, face_id: np.ndarray, time: np.ndarray, frame_idx: np.ndarray, face_ids: list[int]
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For each face of ``face_ids``: (its rows, its rows inside its baseline span), over rows given
    by the parallel arrays ``face_id``, ``time`` (s) and ``frame_idx``. Raises ValueError for a
    face with no row in its span, TypeError / ValueError for a span that is not one."""
    if isinstance(baseline, Mapping):
        spans = {int(k): v for k, v in baseline.items()}
        unknown = sorted(set(spans) - set(face_ids))
        if unknown:
            raise ValueError(f"baseline names face(s) {unknown} that are not in these results (faces: {face_ids})")
    else:
        spans = {i: baseline for i in face_ids}
    for i in face_ids:
        rows = face_id == i
        span = spans.get(i)
        if span is None:  # the face's own first second: it exists for every face that appears
            start = float(time[rows].min())
            span = (start, start + DEFAULT_BASELINE_S)
        in_span = rows & span_mask(span, time, frame_idx)
        if not in_span.any():
            raise ValueError(
                f"face {i} has no frame in its baseline span {_describe(span)}; it appears in frames "
                f"{int(frame_idx[rows].min())}–{int(frame_idx[rows].max())} "
                f"({time[rows].min():.2f}–{time[rows].max():.2f} s)"
            )
        yield rows, in_span


def span_mask(span: Any, time: np.ndarray, frame_idx: np.ndarray) -> np.ndarray:
    """Rows inside ``span``: start <= value < end, on ``time`` for a tuple, ``frame_idx`` for a slice."""
    if isinstance(span, slice):
        if span.step not in (None, 1):
            raise ValueError(f"a baseline slice of frame indices takes no step, got {span}")
        if any(v is not None and (not isinstance(v, (int, np.integer)) or v < 0) for v in (span.start, span.stop)):
            # A negative bound counted from the end would depend on the clip's length: refuse it.
            raise ValueError(f"a baseline slice takes non-negative frame indices, got {span}")
        start = -math.inf if span.start is None else span.start
        stop = math.inf if span.stop is None else span.stop
        return (frame_idx >= start) & (frame_idx < stop)
    if isinstance(span, (tuple, list)) and len(span) == 2 and all(isinstance(v, (int, float, np.number)) for v in span):
        start, end = float(span[0]), float(span[1])
        if not start < end:
            raise ValueError(f"a baseline span (start_s, end_s) needs start_s < end_s, got {tuple(span)}")
        return (time >= start) & (time < end)
    raise TypeError(f"a baseline span is (start_s, end_s) in seconds or a slice of frame indices, got {span!r}")


def _describe(span: Span) -> str:
    if isinstance(span, slice):
        return f"frames {span.start if span.start is not None else ''}:{span.stop if span.stop is not None else ''}"
    return f"{float(span[0]):.2f}–{float(span[1]):.2f} s"
