// Messages between the page (FaceAnalyzer) and its analysis workers. A worker runs one or both
// stages; the page sends each frame to every worker and merges their partial results in order.
import type { Detections, Faces } from "../results/types";
import type { AnalysisOptions, RunningMode } from "./options";

/** The two MediaPipe tasks. Each is independent per frame, so they can run in separate workers. */
export type Stage = "detector" | "landmarker";

/**
 * Internal knobs, not user options: benchmarks switch them to compare against the plain path.
 * `detectorLongSide`: long side of the FaceDetector's downsampled copy (detectorInput.ts), made
 * for frames more than twice as long; 0: never. `rgbaCopies`: hand MediaPipe RGBA ImageData copied
 * out of the frame instead of the VideoFrame (cheaper to upload in software GL); false: the
 * VideoFrame itself, as before.
 */
export interface Tuning {
  detectorLongSide: number;
  rgbaCopies: boolean;
  /** Landmarker workers taking frames in turn (merge.ts planWorkers); 1: one sees every frame. */
  landmarkers?: number;
}

/** MediaPipe's wasm loader script and binary: the page resolves them (blob: URLs on some hosts). */
export interface VisionWasm {
  loader: string;
  binary: string;
}

export type ToWorker =
  | { type: "init"; model: ArrayBuffer; wasm: VisionWasm; options: AnalysisOptions; mode: RunningMode; stages: Stage[]; tuning?: Partial<Tuning> }
  /** The frame is transferred; the worker closes it right after inference. */
  | { type: "frame"; frame: VideoFrame; index: number; timestampUs: number }
  /** Rebuilds the tasks' graphs for a new clip (fresh tracking state), keeping the loaded model. */
  | { type: "reset" }
  | { type: "close" };

/** What one worker found on one frame: only the fields of the stages it runs are set. */
export interface PartialResult {
  index: number;
  width: number;
  height: number;
  detections?: Detections;
  /** Landmarked faces; ids are -1 until the page's tracker assigns them. */
  faces?: Faces;
  detectorMs?: number;
  landmarkerMs?: number;
  /** Tracking, head pose and packing. */
  postMs: number;
}

export type FromWorker =
  | { type: "ready"; initMs: number }
  | { type: "result"; result: PartialResult }
  | { type: "error"; name: string; message: string }
  | { type: "closed"; blockedRequests: string[] };
