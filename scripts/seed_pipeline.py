"""The seed's pipeline, rebuilt for benchmarking: Rerun's MediaPipe face example as the seed
(shared/seed/) describes it. OpenCV decodes, PyPI `mediapipe` runs FaceDetector then
FaceLandmarker (VIDEO mode) on every frame, and `rerun-sdk` logs the seed's layout to an .rrd file:
the frame as an Image per frame (as the seed does) or, with video="asset", the clip once as
AssetVideo plus a VideoFrameReference per frame (facescope's way).
Timed per stage so it can be compared with the browser pipeline stage by stage."""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DETECTOR_KEYPOINT_CONNECTIONS = [(0, 1), (1, 2), (2, 0), (2, 3), (0, 4), (1, 5)]
STAGES = ("decode", "detector", "landmarker", "log")


@dataclass
class SeedRun:
    frames: int = 0
    total_ms: float = 0.0  # open clip → recording flushed to disk (models already loaded)
    init_ms: float = 0.0  # creating the two tasks
    stage_ms: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STAGES})
    flush_ms: float = 0.0
    rrd_bytes: int = 0

    @property
    def fps(self) -> float:
        return self.frames * 1000 / max(self.total_ms, 1e-9)


def _annotation_context(rr, vision):
    """The seed's 9 landmark classes; a landmark's class is the class whose connections use it."""
    c = vision.FaceLandmarksConnections
    classes = [
        c.FACE_LANDMARKS_LIPS,
        c.FACE_LANDMARKS_LEFT_EYE,
        c.FACE_LANDMARKS_LEFT_IRIS,
        c.FACE_LANDMARKS_LEFT_EYEBROW,
        c.FACE_LANDMARKS_RIGHT_EYE,
        c.FACE_LANDMARKS_RIGHT_EYEBROW,
        c.FACE_LANDMARKS_RIGHT_IRIS,
        c.FACE_LANDMARKS_FACE_OVAL,
        c.FACE_LANDMARKS_NOSE,
    ]
    class_ids = [0] * 478
    descriptions = []
    for i, klass in enumerate(classes):
        for conn in klass:
            class_ids[conn.start] = class_ids[conn.end] = i
        descriptions.append(
            rr.ClassDescription(
                info=rr.AnnotationInfo(id=i), keypoint_connections=[(conn.start, conn.end) for conn in klass]
            )
        )
    return rr.AnnotationContext(descriptions), class_ids


def _tasks(model: Path, num_faces: int):
    import mediapipe as mp
    from mediapipe.tasks.python import vision

    detector_model = zipfile.ZipFile(io.BytesIO(model.read_bytes())).read("face_detector.tflite")
    detector = vision.FaceDetector.create_from_options(
        vision.FaceDetectorOptions(
            base_options=mp.tasks.BaseOptions(model_asset_buffer=detector_model), running_mode=vision.RunningMode.VIDEO
        )
    )
    landmarker = vision.FaceLandmarker.create_from_options(
        vision.FaceLandmarkerOptions(
            base_options=mp.tasks.BaseOptions(model_asset_path=str(model)),
            running_mode=vision.RunningMode.VIDEO,
            num_faces=num_faces,
            output_face_blendshapes=True,
            output_facial_transformation_matrixes=True,
        )
    )
    return detector, landmarker


