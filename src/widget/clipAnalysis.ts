// Runs the analysis of one clip for a widget view: fetches the model from the kernel, streams the
// recording into the viewer and, with the results, to the kernel; drives the progress row and
// reports the outcome. A run is "done" once the kernel holds everything, so Python never sees a
// finished status with results still in flight. A new clip cancels the one in progress and
// replaces it in the viewer.
import type { AnalysisOutcome, AnalyzeRequest, ClipOptions } from "../analysis/session";
import type { AnalysisSummary } from "../analysis/summary";
import type { Progress } from "../inference/pipeline";
import type { FrameResult } from "../results/types";
import type { RunError } from "../sync/protocol";
import type { ViewState, WidgetModel } from "./model";
import type { ProgressView } from "./progress";
import { progressText } from "./progress";

export interface ClipAnalysisDeps {
  model: WidgetModel;
  progress: ProgressView;
  /** Shows the state in this view and, unless `share` is false, writes it into the shared model. */
  setState(state: ViewState, message: string, share?: boolean): void;
  /** A viewer for run `run`'s recording (an empty one: the view's own if it holds nothing yet). */
  viewerFor(run: string): { send(stream: Uint8Array): void };
  fetchModel(): Promise<Uint8Array>;
  analyze(req: AnalyzeRequest): Promise<AnalysisOutcome>;
  /** Where the run's results and recording go (the kernel). */
  startRun(fileName: string, serial: number | null): RunSink;
}

/** The kernel side of a run, as ClipAnalysis sees it (RunSender in the widget). */
export interface RunSink {
  readonly run: string;
  results(batch: readonly FrameResult[]): void;
  recording(stream: Uint8Array): void;
  end(outcome: { summary: unknown; error: RunError | null; cancelled: boolean }): void;
  readonly completed: Promise<void>;
}

/** Clips above this are refused before they are read (MAX_CLIP_BYTES in facescope/widget.py). */
export const MAX_CLIP_BYTES = 2 ** 30;

export function tooLargeMessage(size: number): string {
  return `the clip is ${(size / 2 ** 30).toFixed(1)} GiB; facescope analyses clips up to ${MAX_CLIP_BYTES / 2 ** 30} GiB ` +
    "(trim it, or lower its resolution with ffmpeg)";
}

/** The shared state (status, message, progress traits) follows the progress at most this often. */
const SHARE_PROGRESS_EVERY_MS = 500;

/** What the `progress` trait holds while a clip is analysed. */
export function progressTrait(p: Progress): Record<string, number> {
  return { done: p.done, total: p.total, fps: Math.round(p.fps * 10) / 10, eta_s: Math.round(p.etaMs / 100) / 10 };
}

function runError(error: unknown): RunError {
  // A failure after some frames (AnalysisFailure) carries the video error that stopped it: its code
  // ("truncated" …) is what Python's AnalysisError.code reports.
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const e = (typeof cause?.code === "string" ? cause : error) as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : typeof e?.name === "string" ? e.name : "error";
  return { code, message: error instanceof Error ? error.message : String(error) };
}

/** Python trait names → the front end's option names (they mirror each other). */
export function clipOptions(model: WidgetModel): ClipOptions {
  const num = (name: string) => {
    const v = model.get(name);
    return typeof v === "number" ? v : undefined;
  };
  const options: ClipOptions = {
    numFaces: num("num_faces"),
    minDetectionConfidence: num("min_detection_confidence"),
    minPresenceConfidence: num("min_presence_confidence"),
    minTrackingConfidence: num("min_tracking_confidence"),
    maxDim: num("max_dim") || undefined,
    maxFrame: num("max_frame") || undefined,
  };
  const delegate = model.get("delegate");
  if (delegate === "CPU" || delegate === "GPU") options.delegate = delegate;
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ClipOptions;
}

