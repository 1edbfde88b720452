// Runs the analysis of one clip for a widget view: fetches the model from the kernel, streams the
// recording into the viewer and, with the results, to the kernel; drives the progress row and
// reports the outcome. A run is "done" once the kernel holds everything, so Python never sees a
// finished status with results still in flight. A new clip cancels the one in progress and
// replaces it in the viewer.
import type { LiveProgress, RecordRequest } from "../analysis/liveSession";
import type { AnalysisOutcome, AnalyzeRequest } from "../analysis/session";
import type { AnalysisSummary } from "../analysis/summary";
import type { Progress } from "../inference/pipeline";
import { MAX_CLIP_BYTES, tooLargeMessage } from "../limits";
import { OPTION_NAMES, pythonName, type ClipOptions } from "../options";
import type { FrameResult } from "../results/types";
import type { RunError } from "../sync/protocol";
import type { ViewState, WidgetModel } from "./model";
import type { ProgressView } from "./progress";
import { liveProgressText, progressText } from "./progress";

export interface ClipAnalysisDeps {
  model: WidgetModel;
  progress: ProgressView;
  /** Shows the state in this view and, unless `share` is false, writes it into the shared model. */
  setState(state: ViewState, message: string, share?: boolean): void;
  /** A viewer for run `run`'s recording (an empty one: the view's own if it holds nothing yet). */
  viewerFor(run: string): { send(stream: Uint8Array): void };
  /** As a run starts: the widget may hide its viewer while it analyses (widget/liveViewer.ts).
   * Returns what shows it again, called once the analysis has ended. */
  duringRun?(options: Partial<ClipOptions>): () => void;
  fetchModel(): Promise<Uint8Array>;
  analyze(req: AnalyzeRequest): Promise<AnalysisOutcome>;
  /** Where the run's results and recording go (the kernel). */
  startRun(fileName: string, serial: number | null): RunSink;
  /** Only in views that can record (not in the headless page). */
  camera?: CameraDeps;
}

/** The camera, as ClipAnalysis uses it (camera.ts and the widget's preview). */
export interface CameraDeps {
  open(device?: string): Promise<MediaStream>;
  /** The stream is open: show the preview. */
  started(stream: MediaStream): void;
  /** The recording is over (or never started): hide the preview, close the camera. */
  stopped(stream: MediaStream | null): void;
  record(req: RecordRequest): Promise<AnalysisOutcome>;
}

/** What `scope.record(seconds, device)` and the Camera button ask for. */
export interface CameraRequest {
  seconds?: number;
  device?: string;
}

/** The name a camera run goes by (in messages and in Python's AnalysisError). */
export const CAMERA_RUN_NAME = "camera";

/** What the two kinds of run share: the callbacks and options every analysis takes. */
type Common = Omit<AnalyzeRequest, "clip" | "fileName">;

interface Job {
  /** Before anything is loaded: refuse bad input, open the camera. */
  check(): void | Promise<void>;
  analyze(common: Common): Promise<AnalysisOutcome>;
  progressText(p: Progress): string;
  finally?(): void;
  camera?: boolean;
}

/** The kernel side of a run, as ClipAnalysis sees it (RunSender in the widget). */
export interface RunSink {
  readonly run: string;
  results(batch: readonly FrameResult[]): void;
  recording(stream: Uint8Array): void;
  /** The bytes that close the recording's file (its footer), after its last stream. */
  recordingEnd(tail: Uint8Array): void;
  end(outcome: { summary: unknown; error: RunError | null; cancelled: boolean }): void;
  readonly completed: Promise<void>;
}


/** The shared state (status, message, progress traits) follows the progress at most this often. */
const SHARE_PROGRESS_EVERY_MS = 500;

/** The progress bar and status text change at most this often (≤ 5 a second): each change makes
 * the page re-lay out and re-composite, in software on a GPU-less machine, where per-frame updates
 * cost the analysis workers their cores (issue 15). */
export const SHOW_PROGRESS_EVERY_MS = 200;

/** The last recording stream waits this long at most for the kernel before the viewer gets it. */
export const VIEWER_HOLD_MS = 1500;

/**
 * Shows the run's last stream in the viewer once the kernel holds the run (or after
 * VIEWER_HOLD_MS). Ingesting it keeps the page's main thread busy for a second or more in software
 * GL, and the websocket moves bytes only when that thread is free: the kernel's copy, sent first,
 * would wait for the viewer.
 */
function holdForKernel(show: (() => void) | null, kernelHas: Promise<void>): void {
  if (!show) return;
  // A task later, so the "done" status the view writes on the kernel's word leaves first.
  const release = () => setTimeout(show, 0);
  void Promise.race([kernelHas, new Promise((resolve) => setTimeout(resolve, VIEWER_HOLD_MS))]).then(release, release);
}

/** What the `progress` trait holds while a clip is analysed. */
export function progressTrait(p: Progress): Record<string, number> {
  return { done: p.done, total: p.total, fps: Math.round(p.fps * 10) / 10, eta_s: Math.round(p.etaMs / 100) / 10 };
}

