// Which live camera frames get analysed. The camera does not wait for MediaPipe: a frame that
// arrives while the analysis is still busy with `maxInFlight` earlier frames is recorded but not
// analysed, so inference never queues up behind the camera (latency and memory stay flat) and the
// page keeps its preview. Frames the video encoder cannot take either are dropped altogether, so
// every analysed frame is also in the recorded video.

export interface GateCounts {
  /** Frames the camera delivered. */
  captured: number;
  /** Frames sent to the analysis (analysed once their results are in). */
  admitted: number;
  /** Frames whose results are in. */
  analysed: number;
  /** Frames in the recorded video. */
  encoded: number;
}

export type GateDecision = "analyse" | "record" | "drop";

export class FrameGate {
  readonly counts: GateCounts = { captured: 0, admitted: 0, analysed: 0, encoded: 0 };

  constructor(private readonly maxInFlight = 2, private readonly maxEncodeQueue = 8) {
    if (!(maxInFlight >= 1)) throw new RangeError(`maxInFlight must be at least 1, got ${maxInFlight}`);
  }

  get inFlight(): number {
    return this.counts.admitted - this.counts.analysed;
  }

  /**
   * Decides for the frame that just arrived: "analyse" (record it and analyse it), "record" (record
   * only: the analysis is busy) or "drop" (the encoder is behind; neither). `encodeQueue` is the
   * encoder's queue length, or null when nothing is recorded.
   */
  offer(encodeQueue: number | null): GateDecision {
    this.counts.captured++;
    const recording = encodeQueue !== null;
    if (recording && encodeQueue > this.maxEncodeQueue) return "drop";
    if (recording) this.counts.encoded++;
    if (this.inFlight < this.maxInFlight) {
      this.counts.admitted++;
      return "analyse";
    }
    return recording ? "record" : "drop";
  }

  /** An admitted frame's analysis finished (or failed). */
  settled(): void {
    if (this.inFlight <= 0) throw new Error("settled() without a frame in flight");
    this.counts.analysed++;
  }
}
