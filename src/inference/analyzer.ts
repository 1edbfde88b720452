// Page-side handle on one analysis worker. One analyzer per clip: tasks-vision has no reset(), and
// VIDEO mode keeps per-stream state (tracking, smoothing, the timestamp floor), so a second clip
// gets a fresh worker with fresh tasks.
import { createAnalysisWorker } from "../assets";
import { FrameResult } from "../results/types";
import { AnalysisOptions, resolveOptions, RunningMode } from "./options";
import { FromWorker, ToWorker } from "./protocol";

export class AnalysisError extends Error {
  override name = "AnalysisError";
}

interface Pending {
  resolve(r: FrameResult): void;
  reject(e: Error): void;
}

export class FaceAnalyzer {
  /** Every request the worker's network guard refused (MediaPipe's telemetry); filled on close(). */
  blockedRequests: string[] = [];
  private readonly pending: Pending[] = [];
  private failure?: Error;
  private closed?: Promise<void>;
  private onClosed?: () => void;

  private constructor(private readonly worker: Worker, readonly options: AnalysisOptions,
    readonly mode: RunningMode, readonly initMs: number) {
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
  }

  /**
   * Starts a worker and creates the tasks. `model` is the face_landmarker.task bundle (copied, so
   * the caller's buffer stays usable); the detector model is taken from inside it.
   */
  static async create(model: Uint8Array, options: Partial<AnalysisOptions> = {}, mode: RunningMode = "VIDEO"): Promise<FaceAnalyzer> {
    const resolved = resolveOptions(options);
    const worker = createAnalysisWorker();
    try {
      const initMs = await new Promise<number>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          if (e.data.type === "ready") resolve(e.data.initMs);
          else if (e.data.type === "error") reject(new AnalysisError(`MediaPipe could not start: ${e.data.message}`));
        };
        worker.onerror = (e) => reject(new AnalysisError(`the analysis worker failed to load: ${e.message || "unknown error"}`));
        const copy = model.slice().buffer;
        worker.postMessage({ type: "init", model: copy, options: resolved, mode } satisfies ToWorker, [copy]);
      });
      return new FaceAnalyzer(worker, resolved, mode, initMs);
    } catch (e) {
      worker.terminate();
      throw e;
    }
  }

  /** Analyses one frame; the frame is transferred to the worker (and closed there). Results come in order. */
  analyze(frame: VideoFrame, meta: { index: number; timestampUs: number; decodeMs?: number }): Promise<FrameResult> {
    if (this.failure || this.closed) {
      frame.close();
      return Promise.reject(this.failure ?? new AnalysisError("the analyzer is closed"));
    }
    return new Promise<FrameResult>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      const msg: ToWorker = { type: "frame", frame, index: meta.index, timestampUs: meta.timestampUs, decodeMs: meta.decodeMs ?? 0 };
      this.worker.postMessage(msg, [frame as unknown as Transferable]);
    });
  }

  /** Closes the tasks (their telemetry flush is blocked in the worker) and ends the worker. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000); // a wedged worker must not hang the caller
      this.onClosed = () => { clearTimeout(timer); resolve(); };
      this.worker.postMessage({ type: "close" } satisfies ToWorker);
    }).finally(() => {
      this.worker.terminate();
      for (const p of this.pending.splice(0)) p.reject(new AnalysisError("the analyzer was closed"));
    });
    return this.closed;
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case "result":
        this.pending.shift()?.resolve(msg.result);
        break;
      case "error":
        // One failed frame poisons the stream: VIDEO-mode state after a failure is not trustworthy.
        this.failure = new AnalysisError(msg.message);
        for (const p of this.pending.splice(0)) p.reject(this.failure);
        break;
      case "closed":
        this.blockedRequests = msg.blockedRequests;
        this.onClosed?.();
        break;
    }
  }
}
