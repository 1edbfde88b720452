// MediaPipe's object-per-point results → the columnar FrameResult arrays. Input shapes are declared
// structurally (a subset of tasks-vision's types) so this stays a pure, testable module.
import { blendshapeIndex } from "../results/blendshapes";
import { type Detections, type Faces, NUM_BLENDSHAPES, NUM_KEYPOINTS, NUM_LANDMARKS } from "../results/types";
import { headPoseFromMatrix } from "./headPose";

export interface MpDetection {
  categories: { score: number }[];
  boundingBox?: { originX: number; originY: number; width: number; height: number };
  keypoints: { x: number; y: number }[];
}

export interface MpLandmarkerResult {
  faceLandmarks: { x: number; y: number; z: number }[][];
  faceBlendshapes?: { categories: { score: number; categoryName: string }[] }[];
  facialTransformationMatrixes?: { rows: number; columns: number; data: number[] }[];
}

export function emptyDetections(): Detections {
  return packDetections([]);
}

export function packDetections(dets: readonly MpDetection[]): Detections {
  const n = dets.length;
  const out: Detections = {
    count: n,
    boxesPx: new Float32Array(n * 4),
    scores: new Float32Array(n),
    keypointsNorm: new Float32Array(n * NUM_KEYPOINTS * 2).fill(NaN),
    faceIds: new Int32Array(n).fill(-1),
  };
  dets.forEach((d, i) => {
    const b = d.boundingBox;
    out.boxesPx.set(b ? [b.originX, b.originY, b.width, b.height] : [NaN, NaN, NaN, NaN], i * 4);
    out.scores[i] = d.categories[0]?.score ?? NaN;
    d.keypoints.slice(0, NUM_KEYPOINTS).forEach((k, j) => {
      out.keypointsNorm[(i * NUM_KEYPOINTS + j) * 2] = k.x;
      out.keypointsNorm[(i * NUM_KEYPOINTS + j) * 2 + 1] = k.y;
    });
  });
  return out;
}

/** Packs landmarker faces; `ids` are left at -1 for the tracker to fill. */
export function packFaces(res: MpLandmarkerResult): Faces {
  const n = res.faceLandmarks.length;
  const out: Faces = {
    count: n,
    ids: new Int32Array(n).fill(-1),
    landmarksNorm: new Float32Array(n * NUM_LANDMARKS * 3).fill(NaN),
    blendshapes: new Float32Array(n * NUM_BLENDSHAPES).fill(NaN),
    matrices: new Float32Array(n * 16).fill(NaN),
    headPoseDeg: new Float32Array(n * 3).fill(NaN),
    boxesNorm: new Float32Array(n * 4),
  };
  for (let i = 0; i < n; i++) {
    const lms = res.faceLandmarks[i].slice(0, NUM_LANDMARKS);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    lms.forEach((p, j) => {
      out.landmarksNorm.set([p.x, p.y, p.z], (i * NUM_LANDMARKS + j) * 3);
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
      x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
    });
    out.boxesNorm.set(lms.length ? [x0, y0, x1 - x0, y1 - y0] : [NaN, NaN, NaN, NaN], i * 4);

    // By name, not position: a reordered or partial category list must not shift columns.
    for (const c of res.faceBlendshapes?.[i]?.categories ?? []) {
      out.blendshapes[i * NUM_BLENDSHAPES + blendshapeIndex(c.categoryName)] = c.score;
    }

    const m = res.facialTransformationMatrixes?.[i];
    if (m && m.rows === 4 && m.columns === 4 && m.data.length === 16) {
      out.matrices.set(m.data, i * 16);
      const pose = headPoseFromMatrix(m.data);
      out.headPoseDeg.set([pose.yaw, pose.pitch, pose.roll], i * 3);
    }
  }
  return out;
}