def run_seed(clip: Path, model: Path, out_rrd: Path, num_faces: int = 1, video: str = "image") -> SeedRun:
    import cv2
    import mediapipe as mp
    import rerun as rr
    from mediapipe.tasks.python import vision

    run = SeedRun()
    t = time.perf_counter()
    detector, landmarker = _tasks(model, num_faces)
    run.init_ms = (time.perf_counter() - t) * 1000

    t_start = time.perf_counter()
    rec = rr.RecordingStream("facescope_seed_bench")
    rec.save(str(out_rrd))
    context, class_ids = _annotation_context(rr, vision)
    rec.log(
        "video/detector",
        rr.ClassDescription(info=rr.AnnotationInfo(id=0), keypoint_connections=DETECTOR_KEYPOINT_CONNECTIONS),
        static=True,
    )
    rec.log("video/landmarker", context, static=True)
    rec.log("reconstruction", context, static=True)
    rec.log("reconstruction", rr.ViewCoordinates.RDF, static=True)
    if video == "asset":
        asset = rr.AssetVideo(path=str(clip))
        rec.log("video", asset, static=True)
        frame_ts_ns = asset.read_frame_timestamps_nanos()

    cap = cv2.VideoCapture(str(clip))
    prev_faces = prev_dets = 0
    idx = 0
    while True:
        t0 = time.perf_counter()
        ok, bgr = cap.read()
        if not ok:
            break
        time_ms = int(round(cap.get(cv2.CAP_PROP_POS_MSEC)))
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        t1 = time.perf_counter()
        dets = detector.detect_for_video(image, time_ms).detections
        t2 = time.perf_counter()
        lm = landmarker.detect_for_video(image, time_ms)
        t3 = time.perf_counter()

        h, w = rgb.shape[:2]
        rec.set_time("time", duration=time_ms / 1000)
        rec.set_time("frame_idx", sequence=idx)
        if video == "asset":
            rec.log("video", rr.VideoFrameReference(nanoseconds=int(frame_ts_ns[min(idx, len(frame_ts_ns) - 1)])))
        else:
            rec.log("video/image", rr.Image(rgb))
        for i, d in enumerate(dets):
            b = d.bounding_box
            rec.log(
                f"video/detector/faces/{i}/bbox",
                rr.Boxes2D(array=[b.origin_x, b.origin_y, b.width, b.height], array_format=rr.Box2DFormat.XYWH),
                rr.AnyValues(index=d.categories[0].index or 0, score=d.categories[0].score),
            )
            pts = [(k.x * w, k.y * h) for k in d.keypoints]
            rec.log(f"video/detector/faces/{i}/keypoints", rr.Points2D(pts, radii=3, keypoint_ids=list(range(6))))
        for i in range(len(dets), prev_dets):  # no ghost boxes when a face leaves
            rec.log(f"video/detector/faces/{i}", rr.Clear(recursive=True))
        for i, landmarks in enumerate(lm.face_landmarks):
            xyz = np.array([(p.x, p.y, p.z) for p in landmarks], dtype=np.float32)
            rec.log(
                f"video/landmarker/faces/{i}/landmarks",
                rr.Points2D(xyz[:, :2] * (w, h), radii=1, keypoint_ids=list(range(len(xyz))), class_ids=class_ids),
            )
            rec.log(
                f"reconstruction/faces/{i}", rr.Points3D(xyz, keypoint_ids=list(range(len(xyz))), class_ids=class_ids)
            )
        for i, blendshapes in enumerate(lm.face_blendshapes):
            for b in blendshapes:  # one entity per category, as the seed logs them
                rec.log(f"blendshapes/{i}/{b.category_name}", rr.Scalars(b.score))
        for i in range(len(lm.face_landmarks), prev_faces):
            rec.log(f"video/landmarker/faces/{i}", rr.Clear(recursive=True))
            rec.log(f"reconstruction/faces/{i}", rr.Clear(recursive=True))
            rec.log(f"blendshapes/{i}", rr.Clear(recursive=True))
        prev_faces, prev_dets = len(lm.face_landmarks), len(dets)
        t4 = time.perf_counter()
        for name, (a, b) in zip(STAGES, [(t0, t1), (t1, t2), (t2, t3), (t3, t4)], strict=True):
            run.stage_ms[name].append((b - a) * 1000)
        idx += 1
    cap.release()
    t_flush = time.perf_counter()
    rec.flush()  # blocks until every logged message is written
    rec.disconnect()
    run.flush_ms = (time.perf_counter() - t_flush) * 1000
    run.total_ms = (time.perf_counter() - t_start) * 1000
    run.frames = idx
    run.rrd_bytes = out_rrd.stat().st_size
    detector.close()
    landmarker.close()
    return run
