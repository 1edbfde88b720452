"""The results codec's Python twin (the format is defined and documented in src/sync/codec.ts).

One message is a batch of consecutive frames: a 12-byte preamble (``FSCR``, u32 version, u32 header
length), a JSON header, then columns at 8-byte aligned offsets. ``decode_results`` views the columns
in place with numpy (no copies); ``concat_batches`` joins messages into one batch, in frame order,
dropping frames delivered twice (a transport that resends may duplicate a message).

>>> batch = decode_results(encode_results(empty_columns()))
>>> batch.frames, batch.columns["landmarks"].shape
(0, (0, 478, 3))
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

CODEC_MAGIC = b"FSCR"
CODEC_VERSION = 1
NUM_LANDMARKS = 478
NUM_BLENDSHAPES = 52
NUM_KEYPOINTS = 6
# The FaceLandmarker's category order (src/results/blendshapes.ts); index 0 is `_neutral`.
BLENDSHAPE_NAMES: tuple[str, ...] = (
    "_neutral",
    "browDownLeft",
    "browDownRight",
    "browInnerUp",
    "browOuterUpLeft",
    "browOuterUpRight",
    "cheekPuff",
    "cheekSquintLeft",
    "cheekSquintRight",
    "eyeBlinkLeft",
    "eyeBlinkRight",
    "eyeLookDownLeft",
    "eyeLookDownRight",
    "eyeLookInLeft",
    "eyeLookInRight",
    "eyeLookOutLeft",
    "eyeLookOutRight",
    "eyeLookUpLeft",
    "eyeLookUpRight",
    "eyeSquintLeft",
    "eyeSquintRight",
    "eyeWideLeft",
    "eyeWideRight",
    "jawForward",
    "jawLeft",
    "jawOpen",
    "jawRight",
    "mouthClose",
    "mouthDimpleLeft",
    "mouthDimpleRight",
    "mouthFrownLeft",
    "mouthFrownRight",
    "mouthFunnel",
    "mouthLeft",
    "mouthLowerDownLeft",
    "mouthLowerDownRight",
    "mouthPressLeft",
    "mouthPressRight",
    "mouthPucker",
    "mouthRight",
    "mouthRollLower",
    "mouthRollUpper",
    "mouthShrugLower",
    "mouthShrugUpper",
    "mouthSmileLeft",
    "mouthSmileRight",
    "mouthStretchLeft",
    "mouthStretchRight",
    "mouthUpperUpLeft",
    "mouthUpperUpRight",
    "noseSneerLeft",
    "noseSneerRight",
)
# The BlazeFace keypoints in index order (DETECTOR_KEYPOINT_LABELS in src/scene/landmarkClasses.ts);
# left/right are the subject's.
DETECTOR_KEYPOINT_NAMES: tuple[str, ...] = ("right_eye", "left_eye", "nose_tip", "mouth", "right_ear", "left_ear")

_PREAMBLE = struct.Struct("<4sII")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    dtype: str
    rows: str  # "frame" | "face" | "detection"
    inner: tuple[int, ...]


# Same order, names and dtypes as COLUMNS in src/sync/codec.ts (a test compares the two).
COLUMN_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec("frame_idx", "<i4", "frame", ()),
    ColumnSpec("timestamp_us", "<f8", "frame", ()),
    ColumnSpec("image_size", "<i4", "frame", (2,)),
    ColumnSpec("face_count", "<i4", "frame", ()),
    ColumnSpec("detection_count", "<i4", "frame", ()),
    ColumnSpec("timings_ms", "<f4", "frame", (4,)),
    ColumnSpec("face_id", "<i4", "face", ()),
    ColumnSpec("landmarks", "<f4", "face", (NUM_LANDMARKS, 3)),
    ColumnSpec("blendshapes", "<f4", "face", (NUM_BLENDSHAPES,)),
    ColumnSpec("matrices", "<f4", "face", (16,)),
    ColumnSpec("head_pose_deg", "<f4", "face", (3,)),
    ColumnSpec("face_box", "<f4", "face", (4,)),
    ColumnSpec("detection_box_px", "<f4", "detection", (4,)),
    ColumnSpec("detection_score", "<f4", "detection", ()),
    ColumnSpec("detection_keypoints", "<f4", "detection", (NUM_KEYPOINTS, 2)),
    ColumnSpec("detection_face_id", "<i4", "detection", ()),
)
_ROW_COUNT = {"frame": "frames", "face": "faces", "detection": "detections"}


class CodecError(ValueError):
    """Bytes that are not a results message of a version this reader knows."""


@dataclass
class ResultBatch:
    """Columns of consecutive frames, named and shaped as in ``COLUMN_SPECS``."""

    columns: dict[str, np.ndarray]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return len(self.columns["frame_idx"])

    @property
    def faces(self) -> int:
        return len(self.columns["face_id"])


def _align8(n: int) -> int:
    return (n + 7) & ~7


def read_header(data: bytes | bytearray | memoryview) -> dict[str, Any]:
    """The message's header, after checking magic, version and the column table."""
    view = memoryview(data)
    if len(view) < _PREAMBLE.size:
        raise CodecError("not a facescope results message (shorter than its preamble)")
    magic, version, header_len = _PREAMBLE.unpack_from(view)
    if magic != CODEC_MAGIC:
        raise CodecError("not a facescope results message (bad magic)")
    if version != CODEC_VERSION:
        raise CodecError(f"results message version {version}, this reader knows {CODEC_VERSION}")
    if _PREAMBLE.size + header_len > len(view):
        raise CodecError("truncated results message (header)")
    header = json.loads(bytes(view[_PREAMBLE.size : _PREAMBLE.size + header_len]))
    if len(header["columns"]) != len(COLUMN_SPECS):
        raise CodecError(f"results message has {len(header['columns'])} columns, expected {len(COLUMN_SPECS)}")
    for spec, entry in zip(COLUMN_SPECS, header["columns"], strict=True):
        if (entry["name"], entry["dtype"]) != (spec.name, spec.dtype):
            raise CodecError(f"results message column {entry['name']} where {spec.name} was expected")
        if entry["offset"] + entry["nbytes"] > len(view):
            raise CodecError(f"truncated results message (column {spec.name})")
    return header


