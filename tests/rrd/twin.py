"""The sample of scripts/rrd-sample-data.ts, logged through Rerun's Python SDK (the reference).

Mirrors logSample() call for call; change both together. Temporal data uses send_columns so the
SDK adds no log_tick/log_time timelines, which the TS writer does not have.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import rerun as rr
import rerun.blueprint as rrb

APP_ID = "facescope_rrd_sample"
IDS = {
    name: uuid.UUID(f"00000000-0000-4000-8000-{n:012d}")
    for name, n in {
        "root": 1,
        "left": 2,
        "tabs": 3,
        "grid": 4,
        "imageTabs": 5,
        "video": 11,
        "images": 12,
        "encoded": 17,
        "scene": 13,
        "plots": 14,
        "log": 15,
        "readme": 16,
    }.items()
}
POINTS = 5
CLASS_IDS = [1, 1, 1, 2, 2]
KEYPOINT_IDS = [0, 1, 2, 0, 1]
LOG_FRAMES = [0, 25, 50]


def _with_id(part, name: str):
    part.id = IDS[name]
    return part


def blueprint() -> rrb.Blueprint:
    return rrb.Blueprint(
        _with_id(
            rrb.Horizontal(
                _with_id(
                    rrb.Vertical(
                        _with_id(rrb.Spatial2DView(origin="/video", name="Video"), "video"),
                        _with_id(
                            rrb.Tabs(
                                _with_id(rrb.Spatial2DView(origin="/images/raw", name="Raw image"), "images"),
                                _with_id(rrb.Spatial2DView(origin="/images/encoded", name="Encoded image"), "encoded"),
                                active_tab=0,
                            ),
                            "imageTabs",
                        ),
                        row_shares=[3, 1],
                    ),
                    "left",
                ),
                _with_id(
                    rrb.Tabs(
                        _with_id(rrb.Spatial3DView(origin="/reconstruction", name="Scene"), "scene"),
                        _with_id(
                            rrb.TimeSeriesView(
                                origin="/scalars", contents=["+ $origin/**", "- /scalars/hidden"], name="Plots"
                            ),
                            "plots",
                        ),
                        active_tab=0,
                    ),
                    "tabs",
                ),
                _with_id(
                    rrb.Grid(
                        _with_id(rrb.TextLogView(origin="/log", name="Log"), "log"),
                        _with_id(rrb.TextDocumentView(origin="/readme", name="Readme"), "readme"),
                        grid_columns=1,
                    ),
                    "grid",
                ),
                column_shares=[2, 1, 1],
            ),
            "root",
        ),
        auto_layout=False,
        auto_views=False,
        collapse_panels=False,
    )


def classes() -> list[rr.ClassDescription]:
    return [
        rr.ClassDescription(
            info=rr.AnnotationInfo(id=1, label="eye", color=(255, 64, 64)), keypoint_connections=[(0, 1), (1, 2)]
        ),
        rr.ClassDescription(
            info=rr.AnnotationInfo(id=2, label="mouth", color=(64, 255, 64)),
            keypoint_annotations=[
                rr.AnnotationInfo(id=0, label="left corner"),
                rr.AnnotationInfo(id=1, label="right corner", color=(0, 0, 255, 128)),
            ],
            keypoint_connections=[(0, 1)],
        ),
    ]


def write_twin(out: Path, video: Path, image: Path, *, with_blueprint: bool = True, skip: str | None = None) -> None:
    rec = rr.RecordingStream(APP_ID, recording_id="facescope-sample-python", send_properties=False)
    rec.save(str(out), default_blueprint=blueprint() if with_blueprint else None)

    asset = rr.AssetVideo(path=str(video))
    pts = asset.read_frame_timestamps_nanos()
    n = len(pts)
    frame = np.arange(n)

    def times():
        return [
            rr.TimeColumn("frame_idx", sequence=frame),
            rr.TimeColumn("time", duration=pts.astype("timedelta64[ns]")),
        ]

    rec.log("video", asset, static=True)
    rec.log("video/landmarks", rr.AnnotationContext(classes()), static=True)
    rec.log("reconstruction", rr.ViewCoordinates.RDF, rr.AnnotationContext(classes()), static=True)
    rec.log(
        "scalars/wave",
        rr.SeriesLines(colors=[(255, 128, 0)], widths=[2], names=["wave"], aggregation_policy="average"),
        static=True,
    )
    rec.log(
        "scalars/steps",
        rr.SeriesPoints(colors=[(0, 128, 255)], markers=["diamond"], marker_sizes=[4], names=["steps"]),
        static=True,
    )
    if skip != "readme":
        rec.log(
            "readme",
            rr.TextDocument("# facescope sample\n\nEvery archetype of the **TS writer**.", media_type="text/markdown"),
            static=True,
        )
    raw = (np.arange(4 * 3 * 3) * 20 % 256).astype(np.uint8).reshape(3, 4, 3)
    rec.log("images/raw", rr.Image(raw, color_model="RGB"), static=True)
    rec.log("images/encoded", rr.EncodedImage(contents=image.read_bytes(), media_type="image/jpeg"), static=True)

    rec.send_columns("video", indexes=times(), columns=rr.VideoFrameReference.columns_nanos(pts))
    k = np.arange(POINTS)
    p2 = (
        np.stack([np.stack([100 + 40 * k + i, 120 + 10 * k], axis=1) for i in range(n)])
        .reshape(-1, 2)
        .astype(np.float32)
    )
    p3 = (
        np.stack([np.stack([k * 0.25, np.full(POINTS, (i % 8) * 0.125), 1 + k * 0.5], axis=1) for i in range(n)])
        .reshape(-1, 3)
        .astype(np.float32)
    )
    per_row = [POINTS] * n
    rec.send_columns(
        "video/landmarks",
        indexes=times(),
        columns=[
            *rr.Points2D.columns(positions=p2, class_ids=CLASS_IDS * n, keypoint_ids=KEYPOINT_IDS * n).partition(
                per_row
            ),
            *rr.Points2D.columns(radii=np.full(n, 3.0, dtype=np.float32)),
        ],
    )
    rec.send_columns(
        "reconstruction/points",
        indexes=times(),
        columns=rr.Points3D.columns(positions=p3, class_ids=CLASS_IDS * n, keypoint_ids=KEYPOINT_IDS * n).partition(
            per_row
        ),
    )
    rec.send_columns("scalars/wave", indexes=times(), columns=rr.Scalars.columns(scalars=np.abs(frame % 16 - 8) / 8))
    rec.send_columns("scalars/steps", indexes=times(), columns=rr.Scalars.columns(scalars=(frame // 10) * 0.25))

    x = 100 + frame.astype(np.float32)
    rec.send_columns(
        "video/face",
        indexes=times(),
        columns=[
            # XYWH (100 + i, 80, 160, 200) as Rerun stores it: centres and half sizes.
            *rr.Boxes2D.columns(
                centers=np.stack([x + 80, np.full(n, 180)], axis=1),
                half_sizes=np.tile([80, 100], (n, 1)),
                labels=["face"] * n,
            ),
            *rr.AnyValues.columns(score=0.5 + (frame % 4) * 0.125, index=frame.astype(np.int64)),
        ],
    )
    rows = np.array(LOG_FRAMES)
    rec.send_columns(
        "log",
        indexes=[
            rr.TimeColumn("frame_idx", sequence=rows),
            rr.TimeColumn("time", duration=pts[rows].astype("timedelta64[ns]")),
        ],
        columns=rr.TextLog.columns(
            text=[f"frame {i}" for i in LOG_FRAMES], level=["INFO" if i == 0 else "DEBUG" for i in LOG_FRAMES]
        ),
    )
    last = np.array([n - 5])
    rec.send_columns(
        "video/landmarks",
        indexes=[
            rr.TimeColumn("frame_idx", sequence=last),
            rr.TimeColumn("time", duration=pts[last].astype("timedelta64[ns]")),
        ],
        columns=rr.Clear.columns(is_recursive=[True]),
    )
    rec.flush()


if __name__ == "__main__":
    import sys

    write_twin(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
