"""Python's own series and events for the viewer: checked here, packed by the codec (``_codec``).

Everything a user may get wrong is refused with a message before a byte is sent: an index that is
neither ``frame_idx`` nor ``time``, frames that were not analysed, values that are all NaN, face
ids the analysis never saw, a name that would read like one of the seed's entities, more rows than
frames. The browser writes what is packed here under ``custom/<name>`` (src/scene/customEntities.ts).

>>> check_name("smile/left")
'smile/left'
>>> check_name("video/mine")
Traceback (most recent call last):
facescope._custom.CustomDataError: log_series("video/mine"): "video" is one of the recording's own entities (video, reconstruction, blendshapes, head_pose, custom); choose another name
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ._codec import encode_custom, rrd_without_end, splice_rrd

if TYPE_CHECKING:
    import pandas as pd

    from .results import Results

#: The custom data's root entity; a name is a path under it.
CUSTOM_ROOT = "custom"
#: The seed's entity roots (src/scene/entities.ts): a custom name may not start like one.
SEED_ROOTS = ("video", "reconstruction", "blendshapes", "head_pose", CUSTOM_ROOT)
_SEGMENT = re.compile(r"^[A-Za-z0-9_.-]+$")
_INDEX_KEYS = ("frame_idx", "time")


class CustomDataError(ValueError):
    """Values ``log_series`` / ``log_events`` cannot show against the analysed frames."""


def check_name(name: Any, what: str = "log_series") -> str:
    """``name`` if it is a path of plain segments not shadowing the seed's entities."""
    if not isinstance(name, str) or not name:
        raise CustomDataError(f"{what}: the name must be a non-empty str, got {name!r}")
    segments = name.strip("/").split("/")
    if not all(_SEGMENT.match(s) for s in segments):
        raise CustomDataError(
            f'{what}("{name}"): a name is letters, digits, "_", "-" and "." in segments joined by "/"'
        )
    if segments[0] in SEED_ROOTS:
        raise CustomDataError(
            f'{what}("{name}"): "{segments[0]}" is one of the recording\'s own entities '
            f"({', '.join(SEED_ROOTS)}); choose another name"
        )
    return "/".join(segments)


def pack_series(name: str, values: Any, results: Results) -> bytes:
    """A codec message of ``values`` (Series or DataFrame indexed by ``frame_idx`` or ``time``,
    optionally with a ``face_id`` level) against the analysed frames of ``results``."""
    import pandas as pd

    name = check_name(name)
    where = f'log_series("{name}")'
    frames, times = _frame_table(results, where)
    if not isinstance(values, (pd.Series, pd.DataFrame)):
        raise CustomDataError(f"{where}: values must be a pandas Series or DataFrame, got {type(values).__name__}")
    table = values.to_frame(name="") if isinstance(values, pd.Series) else values.copy()
    levels = list(table.index.names)
    key = [k for k in _INDEX_KEYS if k in levels]
    extra = [lv for lv in levels if lv not in (*_INDEX_KEYS, "face_id")]
    if len(key) != 1 or extra:
        raise CustomDataError(
            f"{where}: index the values by frame_idx or time (a Series or DataFrame whose index is named so, "
            f"optionally with a face_id level), got an index named {_names(levels)}"
        )
    if "face_id" in levels:
        _check_faces(table.index.get_level_values("face_id"), results, where)
        table = table.unstack("face_id")
        table.columns = table.columns.swaplevel(0, -1) if table.columns.nlevels > 1 else table.columns
    elif "face_id" in (table.columns.names or []):
        _check_faces(table.columns.get_level_values("face_id"), results, where)
        if table.columns.nlevels > 1:
            order = ["face_id", *[n for n in table.columns.names if n != "face_id"]]
            table.columns = table.columns.reorder_levels(order)
    if table.index.has_duplicates:
        raise CustomDataError(f"{where}: the index repeats {key[0]} values; give one row per {key[0]}")
    if len(table) > len(frames):
        raise CustomDataError(f"{where}: {len(table)} rows, but the clip has only {len(frames)} analysed frames")
    series = [_series_name(c) for c in table.columns]
    if len(set(series)) != len(series):
        raise CustomDataError(f"{where}: two columns have the same name")
    for column, label in zip(table.columns, series, strict=True):
        if not pd.api.types.is_numeric_dtype(table[column]) or pd.api.types.is_bool_dtype(table[column]):
            raise CustomDataError(f"{where}: column {label or name!r} is not numeric ({table[column].dtype})")
    data = np.array(table.to_numpy(dtype=np.float64, na_value=np.nan))  # a copy: inf becomes NaN below
    if not np.isfinite(data).any():
        raise CustomDataError(f"{where}: every value is NaN (or infinite): nothing to show")
    data[~np.isfinite(data)] = np.nan
    row_frames, row_times = _rows(np.asarray(table.index, dtype=np.float64), key[0], frames, times, where)
    return encode_custom("series", name, {"frame_idx": row_frames, "time": row_times, "values": data}, series=series)


