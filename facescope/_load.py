"""Reading a folder that ``Results.save`` (or ``python -m facescope analyze --out DIR``) wrote back
into the codec's columns, so ``Results.load`` gives the tables, arrays and recording that were saved.

The files are the ones ``_export`` writes: frames.parquet (one row per frame), blendshapes.parquet
and head_pose.parquet (one row per face and frame), detections.parquet, landmarks.npy and
transforms.npy (a slot per face id), summary.json and recording.rrd. Two columns are not stored as
such: a frame's faces come back in face-id order (the landmarker's order within a frame carries no
meaning), and ``face_box`` is the landmarks' bounding box, recomputed.

>>> from facescope._load import read_folder
>>> batch, summary, recording = read_folder("results/")          # doctest: +SKIP
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ._codec import BLENDSHAPE_NAMES, DETECTOR_KEYPOINT_NAMES, NUM_KEYPOINTS, ResultBatch, decode_results

# The two files beside the tables and arrays (facescope/_export.py writes them under these names).
RECORDING = "recording.rrd"
SUMMARY = "summary.json"

# The folder format before standard files (facescope 0.1.0): read for one more release.
_LEGACY = "results.fscr"


def read_folder(out_dir: str | Path) -> tuple[ResultBatch, dict[str, Any], bytes]:
    """The columns, summary and recording saved in ``out_dir``."""
    out = Path(out_dir)
    summary = json.loads((out / SUMMARY).read_text()) if (out / SUMMARY).is_file() else {}
    recording = (out / RECORDING).read_bytes() if (out / RECORDING).is_file() else b""
    if (out / "frames.parquet").is_file():
        return _columns(out), summary, recording
    if (out / _LEGACY).is_file():
        warnings.warn(
            f"{out / _LEGACY} is facescope 0.1.0's own format, read for one more release; "
            "save the results again (Results.save) to get standard files",
            DeprecationWarning,
            stacklevel=3,
        )
        return decode_results((out / _LEGACY).read_bytes()), summary, recording
    raise FileNotFoundError(
        f"{out} holds no frames.parquet (written by Results.save and python -m facescope analyze --out)"
    )


def _columns(out: Path) -> ResultBatch:
    import pandas as pd

    frames = pd.read_parquet(out / "frames.parquet")
    scores = pd.read_parquet(out / "blendshapes.parquet")
    pose = pd.read_parquet(out / "head_pose.parquet")
    det = pd.read_parquet(out / "detections.parquet")
    landmarks = np.load(out / "landmarks.npy")
    transforms = np.load(out / "transforms.npy")
    if not pose.index.equals(scores.index):
        raise ValueError(f"{out}: head_pose.parquet and blendshapes.parquet hold different (frame_idx, face_id) rows")

    frame_idx = frames.index.to_numpy()
    face_frame = scores.index.get_level_values("frame_idx").to_numpy()
    face_id = scores.index.get_level_values("face_id").to_numpy()
    frame_pos = np.searchsorted(frame_idx, face_frame)
    ids = np.unique(face_id)  # the arrays' slot order (Results.face_ids)
    slot = np.searchsorted(ids, face_id)
    face_count = frames["face_count"].to_numpy()
    if landmarks.shape[:2] != (len(frames), len(ids)) or transforms.shape[:2] != landmarks.shape[:2]:
        raise ValueError(
            f"{out}: landmarks.npy {landmarks.shape} and transforms.npy {transforms.shape} do not "
            f"match {len(frames)} frames × {len(ids)} faces"
        )
    if not np.array_equal(np.bincount(frame_pos, minlength=len(frames)), face_count):
        raise ValueError(f"{out}: blendshapes.parquet's rows disagree with frames.parquet's face_count")
    if int(frames["detection_count"].sum()) != len(det):
        raise ValueError(f"{out}: detections.parquet's rows disagree with frames.parquet's detection_count")

    points = landmarks[frame_pos, slot]
    # face_box as src/inference/pack.ts computes it: x0, y0, width, height of the landmarks (NaN propagates).
    lo, hi = points[:, :, :2].min(axis=1).astype(np.float64), points[:, :, :2].max(axis=1).astype(np.float64)
    keypoints = det[[f"{k}_{a}" for k in DETECTOR_KEYPOINT_NAMES for a in "xy"]].to_numpy(np.float32)
    columns = {
        "frame_idx": frame_idx.astype(np.int32),
        "timestamp_us": frames["timestamp_us"].to_numpy(np.float64),
        "image_size": frames[["width", "height"]].to_numpy(np.int32),
        "face_count": face_count.astype(np.int32),
        "detection_count": frames["detection_count"].to_numpy(np.int32),
        "timings_ms": frames[["decode_ms", "detector_ms", "landmarker_ms", "post_ms"]].to_numpy(np.float32),
        "face_id": face_id.astype(np.int32),
        "landmarks": points,
        "blendshapes": scores[list(BLENDSHAPE_NAMES)].to_numpy(np.float32),
        # transforms.npy is row-major 4 × 4; the codec keeps MediaPipe's column-major 16 values.
        "matrices": transforms[frame_pos, slot].transpose(0, 2, 1).reshape(-1, 16),
        "head_pose_deg": pose[["yaw", "pitch", "roll"]].to_numpy(np.float32),
        "face_box": np.concatenate([lo, hi - lo], axis=1).astype(np.float32),
        "detection_box_px": det[["x", "y", "width", "height"]].to_numpy(np.float32),
        "detection_score": det["score"].to_numpy(np.float32),
        "detection_keypoints": keypoints.reshape(-1, NUM_KEYPOINTS, 2),
        "detection_face_id": det["face_id"].to_numpy(np.int32),
    }
    return ResultBatch({k: np.ascontiguousarray(v) for k, v in columns.items()})