def decode_results(data: bytes | bytearray | memoryview) -> ResultBatch:
    """Columns as read-only numpy views of ``data`` (which must stay alive and unchanged)."""
    header = read_header(data)
    columns = {}
    for spec, entry in zip(COLUMN_SPECS, header["columns"], strict=True):  # read_header checked the count
        shape = tuple(entry["shape"])
        if shape != (header[_ROW_COUNT[spec.rows]], *spec.inner):
            raise CodecError(f"column {spec.name} has shape {shape}, inconsistent with the header's counts")
        count = int(np.prod(shape))
        columns[spec.name] = np.frombuffer(data, dtype=spec.dtype, count=count, offset=entry["offset"]).reshape(shape)
    batch = ResultBatch(columns, dict(header.get("extra") or {}))
    if int(batch.columns["face_count"].sum()) != batch.faces:
        raise CodecError("results message face counts do not add up")
    return batch


def encode_results(columns: Mapping[str, np.ndarray], extra: Mapping[str, Any] | None = None) -> bytes:
    """The inverse of ``decode_results`` (Python-side fixtures, and resending a kernel's copy)."""
    counts = {
        kind: len(columns[first])
        for kind, first in (("frame", "frame_idx"), ("face", "face_id"), ("detection", "detection_face_id"))
    }
    arrays = [
        np.ascontiguousarray(columns[s.name], dtype=s.dtype).reshape(counts[s.rows], *s.inner) for s in COLUMN_SPECS
    ]
    header: dict[str, Any] = {
        "format": "facescope-results",
        "version": CODEC_VERSION,
        "frames": counts["frame"],
        "faces": counts["face"],
        "detections": counts["detection"],
        "frame_range": [int(arrays[0][0]), int(arrays[0][-1])] if counts["frame"] else None,
        "columns": [],
        "extra": dict(extra or {}),
    }
    body_start, guess = -1, _align8(_PREAMBLE.size + 1024)
    while guess != body_start:  # offsets depend on the header's length and vice versa; settles fast
        body_start, at, entries = guess, guess, []
        for spec, arr in zip(COLUMN_SPECS, arrays, strict=True):
            entries.append(
                {"name": spec.name, "dtype": spec.dtype, "shape": list(arr.shape), "offset": at, "nbytes": arr.nbytes}
            )
            at = _align8(at + arr.nbytes)
        header["columns"] = entries
        header_bytes = json.dumps(header, separators=(",", ":")).encode()
        guess = _align8(_PREAMBLE.size + len(header_bytes))
    out = bytearray(at)
    _PREAMBLE.pack_into(out, 0, CODEC_MAGIC, CODEC_VERSION, body_start - _PREAMBLE.size)
    out[_PREAMBLE.size : body_start] = header_bytes.ljust(body_start - _PREAMBLE.size, b" ")
    for entry, arr in zip(header["columns"], arrays, strict=True):
        out[entry["offset"] : entry["offset"] + arr.nbytes] = arr.tobytes()
    return bytes(out)


