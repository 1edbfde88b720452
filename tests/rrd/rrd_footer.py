"""Reads the footer of an `.rrd` file the way Rerun 0.33 lays it out, independently of our TS writer:
32-byte stream footer at the end → RrdFooter protobuf → one RrdManifest per store, whose sorbet
schema and (LZ4-block compressed) manifest dataframe are Arrow IPC. Used to compare our manifests
with the ones rerun-sdk writes."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

STREAM_FOOTER = 32


def _varint(b: bytes, p: int) -> tuple[int, int]:
    r = s = 0
    while True:
        x = b[p]
        p += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, p


def _fields(b: bytes) -> list[tuple[int, int | bytes]]:
    out, p = [], 0
    while p < len(b):
        key, p = _varint(b, p)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, p = _varint(b, p)
        elif wire == 2:
            n, p = _varint(b, p)
            v, p = b[p : p + n], p + n
        elif wire in (1, 5):
            n = 8 if wire == 1 else 4
            v, p = b[p : p + n], p + n
        else:
            raise ValueError(f"wire type {wire}")
        out.append((field, v))
    return out


def _lz4_length(src: bytes, p: int, n: int) -> tuple[int, int]:
    """An LZ4 length nibble: 15 continues in bytes that add up until one is below 255."""
    if n == 15:
        while True:
            x = src[p]
            p += 1
            n += x
            if x != 255:
                break
    return n, p


def _lz4_block(src: bytes, size: int) -> bytes:
    out, p = bytearray(), 0
    while p < len(src):
        token = src[p]
        p += 1
        lit, p = _lz4_length(src, p, token >> 4)
        out += src[p : p + lit]
        p += lit
        if p >= len(src):
            break
        off = src[p] | src[p + 1] << 8
        p += 2
        n, p = _lz4_length(src, p, token & 15)
        for _ in range(n + 4):
            out.append(out[-off])
    assert len(out) == size, (len(out), size)
    return bytes(out)


@dataclass
class Manifest:
    store_kind: int  # 1 recording, 2 blueprint
    recording_id: str
    sorbet_schema: pa.Schema
    data: pa.Table


def footer_span(data: bytes) -> tuple[int, int]:
    """(offset, length) of the RrdFooter body the stream footer points at."""
    tail = data[-STREAM_FOOTER:]
    assert tail[20:28] == b"RRF2FOOT", "no stream footer at the end of the file"
    start, length, _crc = struct.unpack("<QQI", tail[:20])
    return start, length


def manifests(path: Path) -> list[Manifest]:
    data = path.read_bytes()
    start, length = footer_span(data)
    out = []
    for _, body in _fields(data[start : start + length]):
        m = dict(_fields(body))
        store = dict(_fields(m[1]))
        schema_ipc = dict(_fields(m[2]))[1]
        part = dict(_fields(m[4]))
        payload = _lz4_block(part[2], part[4]) if part.get(3) == 2 else part[2]
        out.append(
            Manifest(
                store.get(1, 0),
                store[2].decode(),
                pa.ipc.read_schema(pa.py_buffer(schema_ipc)),
                pa.ipc.open_stream(pa.py_buffer(payload)).read_all(),
            )
        )
    return out
