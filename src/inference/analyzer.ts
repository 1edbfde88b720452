// Page-side handle on the analysis workers. One analyzer per clip: VIDEO mode keeps per-stream
// state (tracking, smoothing, the timestamp floor), so a second clip gets fresh workers with fresh
// tasks, or (acquire/release, the headless batch's warm page) the same workers with their tasks'
// graphs rebuilt.
//
// With two cores the FaceDetector has a worker of its own and two FaceLandmarker workers take the
// frames in turn (merge.ts, planWorkers): each frame goes to the detector and to one landmarker (the
// second gets a clone(), which shares the decoded picture rather than copying it). Results are
// merged per frame, given face ids by the tracker here, and resolved in frame order.
import { createAnalysisWorker, visionWasm } from "../assets";
import type { FrameResult } from "../results/types";
import { afterProbe, chooseDelegate, type DelegateChoice, type ProbeTimes, type RunDelegate, webglRenderer } from "./delegate";
import { mergePartials, planWorkers } from "./merge";
import { type AnalysisOptions, resolveOptions, type RunningMode } from "./options";
import { FaceTracker } from "./tracker";
import { type Idle, putIdle, takeIdle, warmKey } from "./warmPool";
import type { FromWorker, PartialResult, Stage, ToWorker, Tuning } from "./protocol";

interface WarmSet extends Idle {
  links: WorkerLink[];
  /** The options the workers run with (the delegate `auto` chose) and why that delegate. */
  options: AnalysisOptions;
  delegateChoice: DelegateChoice;
}

export class AnalysisError extends Error {
  override name = "AnalysisError";
}

interface Pending {
  resolve(r: PartialResult): void;
  reject(e: Error): void;
}

/** One worker and the requests it has not answered yet (it answers in the order it was asked). */
class WorkerLink {
  readonly pending: Pending[] = [];
  blockedRequests: string[] = [];
  onClosed?: () => void;

  constructor(readonly worker: Worker, readonly stages: Stage[]) {}

  /** Starts the worker's tasks; resolves with the worker's init time in ms. */
  init(model: Uint8Array, options: AnalysisOptions, mode: RunningMode, tuning?: Partial<Tuning>): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type === "ready") resolve(e.data.initMs);
        else if (e.data.type === "error") reject(new AnalysisError(`MediaPipe could not start: ${e.data.message}`));
      };
      this.worker.onerror = (e) => reject(new AnalysisError(`the analysis worker failed to load: ${e.message || "unknown error"}`));
      const copy = model.slice().buffer; // transferred, so the caller's buffer stays usable
      this.worker.postMessage({ type: "init", model: copy, wasm: visionWasm(), options, mode, stages: this.stages, tuning } satisfies ToWorker,
        [copy]);
    });
  }

  /** Resets the worker's tasks for a new clip; resolves with the time it took in ms. */
  reset(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type === "ready") resolve(e.data.initMs);
        else if (e.data.type === "error") reject(new AnalysisError(e.data.message));
      };
      this.worker.postMessage({ type: "reset" } satisfies ToWorker);
    });
  }

  send(frame: VideoFrame, index: number, timestampUs: number): Promise<PartialResult> {
    return new Promise<PartialResult>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      const msg: ToWorker = { type: "frame", frame, index, timestampUs };
      this.worker.postMessage(msg, [frame as unknown as Transferable]);
    });
  }
}

export class FaceAnalyzer {
  /** Every request the workers' network guards refused (MediaPipe's telemetry); filled on close(). */
  blockedRequests: string[] = [];
  private failure?: Error;
  private closed?: Promise<void>;
  private sent = 0;
  /** Workers that get every frame (the detector's) and those that take frames in turn. */
  private readonly everyFrame: WorkerLink[];
  private readonly inTurn: WorkerLink[];
  /** Ids by box overlap, on the page: with landmarkers taking turns, no worker sees every frame. */
  private readonly tracker = new FaceTracker();
  /** The previous frame's merge: merges (and so tracker updates) happen in frame order. */
  private ordered: Promise<unknown> = Promise.resolve();

