// Per-frame analysis results as flat typed arrays: the single source of truth that the Rerun scene
// and the kernel sync both read. Columnar so a frame crosses the worker boundary (and later the
// widget channel) as a handful of transferable buffers instead of thousands of small objects.

export const NUM_LANDMARKS = 478;
export const NUM_BLENDSHAPES = 52;
export const NUM_KEYPOINTS = 6;

/**
 * FaceDetector (BlazeFace short range) output for one frame, `count` rows.
 * Keypoint order by index: right eye, left eye, nose tip, mouth centre, right ear tragion, left ear
 * tragion (the subject's left/right).
 */
export interface Detections {
  count: number;
  /** count × 4: x, y, width, height in pixels of the analysed image (as MediaPipe reports them). */
  boxesPx: Float32Array;
  /** count: detection score in [0, 1]. */
  scores: Float32Array;
  /** count × 6 × 2: x, y normalised to [0, 1] by the analysed image's width and height. */
  keypointsNorm: Float32Array;
  /** count: id of the landmarked face this detection overlaps most, or -1. */
  faceIds: Int32Array;
}

/** FaceLandmarker output for one frame, `count` rows, in the landmarker's face order. */
export interface Faces {
  count: number;
  /** count: stable id from overlap tracking (never recognition); ids are not reused within a clip. */
  ids: Int32Array;
  /** count × 478 × 3: x, y normalised by image width/height; z roughly in x's scale, smaller = nearer. */
  landmarksNorm: Float32Array;
  /** count × 52 scores in BLENDSHAPE_NAMES order (index 0 is `_neutral`). */
  blendshapes: Float32Array;
  /** count × 16: facial transformation matrix (canonical face → metric camera space), column-major. */
  matrices: Float32Array;
  /** count × 3: yaw, pitch, roll in degrees (see inference/headPose.ts for the conventions). */
  headPoseDeg: Float32Array;
  /** count × 4: x, y, width, height normalised, the extent of the 478 landmarks (used for tracking). */
  boxesNorm: Float32Array;
}

/** Milliseconds spent per stage on this frame. */
export interface StageTimings {
  /** Waiting for the frame source (demux, decode, rotate/scale). */
  decodeMs: number;
  detectorMs: number;
  landmarkerMs: number;
  /** Id tracking, head pose and packing. */
  postMs: number;
}

export interface FrameResult {
  /** 0-based frame index in presentation order. */
  index: number;
  /** Presentation time of the frame in microseconds from the start of the clip. */
  timestampUs: number;
  /** Size in pixels of the image that was analysed (after rotation and `maxDim`). */
  width: number;
  height: number;
  detections: Detections;
  faces: Faces;
  timings: StageTimings;
}

/** Every buffer of a result, for postMessage transfer lists. */
export function resultBuffers(r: FrameResult): ArrayBuffer[] {
  const d = r.detections;
  const f = r.faces;
  return [d.boxesPx, d.scores, d.keypointsNorm, d.faceIds, f.ids, f.landmarksNorm, f.blendshapes,
    f.matrices, f.headPoseDeg, f.boxesNorm].map((a) => a.buffer as ArrayBuffer);
}