def pack_events(name: str, events: Any, results: Results) -> bytes:
    """A codec message of ``events`` (a DataFrame with ``start`` and ``end`` in seconds and a
    ``label``) against the analysed frames of ``results``."""
    import pandas as pd

    name = check_name(name, "log_events")
    where = f'log_events("{name}")'
    frames, times = _frame_table(results, where)
    if not isinstance(events, pd.DataFrame):
        raise CustomDataError(f"{where}: events must be a pandas DataFrame, got {type(events).__name__}")
    missing = [c for c in ("start", "end", "label") if c not in events.columns]
    if missing:
        raise CustomDataError(f"{where}: events need columns start, end (seconds) and label; missing {missing}")
    if events.empty:
        raise CustomDataError(f"{where}: no events")
    try:
        start = events["start"].to_numpy(dtype=np.float64)
        end = events["end"].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise CustomDataError(f"{where}: start and end must be numbers of seconds") from None
    if not (np.isfinite(start).all() and np.isfinite(end).all()):
        raise CustomDataError(f"{where}: start and end must be numbers of seconds, not NaN")
    if (end < start).any():
        at = int(np.argmax(end < start))
        raise CustomDataError(f"{where}: event {at} ends ({end[at]:g} s) before it starts ({start[at]:g} s)")
    start_frames, _ = _rows(start, "time", frames, times, where)
    end_frames, _ = _rows(end, "time", frames, times, where)
    labels = [str(v) for v in events["label"]]
    columns = {"start_frame": start_frames, "start_time": start, "end_frame": end_frames, "end_time": end}
    return encode_custom("events", name, columns, labels=labels)


def _frame_table(results: Results, where: str) -> tuple[np.ndarray, np.ndarray]:
    columns = results.batch.columns
    if not len(columns["frame_idx"]):
        raise CustomDataError(f"{where}: nothing analysed yet; analyse a clip first (await scope.analyzed())")
    return columns["frame_idx"].astype(np.int64), columns["timestamp_us"] / 1e6


def _rows(
    index: np.ndarray, key: str, frames: np.ndarray, times: np.ndarray, where: str
) -> tuple[np.ndarray, np.ndarray]:
    """(frame_idx, seconds) of each row indexed by ``key``; frames must have been analysed."""
    if not np.isfinite(index).all():
        raise CustomDataError(f"{where}: the {key} index has NaN values")
    if key == "frame_idx":
        if (index != np.round(index)).any():
            raise CustomDataError(f"{where}: frame_idx values must be whole numbers")
        at = np.searchsorted(frames, index)
        known = (at < len(frames)) & (frames[np.minimum(at, len(frames) - 1)] == index)
        if not known.all():
            bad = int(index[np.argmin(known)])
            raise CustomDataError(
                f"{where}: frame_idx {bad} was not analysed (frames {frames[0]}–{frames[-1]}, {len(frames)} in all)"
            )
        return frames[at], times[at]
    step = float(np.median(np.diff(times))) if len(times) > 1 else 0.0
    if (index < times[0] - 1e-6).any() or (index > times[-1] + step + 1e-6).any():
        bad = float(index[(index < times[0] - 1e-6) | (index > times[-1] + step + 1e-6)][0])
        raise CustomDataError(f"{where}: time {bad:g} s is outside the clip ({times[0]:g}–{times[-1] + step:g} s)")
    at = np.maximum(np.searchsorted(times, index + 1e-9, side="right") - 1, 0)
    return frames[at], index