def empty_columns() -> dict[str, np.ndarray]:
    """Columns of a batch with no frame."""
    return {s.name: np.zeros((0, *s.inner), dtype=s.dtype) for s in COLUMN_SPECS}


def concat_batches(batches: Iterable[ResultBatch]) -> ResultBatch:
    """One batch of all frames in frame order; a frame seen twice is kept once."""
    ordered = sorted((b for b in batches if b.frames), key=lambda b: int(b.columns["frame_idx"][0]))
    kept: list[ResultBatch] = []
    last = -1
    for b in ordered:
        first = int(b.columns["frame_idx"][0])
        if first <= last:
            # Overlaps a batch already kept; a resent message repeats one exactly, so keep the new frames only.
            b = _frames_after(b, last)
            if not b.frames:
                continue
        kept.append(b)
        last = int(b.columns["frame_idx"][-1])
    if not kept:
        return ResultBatch(empty_columns())
    if len(kept) == 1:
        return kept[0]
    return ResultBatch({s.name: np.concatenate([b.columns[s.name] for b in kept]) for s in COLUMN_SPECS})


def _frames_after(b: ResultBatch, last: int) -> ResultBatch:
    """The frames of ``b`` whose index is above ``last``, with their faces and detections."""
    keep = b.columns["frame_idx"] > last
    face_keep = np.repeat(keep, b.columns["face_count"])
    det_keep = np.repeat(keep, b.columns["detection_count"])
    masks = {"frame": keep, "face": face_keep, "detection": det_keep}
    return ResultBatch({s.name: b.columns[s.name][masks[s.rows]] for s in COLUMN_SPECS}, b.extra)


# -- Python's own data for the viewer (log_series, log_events) -------------------------------------
# Same layout as a results message (preamble, JSON header, 8-byte aligned columns) under its own
# magic; src/sync/customCodec.ts decodes it. Series: ``frame_idx`` <i4 and ``time`` <f8 (seconds)
# per row, ``values`` <f4 rows × series (NaN: nothing logged there), the series' names in the
# header. Events: ``start_frame``/``end_frame`` <i4 and ``start_time``/``end_time`` <f8 per event,
# the labels in the header.
CUSTOM_MAGIC = b"FSCC"
CUSTOM_VERSION = 1
CUSTOM_KINDS = {
    "series": (("frame_idx", "<i4"), ("time", "<f8"), ("values", "<f4")),
    "events": (("start_frame", "<i4"), ("start_time", "<f8"), ("end_frame", "<i4"), ("end_time", "<f8")),
}


