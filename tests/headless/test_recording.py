"""The `.rrd` that `facescope analyze` writes, read back with Rerun's own tools (rerun-sdk 0.33.1):
every entity of the seed's layout with the right archetypes, on `time` and `frame_idx`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from rerun.experimental import RrdReader

from facescope.results import BLENDSHAPE_NAMES
from tests.headless.conftest import TALKING, run_cli

# Our recordings end with a footer: the reader's warning for a file without one is a failure.
pytestmark = pytest.mark.filterwarnings("error:RRD file has no footer")
RERUN = Path(sys.executable).with_name("rerun")


class Entity:
    def __init__(self) -> None:
        self.archetypes: set[str] = set()
        self.components: set[str] = set()
        self.timelines: set[str] = set()
        self.temporal: list[pa.RecordBatch] = []

    def column(self, component: str) -> dict[int, list]:
        """frame_idx → the component's value in that row, over every temporal chunk."""
        out = {}
        for b in self.temporal:
            if component in b.schema.names:
                for f, v in zip(b.column("frame_idx").to_pylist(), b.column(component).to_pylist(), strict=True):
                    out[f] = v
        return out


@pytest.fixture(scope="module")
def recording(talking) -> dict[str, Entity]:
    reader = RrdReader(talking.out / "recording.rrd")
    assert [r.application_id for r in reader.recordings()] == ["facescope"]
    assert reader.blueprints(), "the seed's blueprint is missing"
    entities: dict[str, Entity] = defaultdict(Entity)
    for chunk in reader.stream().to_chunks():
        e = entities[chunk.entity_path]
        batch = chunk.to_record_batch()
        for field in batch.schema:
            meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
            if meta.get("rerun:kind") == "data":
                e.components.add(meta["rerun:component"])
                if "rerun:archetype" in meta:
                    e.archetypes.add(meta["rerun:archetype"].removeprefix("rerun.archetypes."))
        if not chunk.is_static:
            e.timelines.update(chunk.timeline_names)
            e.temporal.append(batch)
    return entities


