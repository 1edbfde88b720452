// Drives frames from a VideoSource through a FaceAnalyzer, keeping a couple of frames in flight so
// decoding overlaps inference, and hands results on in frame order.
import type { FrameResult } from "../results/types";
import type { VideoSource } from "../video/source";
import type { FaceAnalyzer } from "./analyzer";

export interface Progress {
  done: number;
  total: number;
  /** Frames per second since the first result came out (before that: since the first frame went
   * in). The first frame carries MediaPipe's warm-up, seconds on a slow machine, which would make
   * the early rate and the time left absurd ("0.1 fps · 11 min left"). */
  fps: number;
  /** Estimated ms left at the current rate. */
  etaMs: number;
  /** How long `fps` has been measured for, ms (0 until the second result): progress.ts shows a
   * rate only once it is steady. */
  rateMs?: number;
}

export interface RunOptions {
  onResult?: (result: FrameResult) => void;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /** Frames sent to the worker ahead of the result being read; 2 keeps decode and inference overlapped. */
  maxInFlight?: number;
}

export interface RunSummary {
  frames: number;
  elapsedMs: number;
  fps: number;
  aborted: boolean;
}

export async function runAnalysis(source: VideoSource, analyzer: FaceAnalyzer, options: RunOptions = {}): Promise<RunSummary> {
  const maxInFlight = options.maxInFlight ?? 2;
  const inFlight: Promise<FrameResult>[] = [];
  const t0 = performance.now();
  let firstOut = 0;
  let done = 0;
  const settle = async () => {
    const result = await (inFlight.shift() as Promise<FrameResult>);
    done++;
    options.onResult?.(result);
    const now = performance.now();
    if (done === 1) firstOut = now;
    const rateMs = done > 1 ? now - firstOut : 0;
    const fps = done > 1 ? ((done - 1) * 1000) / Math.max(rateMs, 1) : 1000 / Math.max(now - t0, 1);
    options.onProgress?.({ done, total: source.frameCount, fps, etaMs: ((source.frameCount - done) * 1000) / fps, rateMs });
  };
  try {
    for await (const f of source.frames()) {
      if (options.signal?.aborted) { f.frame.close(); break; }
      inFlight.push(analyzer.analyze(f.frame, f));
      if (inFlight.length >= maxInFlight) await settle();
    }
    while (inFlight.length) await settle();
  } catch (e) {
    // The frames already being analysed are kept whatever stopped the source: a cancel while it
    // waited, or a file that ends early (truncated) whose last decodable frames are in flight.
    try {
      while (inFlight.length) await settle();
    } catch {
      // an analysis that failed adds nothing to keep; keep the rest from surfacing as unhandled
      for (const p of inFlight.splice(0)) p.catch(() => undefined);
    }
    if (!options.signal?.aborted) throw e;
  }
  const elapsedMs = performance.now() - t0;
  return { frames: done, elapsedMs, fps: (done * 1000) / Math.max(elapsedMs, 1), aborted: options.signal?.aborted === true };
}