def _check_faces(ids: Any, results: Results, where: str) -> None:
    known = set(results.face_ids)
    unknown = sorted({int(i) for i in ids} - known)
    if unknown:
        raise CustomDataError(f"{where}: face_id {unknown} not in the analysis (its faces: {sorted(known)})")


def _series_name(column: Any) -> str:
    parts = [str(p) for p in (column if isinstance(column, tuple) else (column,)) if str(p) != ""]
    for p in parts:
        if not _SEGMENT.match(p):
            raise CustomDataError(f'column name {p!r}: use letters, digits, "_", "-" and "."')
    return "/".join(parts)


def _names(levels: list) -> str:
    return repr(levels[0]) if len(levels) == 1 else repr(tuple(levels))


class CustomStore:
    """The custom data the kernel holds for the current run's recording: per name, the RRD
    messages a view wrote for it (the browser owns the RRD writer), spliced in before the saved
    file's footer. A new run starts empty: its recording is another one.

    >>> store = CustomStore()
    >>> ident = store.sent("smile")
    >>> store.written({"name": "smile", "id": ident}, [b"RRD"]), store.pending
    (True, {})
    >>> store.written({"name": "smile", "id": ident}, [b"RRD"])   # another view answered first
    False
    """

    def __init__(self) -> None:
        self.rrd: dict[str, bytes] = {}
        #: Names sent to the views whose RRD has not come back: name → the id it must carry.
        self.pending: dict[str, int] = {}
        self.errors: dict[str, str] = {}
        self.version = 0
        self._serial = 0
        #: The footer a view built for the joined file of one version: (version, its size, bytes).
        self.tail: tuple[int, int, bytes] | None = None
        #: The version whose footer the views were asked for (None: none asked).
        self.tail_asked: int | None = None
        self.tail_error: str | None = None

    def sent(self, name: str) -> int:
        """A new log of ``name`` is on its way: the id its answer carries."""
        self._serial += 1
        self.pending[name] = self._serial
        self.errors.pop(name, None)
        return self._serial

    def written(self, content: dict[str, Any], buffers: list) -> bool:
        """Keeps a view's RRD for a pending log; False for a stale, repeated or failed answer."""
        name, ident = content.get("name"), content.get("id")
        if not isinstance(name, str) or self.pending.get(name) != ident:
            return False
        del self.pending[name]
        if content.get("error") or not buffers:
            self.errors[name] = str(content.get("error") or "no bytes")
            return False
        self.rrd[name] = bytes(buffers[0])
        self.version += 1
        return True

    def clear(self, name: str | None = None) -> None:
        """Forgets ``name`` (everything if None)."""
        for table in (self.rrd, self.pending, self.errors):
            if name is None:
                table.clear()
            else:
                table.pop(name, None)
        self.version += 1

    def joined(self, recording: bytes) -> bytes | None:
        """``recording`` without its End message, then every custom log: what a view closes with
        a footer listing all their chunks. None without custom data or a finished recording."""
        head = rrd_without_end(recording) if self.rrd else None
        return None if head is None else head + b"".join(self.rrd.values())

    def ask_tail(self, recording: bytes) -> bytes | None:
        """The joined file to send the views for its footer, remembering which version asked."""
        joined = self.joined(recording)
        self.tail, self.tail_error = None, None
        self.tail_asked = None if joined is None else self.version
        return joined

    def tail_written(self, content: dict[str, Any], buffers: list, size: int) -> bool:
        """Keeps a view's footer for the version asked; False for a stale, repeated or failed one.
        ``size``: the joined file's size now (a footer only fits the bytes it was built for)."""
        if self.tail_asked is None or content.get("version") != self.tail_asked or self.tail is not None:
            return False
        if content.get("error") or not buffers:
            self.tail_error = str(content.get("error") or "no bytes")
            return False
        self.tail = (self.tail_asked, size, bytes(buffers[0]))
        return True

    @property
    def state(self) -> tuple[int, bool]:
        """Changes whenever ``splice`` may give other bytes (a log, a clear, a view's footer)."""
        return self.version, self.tail is not None

    @property
    def waiting(self) -> bool:
        """Whether a log or the footer that lists it has not come back from a view yet."""
        return bool(self.pending) or (self.tail_asked == self.version and self.tail is None and not self.tail_error)

    def splice(self, recording: bytes) -> bytes:
        """``recording`` with every custom log in it, before a footer that lists them if a view
        built it for exactly these bytes; else before the old footer (stream readers see them)."""
        if not recording or not self.rrd:
            return recording
        joined = self.joined(recording)
        tail = self.tail
        if joined is not None and tail is not None and tail[:2] == (self.version, len(joined)):
            return joined + tail[2]
        return splice_rrd(recording, self.rrd.values())