function runError(error: unknown): RunError {
  // A failure midway (AnalysisFailure) carries the outcome; its cause says what went wrong.
  const cause = (error as { name?: unknown; cause?: unknown }).name === "AnalysisFailure" ? (error as { cause: unknown }).cause : error;
  const e = cause as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : typeof e?.name === "string" ? e.name : "error";
  return { code, message: error instanceof Error ? error.message : String(error) };
}

/**
 * The widget's option traits (the options table's, by their Python names: num_faces ↔ numFaces).
 * A trait this kernel's facescope lacks is left to its default; values are checked by analyzeClip,
 * which names a bad one in the error the view shows.
 */
export function clipOptions(model: WidgetModel): Partial<ClipOptions> {
  const options: Record<string, unknown> = {};
  for (const name of OPTION_NAMES) {
    const value = model.get(pythonName(name));
    if (value !== undefined && value !== null) options[name] = value;
  }
  return options as Partial<ClipOptions>;
}

export function doneMessage(s: AnalysisSummary): string {
  if (s.kind === "camera") return recordedMessage(s);
  const speed = `${s.fps.toFixed(1)} fps`;
  const thinned = s.viewerNote ? `; ${s.viewerNote}` : "";
  if (s.cancelled) return `Cancelled after ${s.frames} of ${s.totalFrames} frames; what was analysed is kept${thinned}`;
  // A file sniffed as a picture whatever its name (a PNG called .mp4) says what it was taken for.
  if (s.kind === "image") {
    const still = `a still ${s.codec.toUpperCase()} image, analysed as one frame`;
    if (s.framesWithFaces === 0) return `No face found in ${s.fileName} (${still})`;
    return `${s.fileName}: ${still}, ${s.maxFaces === 1 ? "1 face" : `${s.maxFaces} faces`}`;
  }
  // The overlays are shown either way; without the video under them the user should know why.
  const video = s.videoError ? `; overlays only: ${s.videoError}` : "";
  if (s.framesWithFaces === 0) return `No face found in ${s.fileName} (${s.frames} frames analysed, ${speed})${video}`;
  const faces = s.faceIds.length === 1 ? "1 face" : `${s.faceIds.length} faces`;
  return `${s.fileName}: ${s.frames} frames, ${faces} in ${s.framesWithFaces} frames, ${speed}${video}${thinned}`;
}

/** The summary line of a camera recording: how much was recorded, analysed and found. */
export function recordedMessage(s: AnalysisSummary): string {
  const seconds = (s.recordedSeconds ?? 0).toFixed(1);
  const counts = `${s.analysedFrames ?? s.frames} of ${s.capturedFrames ?? s.frames} frames analysed`;
  const faces = s.framesWithFaces === 0 ? "no face found"
    : `${s.faceIds.length === 1 ? "1 face" : `${s.faceIds.length} faces`} in ${s.framesWithFaces} frames`;
  const video = s.videoError ? `; video not kept: ${s.videoError}` : "";
  return `Camera: ${seconds} s recorded, ${counts}, ${faces}${video}`;
}

export class ClipAnalysis {
  #abort: AbortController | null = null;
  #disposed = false;
  /** Shows the viewer a run hid (duringRun), once; only the latest run's. */
  #waiting: (() => void) | null = null;
  #recording = false;

  constructor(private readonly deps: ClipAnalysisDeps) {}

  get running(): boolean {
    return this.#abort !== null;
  }

