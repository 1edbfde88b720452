"""The layout the viewer opens on, read back from the demo clip's recording with Rerun's own reader:
the blendshape view shows the categories that move in this clip (the same ones pandas finds in the
written table), all 52 stay one tab away, and the 3D view's start camera sees every landmark."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from rerun.experimental import RrdReader

from facescope.demo import demo_clip
from tests.headless.conftest import run_cli

# The 0.33 viewer's default 3D field of view, and the narrowest panel the fit holds for
# (src/scene/startCamera.ts's VIEWER_FOV_Y_DEG and PANEL_ASPECT).
FOV_Y_DEG = 55
PANEL_ASPECT = 0.5


@pytest.fixture(scope="module")
def demo(app_built, tmp_path_factory):
    run = run_cli(demo_clip(), tmp_path_factory.mktemp("demo") / "out")
    assert run.returncode == 0, run.stderr
    return run.out


def layouts(rrd) -> list[dict]:
    """Every blueprint in the file, in the order they were sent. `RrdReader.blueprints()` is not
    that order; each blueprint's store info precedes its chunks in the file, so its id's first
    byte offset is."""
    raw = rrd.read_bytes()
    reader = RrdReader(rrd)
    out = []
    for bp in sorted(reader.blueprints(), key=lambda b: raw.find(b.recording_id.encode())):
        views: dict[str, dict] = {}
        for chunk in reader.stream(store=bp).to_chunks():
            batch = chunk.to_record_batch()
            path = chunk.entity_path
            view = views.setdefault(path.removesuffix("/ViewContents").removesuffix("/EyeControls3D"), {})
            for name in batch.schema.names:
                if ":" in name:
                    view[name] = batch.column(name).to_pylist()[0]
        out.append({v["ViewBlueprint:display_name"][0]: v for v in views.values() if "ViewBlueprint:display_name" in v})
    return out


def pooled_top(blendshapes: pd.DataFrame, n: int = 6) -> list[str]:
    """The categories with the highest variance within each face, pooled over faces."""
    scores = blendshapes.drop(columns=["time", "_neutral"]).astype("float64")
    centred = scores - scores.groupby(level="face_id").transform("mean")
    return (centred**2).mean().sort_values(ascending=False, kind="stable").index[:n].tolist()


def test_blendshape_view_opens_on_the_clips_moving_categories_and_all_52_are_a_tab_away(demo):
    sent = layouts(demo / "recording.rrd")
    assert len(sent) == 3, "start, after ~50 frames, and at the end (the choice changed)"
    start, early, final = sent
    assert start["Blendshapes"]["ViewContents:query"] == [
        f"+ blendshapes/0/{n}"
        for n in ("eyeBlinkLeft", "eyeBlinkRight", "jawOpen", "mouthSmileLeft", "mouthSmileRight")
    ]
    blendshapes = pd.read_parquet(demo / "blendshapes.parquet")
    faces = sorted(blendshapes.index.get_level_values("face_id").unique())
    top = pooled_top(blendshapes)
    assert final["Blendshapes"]["ViewContents:query"] == [f"+ blendshapes/{f}/{n}" for f in faces for n in top]
    # This clip's speakers blink and pucker: the view opens on those curves, six legend lines.
    assert {"mouthPucker", "eyeBlinkLeft", "eyeBlinkRight"} <= set(top), top
    assert len(early["Blendshapes"]["ViewContents:query"]) == 6 * len(faces)
    for layout in sent:
        assert layout["All blendshapes"]["ViewBlueprint:space_origin"] == ["blendshapes"]
        assert layout["All blendshapes"]["ViewContents:query"] == ["$origin/**"]


def test_3d_view_starts_on_a_camera_that_sees_every_landmark_forehead_included(demo):
    start, *_, final = layouts(demo / "recording.rrd")
    assert "EyeControls3D:position" not in start["3D face"], "no faces known yet: the viewer's own camera"
    eye = final["3D face"]
    position, target = np.array(eye["EyeControls3D:position"][0]), np.array(eye["EyeControls3D:look_target"][0])
    assert eye["EyeControls3D:eye_up"] == [[0.0, -1.0, 0.0]] and eye["EyeControls3D:kind"] == [2]
    points = np.load(demo / "landmarks.npy").reshape(-1, 3)
    points = points[~np.isnan(points).any(axis=1)]
    lo, hi = points.min(axis=0), points.max(axis=0)
    np.testing.assert_allclose(target, (lo + hi) / 2, atol=1e-4)
    # The eye looks along +z (image-up is −y): project every landmark into its view.
    depth = points[:, 2] - position[2]
    tan_y = math.tan(math.radians(FOV_Y_DEG / 2))
    u = (points[:, 0] - position[0]) / (depth * tan_y * PANEL_ASPECT)
    v = (points[:, 1] - position[1]) / (depth * tan_y)
    assert (depth > 0).all()
    assert np.abs(u).max() < 1 and np.abs(v).max() < 1, (np.abs(u).max(), np.abs(v).max())
    # The forehead (the smallest y) is inside the view, and the face fills most of it.
    assert v.min() > -1 and max(np.abs(u).max(), np.abs(v).max()) > 0.7
