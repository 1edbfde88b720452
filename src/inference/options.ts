// Analysis options: one validated object shared by the page side and the worker. Names mirror the
// Python widget's traits (num_faces ↔ numFaces …) so both sides describe the same knobs.

export type Delegate = "CPU" | "GPU";
export type RunningMode = "VIDEO" | "IMAGE";

export interface AnalysisOptions {
  /** Maximum faces the landmarker (and detector) report per frame. */
  numFaces: number;
  /** BlazeFace score threshold, for the FaceDetector and the landmarker's internal detector. */
  minDetectionConfidence: number;
  /** Landmark model's face-presence threshold. */
  minPresenceConfidence: number;
  /** VIDEO mode: minimum association score to keep following a face instead of re-detecting. */
  minTrackingConfidence: number;
  /** CPU by default: in headless/GPU-less Chromium the GPU delegate is software WebGL, ~10× slower. */
  delegate: Delegate;
  /** Also run the standalone FaceDetector (boxes, scores, 6 keypoints). */
  detector: boolean;
}

export const DEFAULT_OPTIONS: AnalysisOptions = {
  numFaces: 1,
  minDetectionConfidence: 0.5,
  minPresenceConfidence: 0.5,
  minTrackingConfidence: 0.5,
  delegate: "CPU",
  detector: true,
};

export const MAX_FACES = 20;

export class OptionsError extends Error {
  override name = "OptionsError";
}

function probability(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new OptionsError(`${name} must be a number between 0 and 1, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Fills defaults and rejects anything MediaPipe would misbehave on, with a message naming the option. */
export function resolveOptions(partial: Partial<AnalysisOptions> = {}): AnalysisOptions {
  const known = new Set(Object.keys(DEFAULT_OPTIONS));
  for (const k of Object.keys(partial)) {
    if (!known.has(k)) throw new OptionsError(`unknown option "${k}"`);
  }
  const o = { ...DEFAULT_OPTIONS, ...partial };
  if (!Number.isInteger(o.numFaces) || o.numFaces < 1 || o.numFaces > MAX_FACES) {
    throw new OptionsError(`numFaces must be an integer from 1 to ${MAX_FACES}, got ${JSON.stringify(o.numFaces)}`);
  }
  if (o.delegate !== "CPU" && o.delegate !== "GPU") {
    throw new OptionsError(`delegate must be "CPU" or "GPU", got ${JSON.stringify(o.delegate)}`);
  }
  if (typeof o.detector !== "boolean") throw new OptionsError(`detector must be true or false`);
  return {
    numFaces: o.numFaces,
    minDetectionConfidence: probability("minDetectionConfidence", o.minDetectionConfidence),
    minPresenceConfidence: probability("minPresenceConfidence", o.minPresenceConfidence),
    minTrackingConfidence: probability("minTrackingConfidence", o.minTrackingConfidence),
    delegate: o.delegate,
    detector: o.detector,
  };
}

/**
 * VIDEO-mode timestamp in ms for MediaPipe, strictly greater than `previousMs`. MediaPipe keeps
 * microsecond packet timestamps, so a 1 µs nudge is the smallest step it still sees as increasing.
 */
export function nextTimestampMs(timestampUs: number, previousMs: number | undefined): number {
  const ms = timestampUs / 1000;
  if (previousMs === undefined || ms > previousMs + 0.0005) return ms;
  return previousMs + 0.001;
}