  /** Analyses `file`; `serial` is the kernel's number for a clip that came from Python. */
  run(file: File, serial: number | null = null): Promise<void> {
    return this.#execute(file.name, serial, {
      // The browser would hold it all in memory (twice while the viewer plays it).
      check: () => {
        if (file.size > MAX_CLIP_BYTES) throw Object.assign(new Error(tooLargeMessage("the clip", file.size)), { code: "too-large" });
      },
      analyze: (common) => this.deps.analyze({ ...common, clip: file, fileName: file.name }),
      progressText: (p) => `Analysing ${file.name}: ${progressText(p)}`,
    });
  }

  /**
   * Records from the camera (`device`: an id or label, else the default camera) for `seconds`
   * (0: until stopped), analysing live; `serial` is the kernel's number for `scope.record()`.
   */
  record(request: CameraRequest = {}, serial: number | null = null): Promise<void> {
    const camera = this.deps.camera;
    if (!camera) return Promise.reject(new Error("this view has no camera"));
    let stream: MediaStream | null = null;
    return this.#execute(CAMERA_RUN_NAME, serial, {
      check: async () => {
        stream = await camera.open(request.device);
        camera.started(stream);
      },
      analyze: (common) => camera.record({ ...common, stream: stream!, fileName: CAMERA_RUN_NAME, seconds: request.seconds }),
      progressText: (p) => liveProgressText(p as LiveProgress),
      camera: true,
      finally: () => camera.stopped(stream),
    });
  }

  /** The steps one run takes; every run (file or camera) reports and reaches the kernel the same way. */
  async #execute(name: string, serial: number | null, job: Job): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    const { deps } = this;
    this.#recording = job.camera === true;
    const sink = deps.startRun(name, serial);
    deps.setState("analysing", `Preparing ${name}…`);
    deps.progress.show(true);
    let outcome: AnalysisOutcome | null = null;
    let failure: unknown = null;
    let lastShared = -Infinity;
    let lastShown = -Infinity;
    let showLast: (() => void) | null = null;
    let hid: (() => void) | null = null;
    try {
      // The model is asked for first: it loads while the camera asks for permission.
      const model = deps.fetchModel();
      model.catch(() => undefined); // a failed check() must not leave this rejection unhandled
      await job.check();
      const modelBytes = await model;
      if (abort.signal.aborted) return;
      const viewer = deps.viewerFor(sink.run);
      const options = clipOptions(deps.model);
      hid = deps.duringRun?.(options) ?? null;
      this.#waiting = hid;
      outcome = await job.analyze({
        model: modelBytes, options, signal: abort.signal,
        onStream: (s, last) => {
          sink.recording(s);
          if (last) showLast = () => viewer.send(s);
          else viewer.send(s);
        },
        // The footer only means something in the kernel's file, not to this viewer.
        onFileEnd: (tail) => sink.recordingEnd(tail),
        onResults: (batch) => sink.results(batch),
        onPhase: (phase) => this.#live(abort) && deps.setState("analysing", `${phase}: ${name}`),
        onProgress: (p) => {
          if (!this.#live(abort)) return;
          const now = performance.now();
          if (now - lastShown < SHOW_PROGRESS_EVERY_MS && p.done !== p.total) return;
          lastShown = now;
          deps.progress.update(p);
          // Every trait change is a message to the kernel (and an echo back): share a few a second.
          const share = performance.now() - lastShared >= SHARE_PROGRESS_EVERY_MS || p.done === p.total;
          if (share) {
            lastShared = performance.now();
            deps.model.set("progress", progressTrait(p));
          }
          deps.setState("analysing", job.progressText(p), share);
        },
      });
    } catch (error) {
      failure = error;
      outcome = (error as { outcome?: AnalysisOutcome | null }).outcome ?? null;
    } finally {
      job.finally?.();
      sink.end({ summary: outcome?.summary ?? null, error: failure ? runError(failure) : null, cancelled: !!outcome?.summary.cancelled });
      holdForKernel(showLast, sink.completed);
      // A replaced run leaves the progress row to its successor.
      if (this.#abort === abort || abort.signal.reason === "cancel") deps.progress.show(false);
    }
    try {
      if (this.#disposed || (abort.signal.aborted && !["cancel", "stop"].includes(abort.signal.reason))) return;
      if (failure) {
        const kept = outcome?.summary.frames ? ` (the ${outcome.summary.frames} frames analysed before are kept)` : "";
        deps.setState("error", `${name}: ${failure instanceof Error ? failure.message : String(failure)}${kept}`);
        return;
      }
      if (!outcome) return;
      const done = doneMessage(outcome.summary);
      deps.setState("analysing", `${done}; handing the results to Python…`);
      const slow = setTimeout(() => {
        if (!this.#live(abort)) return;
        deps.setState("analysing", `${done}; waiting for the kernel to take the results (is it busy running a cell?)`);
        this.#showViewer(hid); // the kernel may be busy for long: the analysis is over, show it
      }, 3000);
      await sink.completed;
      clearTimeout(slow);
      if (this.#live(abort) || abort.signal.reason === "cancel") deps.setState("done", done);
    } finally {
      // Shown last: a viewer that waited catches up on the whole recording at once, which holds
      // the page's thread for a moment (seconds under load); "done" reaches the kernel first.
      this.#showViewer(hid);
      if (this.#abort === abort) this.#abort = null;
    }
  }

  /**
   * Stops the analysis in progress; frames analysed so far stay in the viewer. A camera recording
   * cancelled by the user just stops: it is finished and kept like one that ran its time.
   */
  cancel(reason: "cancel" | "replace" = "replace"): void {
    if (reason === "cancel" && this.#recording) {
      this.stop();
      return;
    }
    this.#abort?.abort(reason);
    this.#abort = null;
  }

  /** Ends a camera recording (the Stop button): the run finishes normally with what was recorded. */
  stop(): void {
    if (this.#recording) this.#abort?.abort("stop");
  }

  /** Whether a camera recording is under way. */
  get recording(): boolean {
    return this.#recording && this.#abort !== null;
  }

  dispose(): void {
    this.#disposed = true;
    this.cancel("replace");
    this.#showViewer(this.#waiting); // e.g. the kernel was lost: the viewer keeps what was analysed
  }

  /** Shows the viewer if `hid`, a run's restore, is still the one in force (a later run may have
   * hidden it again for itself). */
  #showViewer(hid: (() => void) | null): void {
    if (hid === null || this.#waiting !== hid) return;
    this.#waiting = null;
    hid();
  }

  #live(abort: AbortController): boolean {
    return !this.#disposed && this.#abort === abort;
  }
}
