"""Analysis results in the shapes people use: pandas DataFrames, numpy arrays and files.

``Results`` is what both the widget and ``facescope.analyze`` hand back, built from the codec's
columns (``facescope._codec.ResultBatch``), so a notebook and a batch job give the same numbers.

>>> import facescope
>>> res = facescope.analyze("interview.mp4", num_faces=2)       # doctest: +SKIP
>>> res                                                          # doctest: +SKIP
<Results: 750 frames, 0.00–29.96 s, 2 faces (ids 0, 1), recording 41.3 MB>
>>> res.blendshapes["jawOpen"].unstack("face_id").plot()         # doctest: +SKIP
>>> res.save("out/")                                             # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _export
from ._calibration import Span, baseline_masks
from ._codec import BLENDSHAPE_NAMES, DETECTOR_KEYPOINT_NAMES, NUM_BLENDSHAPES, NUM_LANDMARKS, ResultBatch
from ._summary import Summary

if TYPE_CHECKING:  # pandas costs ~0.6 s to import: only the methods that build DataFrames import it
    import pandas as pd

# What `save` (and so `python -m facescope analyze --out DIR`) writes; the README's "Files" table.
OUTPUT_FILES = _export.files("save")
Baseline = Span | Mapping[int, Span] | None


class Results(_export.FileMethods):
    """The analysis of one clip: per-frame faces, blendshapes, head pose, detections, the recording.

    ``Results(batch, summary=None, recording=b"")``: ``batch`` holds the codec's columns (frames in
    order), ``summary`` the front end's summary (a ``Summary``: snake_case keys), ``recording`` the
    ``.rrd`` bytes. Tables are indexed by ``frame_idx`` (0-based, presentation order) and ``face_id`` (a stable id
    from overlap tracking, never recognition); ``time`` is the frame's presentation time in seconds.
    Properties are computed once and cached: they return the same object each time, so copy one
    before changing it in place (the other tables are built from the columns, not from it).

    >>> res = Results(batch, summary, recording)                     # doctest: +SKIP
    >>> res.frames, res.face_ids                                     # doctest: +SKIP
    (75, [0])
    """

    def __init__(self, batch: ResultBatch, summary: dict[str, Any] | None = None, recording: bytes = b"") -> None:
        self.batch = batch
        self.summary: Summary = Summary.of(summary)
        self.recording = bytes(recording)
        self._cache: dict[str, Any] = {}

    # -- sizes -------------------------------------------------------------------------------

    @property
    def frames(self) -> int:
        """Number of analysed frames (with or without a face)."""
        return self.batch.frames

    @property
    def face_ids(self) -> list[int]:
        """Ids of the faces found anywhere in the clip, ascending.

        >>> res.face_ids                                             # doctest: +SKIP
        [0, 1, 4]
        """
        return [int(i) for i in self._face_id_levels]

    def __repr__(self) -> str:
        parts = [f"{self.frames} frame{'' if self.frames == 1 else 's'}"]
        if self.frames:
            parts.append(f"{self._time[0]:.2f}–{self._time[-1]:.2f} s")
        ids = self.face_ids
        if ids:
            shown = ", ".join(map(str, ids[:6])) + (", …" if len(ids) > 6 else "")
            many = len(ids) > 1
            parts.append(f"{len(ids)} face{'s' if many else ''} (id{'s' if many else ''} {shown})")
        else:
            parts.append("no face")
        if self.recording:
            parts.append(f"recording {len(self.recording) / 1e6:.1f} MB")
        return f"<Results: {', '.join(parts)}>"

    # -- numpy -------------------------------------------------------------------------------

    @property
    def landmarks(self) -> np.ndarray:
        """float32 array frames × len(face_ids) × 478 × 3 of MediaPipe's normalised landmarks.

        x and y are divided by the image width and height, z is roughly in x's scale (smaller is
        nearer the camera). Axis 1 follows ``face_ids``: a face keeps its slot in every frame, and
        the slot is NaN in frames where that face is absent.

        >>> res.landmarks.shape                                      # doctest: +SKIP
        (75, 2, 478, 3)
        >>> nose_tip = res.landmarks[:, res.face_ids.index(0), 1]    # doctest: +SKIP
        """

        def build() -> np.ndarray:
            out = np.full((self.frames, len(self._face_id_levels), NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
            out[self._face_frame, self._face_slot] = self._face_col("landmarks")
            return out

        return self._memo("landmarks", build)

    @property
    def transforms(self) -> np.ndarray:
        """float32 array frames × len(face_ids) × 4 × 4: MediaPipe's facial transformation matrix
        (canonical face model → camera space, in cm, OpenGL axes: x right, y up, z towards the
        camera), row-major, NaN where a face is absent. ``head_pose`` is derived from it.

        >>> t = res.transforms[:, res.face_ids.index(0)]             # doctest: +SKIP
        >>> distance_cm = -t[:, 2, 3]                                # doctest: +SKIP
        """

        def build() -> np.ndarray:
            out = np.full((self.frames, len(self._face_id_levels), 4, 4), np.nan, dtype=np.float32)
            # The codec holds MediaPipe's column-major 16 values: reshaped row-major they are the transpose.
            out[self._face_frame, self._face_slot] = self._face_col("matrices").reshape(-1, 4, 4).transpose(0, 2, 1)
            return out

        return self._memo("transforms", build)

    # -- DataFrames --------------------------------------------------------------------------

    @property
    def frame_info(self) -> pd.DataFrame:
        """One row per analysed frame, indexed by ``frame_idx``: ``time`` (s), ``timestamp_us`` (the
        presentation time as decoded), ``width``, ``height`` (of the analysed image, px),
        ``face_count``, ``detection_count``, and the frame's ``decode_ms``, ``detector_ms``,
        ``landmarker_ms``, ``post_ms``.

        >>> res.frame_info[res.frame_info.face_count == 0].time      # frames without a face  # doctest: +SKIP
        """

        def build() -> pd.DataFrame:
            import pandas as pd

            c = self.batch.columns
            timings = c["timings_ms"].astype(np.float32)
            return pd.DataFrame(
                {
                    "time": self._time,
                    "timestamp_us": c["timestamp_us"].astype(np.float64),
                    "width": c["image_size"][:, 0].astype(np.int32),
                    "height": c["image_size"][:, 1].astype(np.int32),
                    "face_count": c["face_count"].astype(np.int32),
                    "detection_count": c["detection_count"].astype(np.int32),
                    **{
                        name: timings[:, k]
                        for k, name in enumerate(("decode_ms", "detector_ms", "landmarker_ms", "post_ms"))
                    },
                },
                index=pd.Index(self._frame_idx, name="frame_idx"),
            )

        return self._memo("frame_info", build)

    @property
    def blendshapes(self) -> pd.DataFrame:
        """One row per (frame_idx, face_id): ``time`` (s, float64), then the 52 scores (float32, in
        [0, 1]) in MediaPipe's order, ``_neutral`` first (``BLENDSHAPE_NAMES``). Float32 keeps a long
        clip small; ``.astype("float64")`` if you need more.

        >>> res.blendshapes.shape                                    # doctest: +SKIP
        (75, 53)
        >>> res.blendshapes.xs(0, level="face_id")["eyeBlinkLeft"]   # one face's series  # doctest: +SKIP
        >>> res.blendshapes.groupby(level="face_id").mean()          # doctest: +SKIP
        """
        return self._memo("blendshapes", lambda: self._blendshape_table(self._face_col("blendshapes")))

    def blendshapes_long(self) -> pd.DataFrame:
        """The blendshapes in tidy (long) form, one row per frame, face and category: columns
        ``frame_idx``, ``time``, ``face_id``, ``category`` (a Categorical whose categories are in
        MediaPipe's order) and ``score`` (float32). Rows go frame by frame, face by face, category
        by category, so the scores read in the same order as ``blendshapes``' 52 columns.

        >>> import seaborn as sns                                    # doctest: +SKIP
        >>> long = res.blendshapes_long()                            # doctest: +SKIP
        >>> sns.lineplot(long[long.category.isin(["jawOpen", "mouthSmileLeft"])],
        ...              x="time", y="score", hue="category")        # doctest: +SKIP
        """
        import pandas as pd

        n = len(self._face_frame)
        return pd.DataFrame(
            {
                "frame_idx": np.repeat(self._frame_idx[self._face_frame], NUM_BLENDSHAPES),
                "time": np.repeat(self._time[self._face_frame], NUM_BLENDSHAPES),
                "face_id": np.repeat(self._face_col("face_id").astype(np.int64), NUM_BLENDSHAPES),
                "category": pd.Categorical.from_codes(
                    np.tile(np.arange(NUM_BLENDSHAPES, dtype=np.int8), n), categories=list(BLENDSHAPE_NAMES)
                ),
                "score": self._face_col("blendshapes").reshape(-1),
            }
        )

    def blendshapes_calibrated(self, baseline: Baseline = None, *, clip: bool = False) -> pd.DataFrame:
        """``blendshapes`` minus each face's neutral baseline: per face, the mean score of each
        category over a neutral span is subtracted from all of that face's rows (``time`` is kept).

        ``baseline``: ``None`` (each face's first 1.0 s of appearance), ``(start_s, end_s)`` in
        seconds, a ``slice`` of frame indices, or a dict ``{face_id: span}`` of either kind (faces
        not in it use the default). Spans are half-open: start included, end excluded. A face with no
        frame in its span raises ``ValueError`` naming the face.
        Scores then measure the change from neutral, in [-1, 1]; ``clip=True`` clips to [0, 1]
        (only increases over neutral remain, on the raw scores' scale).

        >>> res.blendshapes_calibrated()                             # first second of each face  # doctest: +SKIP
        >>> res.blendshapes_calibrated((2.0, 4.5))                   # the same span for all faces  # doctest: +SKIP
        >>> res.blendshapes_calibrated({0: slice(0, 50), 1: (10.0, 12.0)}, clip=True)  # doctest: +SKIP
        """
        scores = self._face_col("blendshapes")
        masks = baseline_masks(
            baseline,
            self._face_col("face_id"),
            self._time[self._face_frame],
            self._frame_idx[self._face_frame],
            self.face_ids,
        )
        for rows, in_span in masks:
            # float64 sums: the mean of a constant is exactly that constant, so it subtracts to 0.
            scores[rows] -= scores[in_span].mean(axis=0, dtype=np.float64).astype(np.float32)
        if clip:
            np.clip(scores, 0, 1, out=scores)
        return self._blendshape_table(scores)

    def landmarks_frame(self, pixels: bool = False) -> pd.DataFrame:
        """Deprecated: ``landmarks_long`` (the name that matches ``blendshapes_long``)."""
        warnings.warn("landmarks_frame() is deprecated; use landmarks_long()", DeprecationWarning, stacklevel=2)
        return self.landmarks_long(pixels)

    def landmarks_long(self, pixels: bool = False) -> pd.DataFrame:
        """The landmarks in long form: index (frame_idx, face_id, landmark 0–477), columns x, y, z
        (float32), only for faces present in a frame. Normalised as in ``landmarks``; with
        ``pixels=True`` x and z are multiplied by that frame's image width and y by its height
        (MediaPipe's z is in x's scale), in pixels of the analysed image (after ``max_dim``).

        >>> res.landmarks_long(pixels=True).loc[(10, 0, 1)]         # nose tip, frame 10, face 0  # doctest: +SKIP
        """
        import pandas as pd

        points = self._face_col("landmarks")
        if pixels:
            w, h = self.batch.columns["image_size"].astype(np.float32)[self._face_frame].T
            points *= np.stack([w, h, w], axis=1)[:, None, :]  # in place: points is a fresh copy
        index = self._index(
            ("frame_idx", self._frame_codes[self._face_frame], self._frame_levels),
            ("face_id", self._face_slot, self._face_id_levels),
            ("landmark", None, np.arange(NUM_LANDMARKS)),
            repeat=NUM_LANDMARKS,
        )
        return pd.DataFrame(points.reshape(-1, 3), index=index, columns=["x", "y", "z"])

    @property
    def head_pose(self) -> pd.DataFrame:
        """One row per (frame_idx, face_id): ``time`` (s), ``yaw``, ``pitch``, ``roll`` in degrees
        (float32), from MediaPipe's facial transformation matrix (conventions in
        src/inference/headPose.ts).

        >>> res.head_pose.xs(0, level="face_id").plot(x="time", y=["yaw", "pitch", "roll"])  # doctest: +SKIP
        """

        def build() -> pd.DataFrame:
            import pandas as pd

            table = pd.DataFrame(
                self._face_col("head_pose_deg"), index=self._face_index(), columns=["yaw", "pitch", "roll"]
            )
            table.insert(0, "time", self._time[self._face_frame])
            return table

        return self._memo("head_pose", build)

    @property
    def detections(self) -> pd.DataFrame:
        """The face detector's boxes, one row per (frame_idx, detection), detection numbering the
        boxes within a frame from 0: ``time`` (s), ``face_id`` (of the landmarked face it overlaps
        most, -1 if none), ``x``, ``y``, ``width``, ``height`` in pixels of the analysed image,
        ``score``, then the 6 keypoints normalised to [0, 1] as ``right_eye_x``, ``right_eye_y``,
        ``left_eye_x`` … ``left_ear_y`` (``DETECTOR_KEYPOINT_NAMES``, the subject's left/right).

        >>> d = res.detections                                       # doctest: +SKIP
        >>> d[d.face_id == -1]                                       # boxes with no landmarked face  # doctest: +SKIP
        """

        def build() -> pd.DataFrame:
            import pandas as pd

            c = self.batch.columns
            counts = c["detection_count"]
            det_frame = np.repeat(np.arange(self.frames), counts)
            within = np.arange(len(det_frame)) - np.repeat(np.cumsum(counts) - counts, counts)
            box = c["detection_box_px"]
            columns: dict[str, np.ndarray] = {
                "time": self._time[det_frame],
                "face_id": c["detection_face_id"].astype(np.int64),
                "x": box[:, 0],
                "y": box[:, 1],
                "width": box[:, 2],
                "height": box[:, 3],
                "score": c["detection_score"],
            }
            for k, name in enumerate(DETECTOR_KEYPOINT_NAMES):
                columns[f"{name}_x"] = c["detection_keypoints"][:, k, 0]
                columns[f"{name}_y"] = c["detection_keypoints"][:, k, 1]
            index = self._index(
                ("frame_idx", self._frame_codes[det_frame], self._frame_levels),
                ("detection", within, np.arange(int(counts.max(initial=0)))),
            )
            return pd.DataFrame({k: v.copy() for k, v in columns.items()}, index=index)

        return self._memo("detections", build)

    # -- row bookkeeping ---------------------------------------------------------------------

    def _memo(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def _time(self) -> np.ndarray:
        """Presentation time of each frame, seconds."""
        return self._memo("_time", lambda: self.batch.columns["timestamp_us"] / 1e6)

    @property
    def _frame_idx(self) -> np.ndarray:
        return self._memo("_frame_idx", lambda: self.batch.columns["frame_idx"].astype(np.int64))

    @property
    def _frame_levels(self) -> np.ndarray:
        """The distinct frame indices, ascending (``concat_batches`` makes them distinct and sorted;
        a hand-built batch may not)."""
        return self._memo("_frame_levels", lambda: np.unique(self._frame_idx))

    @property
    def _frame_codes(self) -> np.ndarray:
        """Each frame's position in ``_frame_levels``."""
        return self._memo("_frame_codes", lambda: np.searchsorted(self._frame_levels, self._frame_idx))

    @property
    def _face_order(self) -> np.ndarray:
        """Face rows sorted by frame, then face id: the landmarker's order within a frame is not stable."""

        def build() -> np.ndarray:
            frame = np.repeat(np.arange(self.frames), self.batch.columns["face_count"])
            return np.lexsort((self.batch.columns["face_id"], frame))

        return self._memo("_face_order", build)

    def _face_col(self, name: str) -> np.ndarray:
        """A face column in ``_face_order`` (a new array: fancy indexing copies)."""
        return self.batch.columns[name][self._face_order]

    @property
    def _face_frame(self) -> np.ndarray:
        """The frame position of each face row (in ``_face_order``)."""
        return self._memo("_face_frame", lambda: np.repeat(np.arange(self.frames), self.batch.columns["face_count"]))

    @property
    def _face_id_levels(self) -> np.ndarray:
        return self._memo("_face_ids", lambda: np.unique(self.batch.columns["face_id"]).astype(np.int64))

    @property
    def _face_slot(self) -> np.ndarray:
        """Each face row's position in ``face_ids``."""
        return self._memo("_face_slot", lambda: np.searchsorted(self._face_id_levels, self._face_col("face_id")))

    def _index(self, *levels: tuple[str, np.ndarray | None, np.ndarray], repeat: int = 1) -> pd.MultiIndex:
        """A MultiIndex from (name, codes, values) per level. Built from codes, not values: pandas
        would otherwise re-factorise millions of landmark rows. ``repeat`` > 1 repeats each row of
        the earlier levels for every value of a last level whose codes are None."""
        import pandas as pd

        codes = [
            np.repeat(c, repeat) if c is not None else np.tile(np.arange(len(v)), len(levels[0][1]))
            for _, c, v in levels
        ]
        index = pd.MultiIndex(
            levels=[pd.Index(v, dtype=np.int64) for _, _, v in levels],
            codes=codes,
            names=[n for n, _, _ in levels],
            verify_integrity=False,
        )
        return index.remove_unused_levels()

    def _face_index(self) -> pd.MultiIndex:
        return self._index(
            ("frame_idx", self._frame_codes[self._face_frame], self._frame_levels),
            ("face_id", self._face_slot, self._face_id_levels),
        )

    def _blendshape_table(self, scores: np.ndarray) -> pd.DataFrame:
        import pandas as pd

        table = pd.DataFrame(scores, index=self._face_index(), columns=list(BLENDSHAPE_NAMES))
        table.insert(0, "time", self._time[self._face_frame])
        return table