def test_rerun_rrd_verify(talking):
    env = {**os.environ, "RERUN_ANALYTICS": "false"}
    done = subprocess.run(
        [str(RERUN), "rrd", "verify", str(talking.out / "recording.rrd")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verified without error" in done.stdout + done.stderr


@pytest.mark.parametrize(
    "entity, archetypes, components",
    [
        ("/video", {"AssetVideo", "VideoFrameReference"}, set()),
        ("/video/detector", {"AnnotationContext"}, set()),
        (
            "/video/detector/faces/0/bbox",
            {"Boxes2D"},
            {"index", "score"},
        ),  # AnyValues: no archetype, as the SDK logs them
        ("/video/detector/faces/0/keypoints", {"Points2D"}, {"Points2D:keypoint_ids"}),
        ("/video/landmarker", {"AnnotationContext"}, set()),
        ("/reconstruction", {"AnnotationContext", "ViewCoordinates"}, set()),
        ("/video/landmarker/faces/0/landmarks", {"Points2D"}, {"Points2D:keypoint_ids", "Points2D:class_ids"}),
        ("/reconstruction/faces/0", {"Points3D"}, {"Points3D:positions"}),
    ],
)
def test_seed_entities_and_archetypes(recording, entity, archetypes, components):
    assert entity in recording, sorted(recording)
    e = recording[entity]
    assert archetypes <= e.archetypes, e.archetypes
    assert components <= e.components, e.components


def test_every_blendshape_is_a_scalar_series_on_both_timelines(recording):
    for name in BLENDSHAPE_NAMES:
        e = recording[f"/blendshapes/0/{name}"]
        assert e.archetypes == {"Scalars"}, (name, e.archetypes)
        assert e.timelines == {"time", "frame_idx"}, (name, e.timelines)
    per_frame = [
        k for k in recording if k.startswith("/video/landmarker/faces/") or k.startswith("/reconstruction/faces/")
    ]
    assert all(recording[k].timelines == {"time", "frame_idx"} for k in per_frame)


def test_recording_holds_the_same_numbers_as_the_files(recording, talking):
    """One source of truth: the scene and the codec both carry what the browser computed."""
    lm = np.load(talking.out / "landmarks.npy")
    table = pd.read_parquet(talking.out / "blendshapes.parquet")
    points3d = recording["/reconstruction/faces/0"].column("Points3D:positions")
    points2d = recording["/video/landmarker/faces/0/landmarks"].column("Points2D:positions")
    blink = recording["/blendshapes/0/eyeBlinkLeft"].column("Scalars:scalars")
    frames = recording["/video"].column("VideoFrameReference:timestamp")
    assert sorted(points3d) == sorted(points2d) == sorted(blink) == sorted(frames) == list(range(75))
    for f in (0, 37, 74):
        np.testing.assert_array_equal(np.float32(points3d[f]), lm[f, 0])
        np.testing.assert_allclose(np.float32(points2d[f]), lm[f, 0, :, :2] * np.float32([360, 288]), rtol=1e-6)
        assert np.float32(blink[f][0]) == table.loc[(f, 0), "eyeBlinkLeft"]


def _positions_rows(rrd: Path, entity: str, component: str) -> list[int]:
    rows = []
    for chunk in RrdReader(rrd).stream().to_chunks():
        if chunk.entity_path == entity and not chunk.is_static:
            batch = chunk.to_record_batch()
            if component in batch.schema.names:
                rows += [
                    f
                    for f, v in zip(
                        batch.column("frame_idx").to_pylist(), batch.column(component).to_pylist(), strict=True
                    )
                    if v
                ]
    return sorted(rows)


def test_a_clip_too_long_for_the_viewer_budget_shows_every_nth_frame_and_says_so(app_built, tmp_path, talking):
    # A 75-frame clip against a 1 MB viewer budget stands in for an hour-long one against the default.
    run = run_cli(TALKING, tmp_path / "out", "--viewer-memory-mb", "1")
    assert run.returncode == 0, run.stderr
    summary = json.loads((run.out / "summary.json").read_text())
    every = summary["density"]["frames_every"]
    assert every > 1, summary["density"]
    assert summary["viewer_note"].startswith(f"long clip: the viewer shows every {every}")
    assert summary["viewer_note"] in run.stderr
    rrd = run.out / "recording.rrd"
    kept = list(range(0, 75, every))
    assert _positions_rows(rrd, "/reconstruction/faces/0", "Points3D:positions") == kept
    assert _positions_rows(rrd, "/video/landmarker/faces/0/landmarks", "Points2D:positions") == kept
    assert _positions_rows(rrd, "/blendshapes/0/jawOpen", "Scalars:scalars") == kept
    assert _positions_rows(rrd, "/video", "VideoFrameReference:timestamp") == kept
    assert rrd.stat().st_size < (talking.out / "recording.rrd").stat().st_size
    # Python has every frame, the same as without a budget.
    full = json.loads((talking.out / "summary.json").read_text())
    assert "viewer_note" not in full and full["density"] == {"frames_every": 1}
    pd.testing.assert_frame_equal(
        pd.read_parquet(run.out / "blendshapes.parquet"), pd.read_parquet(talking.out / "blendshapes.parquet")
    )
    np.testing.assert_array_equal(np.load(run.out / "landmarks.npy"), np.load(talking.out / "landmarks.npy"))


def test_the_newest_rerun_sdk_reads_verifies_and_migrates_the_recording(talking, tmp_path):
    from tests.rerun_newest import check_with_newest_sdk

    found = check_with_newest_sdk(talking.out / "recording.rrd", tmp_path)
    assert [app for app, _ in found["recordings"]] == ["facescope"]
    assert found["store_chunks"] == found["scanned_chunks"] > 0
