// The numbers a finished (or failed) analysis reports: frames, faces per frame, per-stage ms, fps.
import type { FrameResult } from "../results/types";
import type { SceneDensity } from "../scene/density";

export interface StageMs {
  decode: number;
  detector: number;
  landmarker: number;
  post: number;
  /** Results → Rerun entities and RRD bytes, per frame. */
  scene: number;
}

export interface AnalysisSummary {
  fileName: string;
  frames: number;
  /** Frames the clip has (after maxFrame); `frames` < this when cancelled or failed midway. */
  totalFrames: number;
  facesPerFrame: number[];
  framesWithFaces: number;
  maxFaces: number;
  /** Distinct tracked face ids. */
  faceIds: number[];
  /** Median ms per frame of each stage. */
  stageMs: StageMs;
  elapsedMs: number;
  fps: number;
  width: number;
  height: number;
  codec: string;
  kind: "mp4" | "webm" | "image" | "camera";
  recordingId: string;
  cancelled: boolean;
  /** MediaPipe telemetry (or anything else) the network guard refused. */
  blockedRequests: string[];
  /** Which frames the scene shows (every n-th for long clips; the results have every frame). */
  density?: SceneDensity;
  /** What the widget says about a thinned scene (scene/density.ts), if it was thinned. */
  viewerNote?: string;
  /** Camera recordings: frames the camera delivered, analysed (= frames) and kept in the video. */
  capturedFrames?: number;
  analysedFrames?: number;
  recordedFrames?: number;
  /** The camera's frame rate and the length of the recording (camera time). */
  captureFps?: number;
  recordedSeconds?: number;
  /** The camera's name, as the browser gives it. */
  device?: string;
  /** The MediaPipe delegate the analysis ran on, and why (`auto` decides: inference/delegate.ts). */
  delegate?: "CPU" | "GPU";
  delegateReason?: string;
  /** Why the video was not kept (the results are), or null. */
  videoError?: string | null;
}

export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Accumulates per-frame facts as results arrive. */
export class SummaryBuilder {
  readonly facesPerFrame: number[] = [];
  private readonly ids = new Set<number>();
  private readonly stages = { decode: [] as number[], detector: [] as number[], landmarker: [] as number[], post: [] as number[] };
  readonly sceneMs: number[] = [];

  add(r: FrameResult): void {
    this.facesPerFrame[r.index] = r.faces.count;
    r.faces.ids.forEach((id) => this.ids.add(id));
    this.stages.decode.push(r.timings.decodeMs);
    this.stages.detector.push(r.timings.detectorMs);
    this.stages.landmarker.push(r.timings.landmarkerMs);
    this.stages.post.push(r.timings.postMs);
  }

  build(rest: Omit<AnalysisSummary, "frames" | "facesPerFrame" | "framesWithFaces" | "maxFaces" | "faceIds" | "stageMs">): AnalysisSummary {
    const faces = Array.from(this.facesPerFrame, (n) => n ?? 0);
    return {
      ...rest,
      frames: faces.length,
      facesPerFrame: faces,
      framesWithFaces: faces.filter((n) => n > 0).length,
      maxFaces: faces.reduce((a, n) => Math.max(a, n), 0),
      faceIds: [...this.ids].sort((a, b) => a - b),
      stageMs: {
        decode: median(this.stages.decode), detector: median(this.stages.detector),
        landmarker: median(this.stages.landmarker), post: median(this.stages.post), scene: median(this.sceneMs),
      },
    };
  }
}
