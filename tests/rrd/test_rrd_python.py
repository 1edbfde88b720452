"""The TS writer's sample, checked by Rerun's own tools (rerun-sdk 0.33.1, the viewer's version)."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest
import rerun as rr
from rerun.experimental import RrdReader
from rrd_support import IMAGE, MEDIA, VIDEO, rerun_cli, run_tsx
from twin import APP_ID, CLASS_IDS, KEYPOINT_IDS, LOG_FRAMES, POINTS, write_twin

# Our recordings end with a footer: the reader's warning for a file without one is a failure.
pytestmark = pytest.mark.filterwarnings("error:RRD file has no footer")


def test_sdk_version_matches_viewer():
    assert rr.__version__.startswith("0.33."), rr.__version__


def test_rerun_rrd_verify_passes(sample):
    done = rerun_cli("rrd", "verify", str(sample["path"]))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verified without error" in done.stdout + done.stderr


def test_rerun_rrd_verify_rejects_a_corrupted_sample(sample, tmp_path):
    bad = bytearray(sample["path"].read_bytes())
    bad[9] = 1  # serializer byte: MsgPack, no longer supported
    path = tmp_path / "bad.rrd"
    path.write_bytes(bytes(bad))
    assert rerun_cli("rrd", "verify", str(path)).returncode != 0


@pytest.fixture(scope="module")
def chunks(sample):
    reader = RrdReader(sample["path"])
    recordings, blueprints = reader.recordings(), reader.blueprints()
    assert [(r.application_id, r.recording_id) for r in recordings] == [(APP_ID, "facescope-sample")]
    assert len(blueprints) == 1 and blueprints[0].application_id == APP_ID
    by_entity: dict[str, list] = {}
    for chunk in reader.stream().to_chunks():
        by_entity.setdefault(chunk.entity_path, []).append(chunk)
    return by_entity


def _one(chunks, entity, static=False, having="rerun.controls.RowId"):
    """The single chunk of `entity` with that staticness holding column `having`."""
    found = [
        b for b in (c.to_record_batch() for c in chunks[entity] if c.is_static == static) if having in b.schema.names
    ]
    assert len(found) == 1, (entity, static, having, len(found))
    return found[0]


def _meta(batch: pa.RecordBatch, name: str) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in (batch.schema.field(name).metadata or {}).items()}


def test_reader_finds_every_entity(chunks):
    assert set(chunks) == {
        "/video",
        "/video/landmarks",
        "/video/face",
        "/reconstruction",
        "/reconstruction/points",
        "/scalars/wave",
        "/scalars/steps",
        "/log",
        "/readme",
        "/images/raw",
        "/images/encoded",
    }


def test_reader_timelines_and_ranges(chunks, sample):
    temporal = [c for cs in chunks.values() for c in cs if not c.is_static]
    assert {tuple(sorted(c.timeline_names)) for c in temporal} == {("frame_idx", "time")}
    batch = _one(chunks, "/scalars/wave")
    assert batch.schema.field("frame_idx").type == pa.int64()
    assert batch.schema.field("time").type == pa.duration("ns")
    assert batch.column("frame_idx").to_pylist() == list(range(sample["frames"]))
    times = batch.column("time").cast(pa.int64()).to_pylist()
    assert times[0] == 0 and times[-1] == sample["lastTimeNs"]


@pytest.mark.parametrize(
    "entity, static, component, component_type",
    [
        ("/video", True, "AssetVideo:blob", "rerun.components.Blob"),
        ("/video", False, "VideoFrameReference:timestamp", "rerun.components.VideoTimestamp"),
        ("/video/landmarks", False, "Points2D:positions", "rerun.components.Position2D"),
        ("/video/landmarks", True, "AnnotationContext:context", "rerun.components.AnnotationContext"),
        ("/reconstruction", True, "ViewCoordinates:xyz", "rerun.components.ViewCoordinates"),
        ("/reconstruction/points", False, "Points3D:positions", "rerun.components.Position3D"),
        ("/video/face", False, "Boxes2D:half_sizes", "rerun.components.HalfSize2D"),
        ("/scalars/wave", False, "Scalars:scalars", "rerun.components.Scalar"),
        ("/scalars/wave", True, "SeriesLines:aggregation_policy", "rerun.components.AggregationPolicy"),
        ("/scalars/steps", True, "SeriesPoints:markers", "rerun.components.MarkerShape"),
        ("/log", False, "TextLog:level", "rerun.components.TextLogLevel"),
        ("/readme", True, "TextDocument:media_type", "rerun.components.MediaType"),
        ("/images/raw", True, "Image:format", "rerun.components.ImageFormat"),
        ("/images/encoded", True, "EncodedImage:blob", "rerun.components.Blob"),
    ],
)
def test_reader_component_types(chunks, entity, static, component, component_type):
    archetype = component.split(":")[0]
    meta = _meta(_one(chunks, entity, static, component), component)
    assert meta["rerun:component_type"] == component_type
    assert meta["rerun:archetype"] == f"rerun.archetypes.{archetype}"


def test_reader_values(chunks, sample):
    n = sample["frames"]
    pts = rr.AssetVideo(path=str(VIDEO)).read_frame_timestamps_nanos()
    assert _one(chunks, "/video", having="VideoFrameReference:timestamp").column(
        "VideoFrameReference:timestamp"
    ).to_pylist() == [[int(t)] for t in pts]
    assert _one(chunks, "/video", True).column("AssetVideo:blob").to_pylist()[0][0] == list(VIDEO.read_bytes())

    landmarks = _one(chunks, "/video/landmarks", having="Points2D:positions")
    row3 = landmarks.column("Points2D:positions").to_pylist()[3]
    assert row3 == [[100 + 40 * k + 3, 120 + 10 * k] for k in range(POINTS)]
    assert landmarks.column("Points2D:class_ids").to_pylist()[0] == CLASS_IDS
    assert landmarks.column("Points2D:keypoint_ids").to_pylist()[n - 1] == KEYPOINT_IDS
    context = _one(chunks, "/video/landmarks", True).column("AnnotationContext:context").to_pylist()[0][0]
    assert [c["class_description"]["info"]["label"] for c in context] == ["eye", "mouth"]
    assert context[0]["class_description"]["keypoint_connections"] == [
        {"keypoint0": 0, "keypoint1": 1},
        {"keypoint0": 1, "keypoint1": 2},
    ]

    face = _one(chunks, "/video/face")
    assert face.column("Boxes2D:centers").to_pylist()[2] == [[182.0, 180.0]]
    assert face.column("index").to_pylist()[5] == [5]
    assert face.column("score").to_pylist()[:4] == [[0.5], [0.625], [0.75], [0.875]]
    log = _one(chunks, "/log")
    assert log.column("frame_idx").to_pylist() == LOG_FRAMES
    assert log.column("TextLog:text").to_pylist() == [[f"frame {i}"] for i in LOG_FRAMES]
    assert _one(chunks, "/video/landmarks", having="Clear:is_recursive").column("frame_idx").to_pylist() == [n - 5]
    image = _one(chunks, "/images/raw", True)
    assert image.column("Image:format").to_pylist()[0][0] == {
        "width": 4,
        "height": 3,
        "pixel_format": None,
        "color_model": 2,
        "channel_datatype": 6,
    }
    encoded = _one(chunks, "/images/encoded", True)
    assert encoded.column("EncodedImage:media_type").to_pylist() == [["image/jpeg"]]


def test_rerun_rrd_compare_equals_the_python_sdk_twin(sample, tmp_path):
    twin = tmp_path / "twin.rrd"
    write_twin(twin, VIDEO, IMAGE)
    done = rerun_cli("rrd", "compare", "--unordered", str(sample["path"]), str(twin))
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def test_rerun_rrd_compare_notices_a_difference(sample, tmp_path):
    """Guards the comparison itself: the twin without one entity must not compare equal."""
    twin = tmp_path / "twin.rrd"
    write_twin(twin, VIDEO, IMAGE, skip="readme")
    assert rerun_cli("rrd", "compare", "--unordered", str(sample["path"]), str(twin)).returncode != 0


def test_video_frame_times_match_rerun_for_every_shared_mp4():
    # Every readable clip, B-frames and H.265 included; bad/ also holds deliberately broken files.
    clips = sorted([*MEDIA.glob("*.mp4"), *MEDIA.glob("bench/*.mp4"), MEDIA / "bad" / "hevc_talking.mp4"])
    assert clips, f"no MP4 clips under {MEDIA}"
    out = [
        json.loads(line)
        for line in run_tsx("tests/rrd/print_video_pts.ts", *map(str, clips)).splitlines()
        if line.startswith("{")
    ]
    for clip, got in zip(clips, out, strict=True):  # one line per clip
        expected = rr.AssetVideo(path=str(clip)).read_frame_timestamps_nanos()
        assert np.array_equal(np.array(got["ns"], dtype=np.int64), expected), clip.name