  /** Set by acquire(): release() then keeps the workers for the next clip with this key. */
  private warm?: string;

  /** The delegate the workers run on and why (`options.delegate` is that delegate too). */
  delegateChoice: DelegateChoice = { delegate: "CPU", reason: "as asked", probe: false };

  private constructor(private readonly links: WorkerLink[], readonly options: AnalysisOptions,
    readonly mode: RunningMode, readonly initMs: number) {
    this.inTurn = links.filter((l) => l.stages.includes("landmarker"));
    this.everyFrame = links.filter((l) => !l.stages.includes("landmarker"));
    for (const link of links) link.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(link, e.data);
  }

  /**
   * Starts the workers and creates the tasks (in parallel, one worker per core in use). `model` is
   * the face_landmarker.task bundle (copied, so the caller's buffer stays usable); the detector
   * model is taken from inside it. `tuning` is for benchmarks (protocol.ts); leave it out.
   * `probeFrame` gives the clip's first frame for the `auto` delegate's probe (delegate.ts); without
   * it a hardware GPU is taken on the renderer string alone.
   */
  static async create(model: Uint8Array, options: Partial<AnalysisOptions> = {}, mode: RunningMode = "VIDEO",
    tuning?: Partial<Tuning>, probeFrame?: () => Promise<VideoFrame | null>): Promise<FaceAnalyzer> {
    const asked = resolveOptions(options);
    let choice = chooseDelegate(asked.delegate, asked.delegate === "auto" ? webglRenderer() : null);
    if (choice.probe && probeFrame) choice = afterProbe(choice, await FaceAnalyzer.probe(model, asked, probeFrame));
    const resolved: AnalysisOptions = { ...asked, delegate: choice.delegate };
    const analyzer = await FaceAnalyzer.start(model, resolved, mode, tuning);
    analyzer.delegateChoice = choice;
    return analyzer;
  }

  /** ms a frame of the landmarker on each delegate, on one frame (the best of 3 after a warm-up
   * run, which compiles the GPU's shaders). Costs two short-lived workers: only where `auto` saw a
   * hardware GPU. */
  private static async probe(model: Uint8Array, options: AnalysisOptions, probeFrame: () => Promise<VideoFrame | null>): Promise<ProbeTimes> {
    const frame = await probeFrame();
    if (!frame) return { gpuMs: null, cpuMs: null, error: "no frame to probe" };
    const time = async (delegate: RunDelegate): Promise<number> => {
      const one = await FaceAnalyzer.start(model, { ...options, delegate, detector: false }, "IMAGE", { landmarkers: 1 });
      try {
        const runs: number[] = [];
        for (let i = 0; i < 4; i++) {
          const t = performance.now();
          await one.analyze(frame.clone(), { index: i, timestampUs: i });
          runs.push(performance.now() - t);
        }
        return Math.min(...runs.slice(1));
      } finally {
        await one.close();
      }
    };
    try {
      const gpuMs = await time("GPU").catch(() => null);
      return { gpuMs, cpuMs: gpuMs === null ? null : await time("CPU") };
    } catch (e) {
      return { gpuMs: null, cpuMs: null, error: e instanceof Error ? e.message : String(e) };
    } finally {
      frame.close();
    }
  }

  private static async start(model: Uint8Array, resolved: AnalysisOptions, mode: RunningMode,
    tuning?: Partial<Tuning>): Promise<FaceAnalyzer> {
    const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 1 : 1;
    const links = planWorkers(resolved.detector, cores, tuning?.landmarkers).map((stages) => new WorkerLink(createAnalysisWorker(), stages));
    try {
      const initMs = await Promise.all(links.map((l) => l.init(model, resolved, mode, tuning)));
      return new FaceAnalyzer(links, resolved, mode, Math.max(...initMs));
    } catch (e) {
      for (const l of links) l.worker.terminate();
      throw e;
    }
  }

