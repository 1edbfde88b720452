"""Analysis results in the shapes people use: a landmark array and a blendshape table.

Built from the codec's columns (``facescope._codec.ResultBatch``); the widget's DataFrames and the
headless analyser's files come from here, so both give the same numbers.
"""
from __future__ import annotations

import numpy as np

from ._codec import NUM_LANDMARKS, ResultBatch

# The FaceLandmarker's category order (src/results/blendshapes.ts); index 0 is `_neutral`.
BLENDSHAPE_NAMES: tuple[str, ...] = (
    "_neutral", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
    "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight",
    "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight", "eyeLookOutLeft",
    "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft", "eyeSquintRight",
    "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight", "mouthClose",
    "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft", "mouthFrownRight", "mouthFunnel",
    "mouthLeft", "mouthLowerDownLeft", "mouthLowerDownRight", "mouthPressLeft", "mouthPressRight",
    "mouthPucker", "mouthRight", "mouthRollLower", "mouthRollUpper", "mouthShrugLower",
    "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight", "mouthStretchLeft", "mouthStretchRight",
    "mouthUpperUpLeft", "mouthUpperUpRight", "noseSneerLeft", "noseSneerRight",
)


def face_slots(batch: ResultBatch) -> tuple[np.ndarray, np.ndarray]:
    """For each face row: its frame's position in the batch and its slot within that frame."""
    counts = batch.columns["face_count"]
    frame_of_face = np.repeat(np.arange(len(counts)), counts)
    first_face = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    slot = np.arange(batch.faces) - np.repeat(first_face, counts)
    return frame_of_face, slot


def landmarks_array(batch: ResultBatch) -> np.ndarray:
    """frames × max faces × 478 × 3 float32, normalised x, y (by image width, height) and z; NaN where
    a frame has fewer faces. Faces keep the landmarker's order within each frame."""
    max_faces = int(batch.columns["face_count"].max(initial=0))
    out = np.full((batch.frames, max_faces, NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
    frame_of_face, slot = face_slots(batch)
    out[frame_of_face, slot] = batch.columns["landmarks"]
    return out


def frame_times(batch: ResultBatch) -> np.ndarray:
    """Presentation time of each frame in seconds."""
    return batch.columns["timestamp_us"] / 1e6


def blendshapes_table(batch: ResultBatch):
    """pandas DataFrame, one row per frame × face: frame_idx, time (s), face_id, then the 52 scores
    in MediaPipe's order."""
    import pandas as pd

    frame_of_face, _ = face_slots(batch)
    table = pd.DataFrame({
        "frame_idx": batch.columns["frame_idx"][frame_of_face].astype(np.int64),
        "time": frame_times(batch)[frame_of_face],
        "face_id": batch.columns["face_id"].astype(np.int64),
    })
    scores = pd.DataFrame(batch.columns["blendshapes"], columns=list(BLENDSHAPE_NAMES))
    return pd.concat([table, scores], axis=1)