export function doneMessage(s: AnalysisSummary): string {
  const speed = `${s.fps.toFixed(1)} fps`;
  if (s.cancelled) return `Cancelled after ${s.frames} of ${s.totalFrames} frames; what was analysed is kept`;
  // A file sniffed as a picture whatever its name (a PNG called .mp4) says what it was taken for.
  if (s.kind === "image") {
    const still = `a still ${s.codec.toUpperCase()} image, analysed as one frame`;
    if (s.framesWithFaces === 0) return `No face found in ${s.fileName} (${still})`;
    return `${s.fileName}: ${still}, ${s.maxFaces === 1 ? "1 face" : `${s.maxFaces} faces`}`;
  }
  if (s.framesWithFaces === 0) return `No face found in ${s.fileName} (${s.frames} frames analysed, ${speed})`;
  const faces = s.faceIds.length === 1 ? "1 face" : `${s.faceIds.length} faces`;
  return `${s.fileName}: ${s.frames} frames, ${faces} in ${s.framesWithFaces} frames, ${speed}`;
}

export class ClipAnalysis {
  #abort: AbortController | null = null;
  #disposed = false;

  constructor(private readonly deps: ClipAnalysisDeps) {}

  get running(): boolean {
    return this.#abort !== null;
  }

  /** Analyses `file`; `serial` is the kernel's number for a clip that came from Python. */
  async run(file: File, serial: number | null = null): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    const { deps } = this;
    const sink = deps.startRun(file.name, serial);
    deps.setState("analysing", `Preparing ${file.name}…`);
    deps.progress.show(true);
    let outcome: AnalysisOutcome | null = null;
    let failure: unknown = null;
    let lastShared = -Infinity;
    try {
      // The browser would hold it all in memory (twice while the viewer plays it).
      if (file.size > MAX_CLIP_BYTES) throw Object.assign(new Error(tooLargeMessage(file.size)), { code: "too-large" });
      const modelBytes = await deps.fetchModel();
      if (abort.signal.aborted) return;
      const viewer = deps.viewerFor(sink.run);
      outcome = await deps.analyze({
        clip: file, fileName: file.name, model: modelBytes, options: clipOptions(deps.model), signal: abort.signal,
        onStream: (s) => {
          viewer.send(s);
          sink.recording(s);
        },
        onResults: (batch) => sink.results(batch),
        onPhase: (phase) => this.#live(abort) && deps.setState("analysing", `${phase}: ${file.name}`),
        onProgress: (p) => {
          if (!this.#live(abort)) return;
          deps.progress.update(p);
          // Every trait change is a message to the kernel (and an echo back): share a few a second.
          const share = performance.now() - lastShared >= SHARE_PROGRESS_EVERY_MS || p.done === p.total;
          if (share) {
            lastShared = performance.now();
            deps.model.set("progress", progressTrait(p));
          }
          deps.setState("analysing", `Analysing ${file.name}: ${progressText(p)}`, share);
        },
      });
    } catch (error) {
      failure = error;
      outcome = (error as { outcome?: AnalysisOutcome | null }).outcome ?? null;
    } finally {
      sink.end({ summary: outcome?.summary ?? null, error: failure ? runError(failure) : null, cancelled: !!outcome?.summary.cancelled });
      // A replaced run leaves the progress row to its successor.
      if (this.#abort === abort || abort.signal.reason === "cancel") deps.progress.show(false);
    }
    try {
      if (this.#disposed || (abort.signal.aborted && abort.signal.reason !== "cancel")) return;
      if (failure) {
        const kept = outcome?.summary.frames ? ` (the ${outcome.summary.frames} frames analysed before are kept)` : "";
        deps.setState("error", `${file.name}: ${failure instanceof Error ? failure.message : String(failure)}${kept}`);
        return;
      }
      const done = doneMessage(outcome!.summary);
      deps.setState("analysing", `${done}; handing the results to Python…`);
      const slow = setTimeout(() => this.#live(abort) && deps.setState("analysing",
        `${done}; waiting for the kernel to take the results (is it busy running a cell?)`), 3000);
      await sink.completed;
      clearTimeout(slow);
      if (this.#live(abort) || abort.signal.reason === "cancel") deps.setState("done", done);
    } finally {
      if (this.#abort === abort) this.#abort = null;
    }
  }

  /** Stops the analysis in progress; frames analysed so far stay in the viewer. */
  cancel(reason: "cancel" | "replace" = "replace"): void {
    this.#abort?.abort(reason);
    this.#abort = null;
  }

  dispose(): void {
    this.#disposed = true;
    this.cancel("replace");
  }

  #live(abort: AbortController): boolean {
    return !this.#disposed && this.#abort === abort;
  }
}