  /**
   * Like create(), but reuses the workers a released analyzer left with the same model, options
   * and mode, their tasks reset (warmPool.ts): a warm page's next clip skips loading MediaPipe.
   */
  static async acquire(model: Uint8Array, options: Partial<AnalysisOptions> = {}, mode: RunningMode = "VIDEO",
    probeFrame?: () => Promise<VideoFrame | null>): Promise<FaceAnalyzer> {
    const resolved = resolveOptions(options);
    const key = await warmKey(model, resolved, mode);
    const kept = takeIdle<WarmSet>(key);
    let analyzer: FaceAnalyzer | undefined;
    if (kept) {
      try {
        const initMs = await Promise.all(kept.links.map((l) => l.reset()));
        analyzer = new FaceAnalyzer(kept.links, kept.options, mode, Math.max(...initMs));
        analyzer.delegateChoice = kept.delegateChoice;
      } catch {
        kept.terminate(); // a worker that cannot restart is replaced by new ones
      }
    }
    analyzer ??= await FaceAnalyzer.create(model, resolved, mode, undefined, probeFrame);
    analyzer.warm = key;
    return analyzer;
  }

  /** Ends this analyzer's use of its workers: acquire()d ones are kept for the next clip, unless a
   * frame failed (then, and for create()d ones, it is close()). */
  async release(): Promise<void> {
    const key = this.warm;
    if (!key || this.failure || this.closed) return this.close();
    await this.ordered;
    if (this.links.some((l) => l.pending.length)) return this.close();
    this.closed = Promise.resolve();
    const links = this.links;
    const set: WarmSet = {
      key, links, options: this.options, delegateChoice: this.delegateChoice,
      terminate: () => { for (const l of links) l.worker.terminate(); },
    };
    putIdle(set);
  }

  /** Analyses one frame; the frame is transferred to the workers (and closed there). Results come in order. */
  analyze(frame: VideoFrame, meta: { index: number; timestampUs: number; decodeMs?: number }): Promise<FrameResult> {
    if (this.failure || this.closed) {
      frame.close();
      return Promise.reject(this.failure ?? new AnalysisError("the analyzer is closed"));
    }
    const targets = [this.inTurn[this.sent++ % this.inTurn.length], ...this.everyFrame];
    const copies = [frame, ...targets.slice(1).map(() => frame.clone())];
    const parts = Promise.all(targets.map((link, i) => link.send(copies[i], meta.index, meta.timestampUs)));
    parts.catch(() => undefined); // handled below, once the earlier frames are merged
    const merged = this.ordered.then(() => parts).then((p) => {
      const t0 = performance.now();
      const faces = p.find((part) => part.faces)?.faces;
      if (faces) faces.ids = this.tracker.update(faces.boxesNorm, faces.count, meta.timestampUs);
      const result = mergePartials(p, { ...meta, decodeMs: meta.decodeMs ?? 0 });
      result.timings.postMs += performance.now() - t0;
      return result;
    });
    this.ordered = merged.catch(() => undefined);
    return merged;
  }

  /** Closes the tasks (their telemetry flush is blocked in the workers) and ends the workers. */
  close(): Promise<void> {
    this.closed ??= Promise.all(this.links.map((link) => new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000); // a wedged worker must not hang the caller
      link.onClosed = () => { clearTimeout(timer); resolve(); };
      link.worker.postMessage({ type: "close" } satisfies ToWorker);
    }))).then(() => {
      this.blockedRequests = this.links.flatMap((l) => l.blockedRequests);
    }).finally(() => {
      for (const link of this.links) {
        link.worker.terminate();
        for (const p of link.pending.splice(0)) p.reject(new AnalysisError("the analyzer was closed"));
      }
    });
    return this.closed;
  }

  private receive(link: WorkerLink, msg: FromWorker): void {
    switch (msg.type) {
      case "result":
        link.pending.shift()?.resolve(msg.result);
        break;
      case "error":
        // One failed frame poisons the stream: VIDEO-mode state after a failure is not trustworthy,
        // and the other worker's results alone would be half a frame.
        this.failure = new AnalysisError(msg.message);
        for (const l of this.links) for (const p of l.pending.splice(0)) p.reject(this.failure);
        break;
      case "closed":
        link.blockedRequests = msg.blockedRequests;
        link.onClosed?.();
        break;
    }
  }
}
