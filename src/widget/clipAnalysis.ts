// Runs the analysis of one dropped or picked clip for a widget view: fetches the model from the
// kernel, streams the recording into the viewer, drives the progress row, reports the outcome.
// A new clip cancels the one in progress and replaces it in the viewer.
import type { AnalysisOutcome, AnalyzeRequest, ClipOptions } from "../analysis/session";
import type { AnalysisSummary } from "../analysis/summary";
import type { ViewState, WidgetModel } from "./model";
import type { ProgressView } from "./progress";
import { progressText } from "./progress";

export interface ClipAnalysisDeps {
  model: WidgetModel;
  progress: ProgressView;
  setState(state: ViewState, message: string): void;
  /** A viewer for a new recording; the first clip gets the viewer as it is. */
  viewerFor(clipNumber: number): { send(stream: Uint8Array): void };
  fetchModel(): Promise<Uint8Array>;
  analyze(req: AnalyzeRequest): Promise<AnalysisOutcome>;
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
  if (s.framesWithFaces === 0) return `No face found in ${s.fileName} (${s.frames} frames analysed, ${speed})`;
  const faces = s.faceIds.length === 1 ? "1 face" : `${s.faceIds.length} faces`;
  return `${s.fileName}: ${s.frames} frames, ${faces} in ${s.framesWithFaces} frames, ${speed}`;
}

export class ClipAnalysis {
  #abort: AbortController | null = null;
  #clips = 0;
  #disposed = false;

  constructor(private readonly deps: ClipAnalysisDeps) {}

  get running(): boolean {
    return this.#abort !== null;
  }

  async run(file: File): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    const { deps } = this;
    const clip = this.#clips++;
    deps.setState("analysing", `Preparing ${file.name}…`);
    deps.progress.show(true);
    try {
      const modelBytes = await deps.fetchModel();
      if (abort.signal.aborted) return;
      const viewer = deps.viewerFor(clip);
      const outcome = await deps.analyze({
        clip: file, fileName: file.name, model: modelBytes, options: clipOptions(deps.model), signal: abort.signal,
        onStream: (s) => viewer.send(s),
        onPhase: (phase) => this.#live(abort) && deps.setState("analysing", `${phase}: ${file.name}`),
        onProgress: (p) => {
          if (!this.#live(abort)) return;
          deps.progress.update(p);
          deps.setState("analysing", `Analysing ${file.name}: ${progressText(p)}`);
        },
      });
      this.#report(outcome.summary);
      if (this.#live(abort) || abort.signal.reason === "cancel") deps.setState("done", doneMessage(outcome.summary));
    } catch (error) {
      const outcome = (error as { outcome?: AnalysisOutcome | null }).outcome;
      if (outcome) this.#report(outcome.summary);
      if (this.#disposed || (abort.signal.aborted && abort.signal.reason !== "cancel")) return;
      const kept = outcome?.summary.frames ? ` (the ${outcome.summary.frames} frames analysed before are kept)` : "";
      deps.setState("error", `${file.name}: ${error instanceof Error ? error.message : String(error)}${kept}`);
    } finally {
      // A replaced run leaves the progress row to its successor.
      if (this.#abort === abort || abort.signal.reason === "cancel") deps.progress.show(false);
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

  #report(summary: AnalysisSummary): void {
    if (this.#disposed) return;
    this.deps.model.send({ type: "summary", summary });
  }
}
