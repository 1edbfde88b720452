"""The reference side of the fidelity suite: PyPI `mediapipe` FaceLandmarker in VIDEO mode, and a
Python decoder (PyAV, i.e. FFmpeg's libavcodec + swscale) for the same clip."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

NUM_LANDMARKS = 478
NUM_BLENDSHAPES = 52


@dataclass
class Decoded:
    rgb: list[np.ndarray]  # H × W × 3 uint8, C-contiguous
    timestamps_us: list[int]


def decode_rgb(path: Path) -> Decoded:
    """Every frame in presentation order as RGB24 via swscale.

    Untagged streams are converted as BT.709 limited range, as Chromium does: measured on the GRID
    clips, that leaves a mean |Δ| of ~1.4/255 against WebCodecs' RGBA (chroma upsampling and
    rounding), where swscale's own default for SD, BT.601, differs by ~5/255 (max 16).
    """
    import av

    rgb, ts = [], []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            # to_ndarray keeps swscale's row padding; mediapipe.Image ignores strides, so a padded
            # array is read as a sheared picture and no face is found. Copy to a packed array.
            tagged = frame.colorspace not in (0, 2)  # AVCOL_SPC_RGB/UNSPECIFIED: no matrix in the stream
            rgb.append(
                np.ascontiguousarray(
                    (
                        frame.reformat(format="rgb24")
                        if tagged
                        else frame.reformat(format="rgb24", src_colorspace="ITU709", src_color_range="MPEG")
                    ).to_ndarray()
                )
            )
            ts.append(int(round(frame.time * 1e6)))
    return Decoded(rgb, ts)


@dataclass
class LandmarkerRun:
    """Per frame: a list of faces, each (478 × 3 normalised landmarks, 52 blendshape scores)."""

    faces: list[list[tuple[np.ndarray, np.ndarray]]]
    ms_per_frame: float


def run_landmarker(
    model: Path, frames: list[np.ndarray], timestamps_ms: list[int], num_faces: int = 1
) -> LandmarkerRun:
    """FaceLandmarker with the browser's settings (worker.ts): VIDEO mode, blendshapes and matrices on,
    0.5 thresholds. A fresh task per call, like the browser's fresh task per clip."""
    import time

    import mediapipe as mp
    from mediapipe.tasks.python import vision

    options = vision.FaceLandmarkerOptions(
        base_options=mp.tasks.BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.VIDEO,
        num_faces=num_faces,
        min_face_detection_confidence=0.5,
        min_face_presence_confidence=0.5,
        min_tracking_confidence=0.5,
        output_face_blendshapes=True,
        output_facial_transformation_matrixes=True,
    )
    out: list[list[tuple[np.ndarray, np.ndarray]]] = []
    t0 = time.perf_counter()
    with vision.FaceLandmarker.create_from_options(options) as landmarker:
        for rgb, ts in zip(frames, timestamps_ms, strict=True):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
            result = landmarker.detect_for_video(image, ts)
            faces = []
            for lms, bs in zip(result.face_landmarks, result.face_blendshapes, strict=True):
                pts = np.array([(p.x, p.y, p.z) for p in lms], dtype=np.float64)
                scores = np.full(NUM_BLENDSHAPES, np.nan)
                for c in bs:
                    scores[c.index] = c.score
                faces.append((pts, scores))
            out.append(faces)
    return LandmarkerRun(out, (time.perf_counter() - t0) * 1000 / max(len(frames), 1))
