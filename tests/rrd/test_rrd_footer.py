"""The footer and manifests our writer ends a recording with, checked by rerun-sdk 0.33.1 (the
viewer's version): `rerun rrd verify` with its footer checks, `RrdReader.store()` without the
legacy warning, and the manifests compared with the ones rerun-sdk writes for the same data."""

from __future__ import annotations

import struct
import warnings
from collections import Counter

import pyarrow as pa
import pytest
from rerun.experimental import RrdReader
from rrd_footer import footer_span, manifests
from rrd_support import IMAGE, VIDEO, rerun_cli
from twin import write_twin

# The reader's warning for a file without footer must fail these tests, not pass unnoticed.
pytestmark = pytest.mark.filterwarnings("error:RRD file has no footer")


def verify(path) -> tuple[int, str]:
    done = rerun_cli("rrd", "verify", str(path))  # default flags: footers are checked
    return done.returncode, done.stdout + done.stderr


def test_rerun_rrd_verify_rejects_a_file_without_footer(sample, tmp_path):
    """(test_rrd_python checks that the sample as written passes.)"""
    data = sample["path"].read_bytes()
    start, _ = footer_span(data)
    cut = tmp_path / "no_footer.rrd"
    cut.write_bytes(data[: start - 16])  # everything before the End message
    code, out = verify(cut)
    assert code != 0 and "Missing RRD footer" in out, out


def test_rerun_rrd_verify_rejects_manifest_offsets_that_miss_their_chunk(sample, tmp_path):
    """The same messages with the first one (SetStoreInfo) written twice: the data still reads, but
    every offset in the manifest now lands before its chunk, which verify must notice."""
    data = sample["path"].read_bytes()
    start, _ = footer_span(data)
    kind, length = struct.unpack("<QQ", data[12:28])
    assert kind == 1  # SetStoreInfo
    first = data[12 : 28 + length]
    bad = tmp_path / "shifted.rrd"
    bad.write_bytes(data[:12] + first + data[12:])
    code, out = verify(bad)
    assert code != 0 and "Corrupt RRD manifest" in out, out


def test_reader_checks_the_footer_checksum(sample, tmp_path):
    RrdReader(sample["path"]).store()  # the file as written loads
    data = bytearray(sample["path"].read_bytes())
    data[-32 + 16] ^= 0xFF  # the xxh32 of the RrdFooter, in the stream footer
    bad = tmp_path / "bad_crc.rrd"
    bad.write_bytes(bytes(data))
    with pytest.raises(Exception, match="(?i)crc|checksum"):
        RrdReader(bad).store()


def test_store_loads_without_the_legacy_warning_and_holds_every_chunk(sample):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reader = RrdReader(sample["path"])
        store = reader.store()
        from_store = sum(1 for _ in store.stream().to_chunks())
    scanned = sum(1 for _ in RrdReader(sample["path"]).stream().to_chunks())
    recording = next(m for m in manifests(sample["path"]) if m.store_kind == 1)
    assert from_store == scanned == recording.data.num_rows
    assert "/video/landmarks:Points2D:positions" in str(store.schema())


@pytest.fixture(scope="module")
def twin_manifest(sample, tmp_path_factory):
    """The manifest rerun-sdk 0.33.1 writes for the sample's Python twin (same data, same layout)."""
    twin = tmp_path_factory.mktemp("twin") / "twin.rrd"
    write_twin(twin, VIDEO, IMAGE)
    return next(m for m in manifests(twin) if m.store_kind == 1)


def _sdk_only(name: str) -> bool:
    # The SDK adds log_tick / log_time timelines to rr.log calls; we log no such timelines.
    return "log_tick" in name or "log_time" in name


def _fields(schema: pa.Schema) -> dict[str, tuple]:
    return {f.name: (str(f.type), f.nullable, dict(f.metadata or {})) for f in schema if not _sdk_only(f.name)}


def test_manifest_columns_match_the_sdk(sample, twin_manifest):
    ours = next(m for m in manifests(sample["path"]) if m.store_kind == 1)
    assert list(_fields(ours.data.schema)) == list(_fields(twin_manifest.data.schema))  # names and order
    assert _fields(ours.data.schema) == _fields(twin_manifest.data.schema)  # types, nullability, metadata


def test_sorbet_schema_matches_the_sdk(sample, twin_manifest):
    ours = next(m for m in manifests(sample["path"]) if m.store_kind == 1)
    assert _fields(ours.sorbet_schema) == _fields(twin_manifest.sorbet_schema)


def test_manifest_contents_match_the_sdk_whatever_the_chunking(sample, twin_manifest):
    """Per entity: static or not, rows, and per timeline/component the rows and time range."""

    def summary(m):
        t = m.data.to_pylist()
        out = Counter()
        for row in t:
            e = row["chunk_entity_path"]
            out[(e, "static", row["chunk_is_static"])] += 1 if row["chunk_is_static"] else 0
            out[(e, "rows")] += row["chunk_num_rows"]
            for name, v in row.items():
                if name.endswith(":num_rows") and not _sdk_only(name):
                    out[(e, name)] += v
                if name.endswith(":has_static_data") and v:
                    out[(e, name)] += 1
        ranges = {}
        for row in t:
            for name, v in row.items():
                if (name.endswith(":start") or name.endswith(":end")) and v is not None and not _sdk_only(name):
                    key = (row["chunk_entity_path"], name)
                    pick = min if name.endswith(":start") else max
                    ranges[key] = pick(ranges.get(key, v), v)
        return out, ranges

    ours_counts, ours_ranges = summary(next(m for m in manifests(sample["path"]) if m.store_kind == 1))
    sdk_counts, sdk_ranges = summary(twin_manifest)
    assert ours_counts == sdk_counts
    assert ours_ranges == sdk_ranges