class CustomLog:
    """FaceScope's methods that draw Python's own data in the viewer, beside the blendshapes."""

    def log_series(self, name: str, values: pd.Series | pd.DataFrame) -> None:
        """Draws ``values`` as time series under ``custom/<name>`` in the viewer's recording.

        ``values``: a Series indexed by ``frame_idx`` (analysed frames) or ``time`` (seconds); a
        DataFrame draws one series per column; a ``face_id`` index level one per face. NaN is a
        gap. Logging a name again replaces it in the saved recording. Refused with a ValueError
        before anything is sent if the values do not fit the analysed frames.

        >>> smile = scope.blendshapes["mouthSmileLeft"].xs(0, level="face_id").rolling(5, center=True).mean()  # doctest: +SKIP
        >>> scope.log_series("smile_smooth", smile)  # doctest: +SKIP
        """
        self._send_custom(check_name(name), pack_series(name, values, self.results))  # type: ignore[attr-defined]

    def log_events(self, events: pd.DataFrame, name: str = "events") -> None:
        """Marks ``events`` (columns ``start``, ``end`` in seconds and ``label``) as text-log lines
        at their start and end under ``custom/<name>``.

        >>> scope.log_events(pd.DataFrame({"start": [1.2], "end": [2.0], "label": ["smile"]}))  # doctest: +SKIP
        """
        self._send_custom(check_name(name, "log_events"), pack_events(name, events, self.results))  # type: ignore[attr-defined]

    def clear_custom(self, name: str | None = None) -> None:
        """Removes ``custom/<name>`` (everything logged from Python if None) from the saved
        recording and hides it in the shown viewers; logging the name again shows the new values."""
        if name is not None:
            name = check_name(name, "clear_custom")
        self._sync.custom.clear(name)  # type: ignore[attr-defined]
        self.send({"type": "custom-clear", "name": name})  # type: ignore[attr-defined]
        self._sync.ask_tail()  # type: ignore[attr-defined]

    async def custom_written(self, timeout: float = 10.0) -> None:
        """Waits until a view has written everything logged into the recording (``save_rrd`` has
        it then); raises TimeoutError if no view did within ``timeout`` seconds.

        >>> scope.log_series("smile_smooth", smile)   # doctest: +SKIP
        >>> await scope.custom_written()               # doctest: +SKIP
        >>> scope.save_rrd("with_smile.rrd")           # doctest: +SKIP
        """
        import asyncio

        store: CustomStore = self._sync.custom  # type: ignore[attr-defined]
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while store.waiting:
            if loop.time() > end:
                what = sorted(store.pending) or "the footer that lists it"
                raise TimeoutError(f"no view wrote {what} within {timeout:g} s: is the widget shown?")
            await asyncio.sleep(0.05)
        if store.errors:
            raise CustomDataError("; ".join(f"{n}: {e}" for n, e in store.errors.items()))
        if store.tail_error:
            raise CustomDataError(f"the saved recording's footer lists only the analysis: {store.tail_error}")

    def _send_custom(self, name: str, payload: bytes) -> None:
        ident = self._sync.custom.sent(name)  # type: ignore[attr-defined]
        self.send({"type": "custom-log", "name": name, "id": ident}, [payload])  # type: ignore[attr-defined]
