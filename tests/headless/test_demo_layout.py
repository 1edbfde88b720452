"""The layout the viewer opens on, read back from the demo clip's recording with Rerun's own reader:
the blendshape view shows the six (face, category) curves that move most in this clip (the same ones
pandas finds in the written table), named with their face, all 52 stay one tab away, and the 3D
view's camera sees every landmark, from the first blueprint on."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from rerun.experimental import RrdReader

from facescope.demo import demo_clip
from tests.browser import MEDIA
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


@pytest.fixture(scope="module")
def crowd(app_built, tmp_path_factory):
    """A clip with several faces at once, 40 frames of up to three."""
    clip = MEDIA / "b_multiface_crop_mpf_video_01_1280x720.mp4"
    out = tmp_path_factory.mktemp("crowd") / "out"
    run = run_cli(clip, out, "--max-frames", "40", "--max-dim", "640", "--num-faces", "3")
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


def top_series(blendshapes: pd.DataFrame, n: int = 6) -> list[tuple[int, str]]:
    """The (face, category) pairs with the largest share of the within-face variance pooled over
    faces (each face's squared deviations from its own mean, over every face's rows), no face more
    than n / faces of them while others have pairs left."""
    scores = blendshapes.drop(columns=["time", "_neutral"]).astype("float64")
    centred = scores - scores.groupby(level="face_id").transform("mean")
    share = ((centred**2).groupby(level="face_id").sum() / len(scores)).stack()
    ranked = [pair for pair, _ in sorted(share[share > 1e-6].items(), key=lambda p: (-p[1], p[0][1], p[0][0]))]
    fair = math.ceil(n / scores.index.get_level_values("face_id").nunique())
    chosen: list[tuple[int, str]] = []
    for face, name in ranked:
        if len(chosen) < n and sum(f == face for f, _ in chosen) < fair:
            chosen.append((face, name))
    chosen += [pair for pair in ranked if pair not in chosen][: n - len(chosen)]
    return [(int(face), name) for face, name in ranked if (face, name) in chosen]


def series_names(rrd) -> dict[str, list[str]]:
    """The legend names logged (static) on the recording's entities."""
    out = {}
    for chunk in RrdReader(rrd).stream().to_chunks():
        batch = chunk.to_record_batch()
        if "SeriesLines:names" in batch.schema.names:
            assert chunk.is_static
            out[chunk.entity_path.removeprefix("/")] = batch.column("SeriesLines:names").to_pylist()[-1]
    return out


def test_blendshape_view_opens_on_the_clips_moving_curves_named_by_face_and_all_52_are_a_tab_away(demo):
    sent = layouts(demo / "recording.rrd")
    assert len(sent) == 3, "start, after ~50 frames, and at the end (the choice changed)"
    start, early, final = sent
    assert start["Blendshapes"]["ViewContents:query"] == [
        f"+ blendshapes/0/{n}"
        for n in ("eyeBlinkLeft", "eyeBlinkRight", "jawOpen", "mouthSmileLeft", "mouthSmileRight")
    ]
    blendshapes = pd.read_parquet(demo / "blendshapes.parquet")
    faces = sorted(blendshapes.index.get_level_values("face_id").unique())
    top = top_series(blendshapes)
    assert final["Blendshapes"]["ViewContents:query"] == [f"+ blendshapes/{f}/{n}" for f, n in top]
    # This clip's speakers blink and pucker: the view opens on those curves, six legend lines in all.
    assert {"mouthPucker", "eyeBlinkLeft"} <= {n for _, n in top}, top
    assert len(early["Blendshapes"]["ViewContents:query"]) == 6
    # One face: the legend's last path part ("jawOpen") says enough, no series is renamed.
    assert faces == [0] and series_names(demo / "recording.rrd") == {}
    for layout in sent:
        assert layout["All blendshapes"]["ViewBlueprint:space_origin"] == ["blendshapes"]
        assert layout["All blendshapes"]["ViewContents:query"] == ["$origin/**"]


def test_several_faces_share_six_legend_lines_each_named_with_its_face(crowd):
    blendshapes = pd.read_parquet(crowd / "blendshapes.parquet")
    faces = blendshapes.index.get_level_values("face_id").unique()
    assert len(faces) > 1, "the clip's faces were not found"
    sent = layouts(crowd / "recording.rrd")
    assert all(len(layout["Blendshapes"]["ViewContents:query"]) <= 6 for layout in sent)
    top = top_series(blendshapes)
    assert {f for f, _ in top} == set(faces), "every face has a line"
    assert sent[-1]["Blendshapes"]["ViewContents:query"] == [f"+ blendshapes/{f}/{n}" for f, n in top]
    # The viewer's legend names a series by its path's last part ("jawOpen") unless the series
    # carries a name: each shown one carries its face's, as the video's boxes are labelled.
    names = series_names(crowd / "recording.rrd")
    assert {f"blendshapes/{f}/{n}": [f"face {f}: {n}"] for f, n in top}.items() <= names.items()
    shown = {q.removeprefix("+ ") for layout in sent[1:] for q in layout["Blendshapes"]["ViewContents:query"]}
    assert set(names) <= shown, "only the shown series are renamed"


def project(eye: dict, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each point lands in the eye's view, as fractions of the half-width and half-height
    (|u|, |v| < 1: visible). The fitted eyes look along +z with image-up (−y) up."""
    assert eye["EyeControls3D:eye_up"] == [[0.0, -1.0, 0.0]] and eye["EyeControls3D:kind"] == [2]
    position = np.array(eye["EyeControls3D:position"][0])
    depth = points[:, 2] - position[2]
    assert (depth > 0).all()
    tan_y = math.tan(math.radians(FOV_Y_DEG / 2))
    u = (points[:, 0] - position[0]) / (depth * tan_y * PANEL_ASPECT)
    v = (points[:, 1] - position[1]) / (depth * tan_y)
    return u, v


def test_3d_view_starts_on_a_camera_that_sees_every_landmark_forehead_included(demo):
    start, *_, final = layouts(demo / "recording.rrd")
    points = np.load(demo / "landmarks.npy").reshape(-1, 3)
    points = points[~np.isnan(points).any(axis=1)]
    # The first blueprint, sent before any face: a camera on the whole picture already sees them all.
    first = start["3D face"]
    assert first["EyeControls3D:look_target"] == [[0.5, 0.5, 0.0]]
    u, v = project(first, points)
    assert np.abs(u).max() < 1 and np.abs(v).max() < 1, (np.abs(u).max(), np.abs(v).max())
    # The refined one, on the landmarks' bounds: it sees them too, closer.
    eye = final["3D face"]
    lo, hi = points.min(axis=0), points.max(axis=0)
    np.testing.assert_allclose(eye["EyeControls3D:look_target"][0], (lo + hi) / 2, atol=1e-4)
    u, v = project(eye, points)
    assert np.abs(u).max() < 1 and np.abs(v).max() < 1, (np.abs(u).max(), np.abs(v).max())
    # The forehead (the smallest y) is inside the view, and the face fills most of it.
    assert v.min() > -1 and max(np.abs(u).max(), np.abs(v).max()) > 0.7