def encode_custom(kind: str, name: str, columns: Mapping[str, np.ndarray], **fields: Any) -> bytes:
    """One custom message: ``columns`` as ``CUSTOM_KINDS[kind]`` names and types them; ``fields``
    (``series`` names, event ``labels``) go into the header."""
    arrays = [(n, np.ascontiguousarray(columns[n], dtype=d)) for n, d in CUSTOM_KINDS[kind]]
    rows = len(arrays[0][1])
    if any(len(a) != rows for _, a in arrays):
        raise CodecError(f"custom {kind} columns of different lengths")
    header: dict[str, Any] = {"format": "facescope-custom", "version": CUSTOM_VERSION, "kind": kind, "name": name}
    header.update(rows=rows, **fields)
    body_start, guess = -1, _align8(_PREAMBLE.size + 256)
    while guess != body_start:  # offsets depend on the header's length and vice versa
        body_start, at, entries = guess, guess, []
        for n, arr in arrays:
            entries.append(
                {"name": n, "dtype": arr.dtype.str, "shape": list(arr.shape), "offset": at, "nbytes": arr.nbytes}
            )
            at = _align8(at + arr.nbytes)
        header["columns"] = entries
        header_bytes = json.dumps(header, separators=(",", ":")).encode()
        guess = _align8(_PREAMBLE.size + len(header_bytes))
    out = bytearray(at)
    _PREAMBLE.pack_into(out, 0, CUSTOM_MAGIC, CUSTOM_VERSION, body_start - _PREAMBLE.size)
    out[_PREAMBLE.size : body_start] = header_bytes.ljust(body_start - _PREAMBLE.size, b" ")
    for entry, (_, arr) in zip(header["columns"], arrays, strict=True):
        out[entry["offset"] : entry["offset"] + arr.nbytes] = arr.tobytes()
    return bytes(out)


def decode_custom(data: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The header and columns of a custom message (for tests and tools; the browser reads them)."""
    magic, version, header_len = _PREAMBLE.unpack_from(data)
    if magic != CUSTOM_MAGIC or version != CUSTOM_VERSION:
        raise CodecError("not a facescope custom message of a known version")
    header = json.loads(bytes(data[_PREAMBLE.size : _PREAMBLE.size + header_len]))
    columns = {
        e["name"]: np.frombuffer(data, dtype=e["dtype"], count=int(np.prod(e["shape"])), offset=e["offset"]).reshape(
            e["shape"]
        )
        for e in header["columns"]
    }
    return header, columns


# -- RRD files (the recording save_rrd writes; its format is src/rerun/codec/footer.ts's) ---------
_RRD_MESSAGE_HEADER = 16
_RRD_FOOTER = struct.Struct("<QQI4s4sI")  # body offset, body length, xxh32, "RRF2", "FOOT", 1


def rrd_without_end(recording: bytes) -> bytes | None:
    """``recording``'s messages without its End message and stream footer; None if it has no
    stream footer yet (a run still under way). A view closes them again with a footer whose
    manifest lists every chunk (src/rerun/fileEnd.ts); the kernel never builds a manifest.

    >>> rrd_without_end(b"RRF2 no footer") is None
    True
    """
    if len(recording) < _RRD_FOOTER.size:
        return None
    body_at, _len, _crc, fourcc, foot, _version = _RRD_FOOTER.unpack_from(recording, len(recording) - _RRD_FOOTER.size)
    if (fourcc, foot) != (b"RRF2", b"FOOT") or not _RRD_MESSAGE_HEADER <= body_at <= len(recording):
        return None
    return recording[: body_at - _RRD_MESSAGE_HEADER]


def splice_rrd(recording: bytes, messages: Iterable[bytes]) -> bytes:
    """``recording`` with RRD ``messages`` (framed, without a stream header) added before its End
    message, the stream footer's body offset moved past them; appended if it has no footer yet.

    The footer's manifests keep listing the chunks that were there before (their offsets do not
    move); stream readers find the added chunks. The fallback until a view has sent the footer
    that lists them too (``CustomStore.splice``).
    """
    extra = b"".join(messages)
    if not extra:
        return recording
    if len(recording) < _RRD_FOOTER.size:
        return recording + extra
    body_at, body_len, crc, fourcc, foot, version = _RRD_FOOTER.unpack_from(
        recording, len(recording) - _RRD_FOOTER.size
    )
    if (fourcc, foot) != (b"RRF2", b"FOOT"):
        return recording + extra
    end_at = body_at - _RRD_MESSAGE_HEADER
    footer = _RRD_FOOTER.pack(body_at + len(extra), body_len, crc, fourcc, foot, version)
    return recording[:end_at] + extra + recording[end_at : -_RRD_FOOTER.size] + footer
