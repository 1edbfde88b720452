// Synthetic FrameResults for unit tests of consumers of results (jest only).
import { type FrameResult, NUM_BLENDSHAPES, NUM_KEYPOINTS, NUM_LANDMARKS } from "../results/types";

/** A frame with the given face ids; every value is derived from the frame index and face id. */
export function syntheticFrame(index: number, faceIds: number[], size = { width: 640, height: 360 }): FrameResult {
  const n = faceIds.length;
  const landmarks = new Float32Array(n * NUM_LANDMARKS * 3);
  const blendshapes = new Float32Array(n * NUM_BLENDSHAPES);
  const pose = new Float32Array(n * 3);
  faceIds.forEach((id, i) => {
    for (let k = 0; k < NUM_LANDMARKS; k++) {
      landmarks.set([0.1 * (id + 1) + k / 10_000, 0.5 + index / 1000, -0.01 * k / NUM_LANDMARKS], (i * NUM_LANDMARKS + k) * 3);
    }
    for (let c = 0; c < NUM_BLENDSHAPES; c++) blendshapes[i * NUM_BLENDSHAPES + c] = ((index + c + id) % 10) / 10;
    pose.set([index, -index, id], i * 3);
  });
  return {
    index,
    timestampUs: index * 40_000,
    width: size.width,
    height: size.height,
    detections: {
      count: n,
      boxesPx: Float32Array.from(faceIds.flatMap((id) => [10 * id, 20, 100, 120])),
      scores: Float32Array.from(faceIds.map(() => 0.9)),
      keypointsNorm: new Float32Array(n * NUM_KEYPOINTS * 2).fill(0.25),
      faceIds: Int32Array.from(faceIds),
    },
    faces: {
      count: n,
      ids: Int32Array.from(faceIds),
      landmarksNorm: landmarks,
      blendshapes,
      matrices: new Float32Array(n * 16),
      headPoseDeg: pose,
      boxesNorm: new Float32Array(n * 4),
    },
    timings: { decodeMs: 1, detectorMs: 2, landmarkerMs: 3, postMs: 0.1 },
  };
}
