// How the stages are spread over workers, and how their partial results become one FrameResult.
// Pure functions, so the split and the merge are unit-tested without workers or MediaPipe.
import type { Detections, FrameResult } from "../results/types";
import { emptyDetections } from "./pack";
import type { PartialResult, Stage } from "./protocol";
import { linkDetectionsToFaces } from "./tracker";

/**
 * One array of stages per worker. With two or more cores the detector gets a worker of its own so
 * it runs while the landmarkers work, and two landmarker workers take the frames in turn (even,
 * odd), each a VIDEO stream of its own: tasks-vision's wasm is single-threaded, and one landmarker
 * (~23 ms a frame at 640×360) left most of the second core idle — 35 → 48 fps end to end
 * (scripts/bench_analysis.py, variant one-landmarker). On one core extra workers would only add
 * copies and contention, so both stages share one worker.
 */
export const DEFAULT_LANDMARKERS = 2;

export function planWorkers(detector: boolean, cores: number, landmarkers = DEFAULT_LANDMARKERS): Stage[][] {
  if (cores < 2) return [detector ? ["detector", "landmarker"] : ["landmarker"]];
  const inTurn: Stage[][] = Array.from({ length: Math.max(1, landmarkers) }, () => ["landmarker"]);
  return detector ? [...inTurn, ["detector"]] : inTurn;
}

/** The buffers of a partial result, for the worker's postMessage transfer list. */
export function partialBuffers(p: PartialResult): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [];
  const d = p.detections, f = p.faces;
  if (d) arrays.push(d.boxesPx, d.scores, d.keypointsNorm, d.faceIds);
  if (f) arrays.push(f.ids, f.landmarksNorm, f.blendshapes, f.matrices, f.headPoseDeg, f.boxesNorm);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

export interface FrameMeta {
  index: number;
  timestampUs: number;
  decodeMs: number;
}

/**
 * Joins one frame's partial results (one per worker, any order) into the FrameResult. Detector
 * boxes are linked to landmark ids here, the first place where both are known.
 */
export function mergePartials(parts: readonly PartialResult[], meta: FrameMeta): FrameResult {
  const faces = parts.find((p) => p.faces)?.faces;
  if (!faces) throw new Error(`frame ${meta.index}: no worker returned landmarks`);
  for (const p of parts) {
    if (p.index !== meta.index) throw new Error(`results out of order: expected frame ${meta.index}, got ${p.index}`);
  }
  const { width, height } = parts[0];
  const detections: Detections = parts.find((p) => p.detections)?.detections ?? emptyDetections();
  detections.faceIds = linkDetectionsToFaces(detections.boxesPx, detections.count, faces.boxesNorm, faces.ids,
    faces.count, width, height);
  const sum = (k: "detectorMs" | "landmarkerMs" | "postMs") => parts.reduce((s, p) => s + (p[k] ?? 0), 0);
  return {
    index: meta.index, timestampUs: meta.timestampUs, width, height, detections, faces,
    timings: { decodeMs: meta.decodeMs, detectorMs: sum("detectorMs"), landmarkerMs: sum("landmarkerMs"), postMs: sum("postMs") },
  };
}
