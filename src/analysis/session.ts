// One analysis of one clip: video → frames → inference → results → {scene → RRD streams, results
// batches}. The widget and the headless page both drive analyses through `analyzeClip`.
import { FaceAnalyzer } from "../inference/analyzer";
import { analysisOptions } from "../inference/options";
import { runAnalysis, type Progress } from "../inference/pipeline";
import type { FrameResult } from "../results/types";
import { MemorySink, Recording } from "../rerun";
import { densityNote, planDensity } from "../scene/density";
import { FaceScene } from "../scene/scene";
import { sceneVideo } from "./sceneVideo";
import { ResultBatches } from "./resultBatches";
import { SceneStream } from "./sceneStream";
import { openVideo, } from "../video/source";
import { sniffContainer, STILL_CONTAINERS } from "../video/sniff";
import { SummaryBuilder, type AnalysisSummary } from "./summary";
import { parseOptions, type ClipOptions } from "../options";

/** What every analysis gets, of a clip or of a camera: the source's name, the model, and where
 * its recording, results and phases go as they come. */
export interface AnalysisRequestBase {
  fileName: string;
  /** The `face_landmarker.task` bundle. */
  model: Uint8Array;
  signal?: AbortSignal;
  /** Each call gets one complete RRD stream (the viewer's `send_rrd` needs self-contained streams);
   * `last` marks the final one, sent after the last frame. */
  onStream?(rrd: Uint8Array, last: boolean): void;
  /** After the last stream, the bytes that close the recording's file (Rerun's footer). The first
   * stream, the later ones without their 12-byte header, then these bytes are the `.rrd` file; the
   * viewer needs none of it. */
  onFileEnd?(tail: Uint8Array): void;
  /** Results in frame order, in the batches they were committed to the scene. */
  onResults?(results: FrameResult[]): void;
  /** Short phase descriptions for a status line. */
  onPhase?(phase: string): void;
  /** Named moments for timing (headless summary's `phases_ms`): `models_ready`, `first_frame`
   * (its result is out), `last_frame`. */
  onMark?(name: string): void;
}

export interface AnalyzeRequest extends AnalysisRequestBase {
  clip: Blob | Uint8Array;
  /** Any of the options table's (src/options.ts); the rest take their defaults. */
  options?: Partial<ClipOptions>;
  onProgress?(progress: Progress): void;
  /** Keep the analysis workers for the next clip of this page (the headless batch's warm session). */
  keepWorkers?: boolean;
}

export interface AnalysisOutcome {
  summary: AnalysisSummary;
  /** The whole recording, as an `.rrd` file's bytes. */
  recording: MemorySink;
}

/** A failure after some frames were analysed: what was done is kept and reported. */
export class AnalysisFailure extends Error {
  override name = "AnalysisFailure";
  constructor(override readonly cause: unknown, readonly outcome: AnalysisOutcome | null) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** The clip's first frame, decoded apart from the run (the `auto` delegate's probe uses it). */
async function firstFrame(bytes: Uint8Array, maxDim: number): Promise<VideoFrame | null> {
  const source = await openVideo(bytes, { maxDim: maxDim || undefined, maxFrames: 1 });
  for await (const f of source.frames()) return f.frame;
  return null;
}

export async function analyzeClip(req: AnalyzeRequest): Promise<AnalysisOutcome> {
  const t0 = performance.now();
  // Checked first: a bad value fails before the clip is read or a model loaded.
  const options = parseOptions(req.options);
  req.onPhase?.("Reading the clip");
  const bytes = req.clip instanceof Uint8Array ? req.clip : new Uint8Array(await req.clip.arrayBuffer());
  // MediaPipe starts (workers, wasm, models: ~1 s) while the clip is demuxed, not after: the mode
  // only needs the container, which the first bytes tell.
  req.onPhase?.("Starting MediaPipe");
  const mode = STILL_CONTAINERS.has(sniffContainer(bytes)) ? "IMAGE" : "VIDEO";
  const probeFrame = () => firstFrame(bytes, options.maxDim);
  const starting = req.keepWorkers
    ? FaceAnalyzer.acquire(req.model, analysisOptions(options), mode, probeFrame)
    : FaceAnalyzer.create(req.model, analysisOptions(options), mode, undefined, probeFrame);
  // 0 is the table's "off": keep the size, every frame.
  const opening = openVideo(bytes, {
    maxDim: options.maxDim || undefined, maxFrames: options.maxFrames || undefined, fileName: req.fileName, signal: req.signal,
  });
  const [opened, started] = await Promise.allSettled([opening, starting]);
  // A clip that cannot be read is the user's problem to hear about first, before any MediaPipe one.
  if (opened.status === "rejected") {
    if (started.status === "fulfilled") await (req.keepWorkers ? started.value.release() : started.value.close());
    throw opened.reason;
  }
  if (started.status === "rejected") throw started.reason;
  const source = opened.value;
  const analyzer = started.value;
  const { delegate, reason: delegateReason } = analyzer.delegateChoice;
  req.onMark?.("models_ready");

  const recording = new MemorySink();
  const rec = new Recording({ applicationId: "facescope", source: req.fileName });
  rec.addSink(recording);
  const summary = new SummaryBuilder();
  const density = planDensity(source.frameCount, analyzer.options.numFaces, options.viewerMemoryMb);
  const video = await sceneVideo(source, bytes);
  const scene = new SceneStream(new FaceScene(rec, video.shown, density), rec, req, summary.sceneMs);
  scene.begin();

  const batches = new ResultBatches(req.onResults);

  let failure: unknown = null;
  let cancelled = false;
  let analysisFps = 0;
  const note = densityNote(density);
  // The status line says which delegate runs and why (`auto` decides: inference/delegate.ts).
  req.onPhase?.(`Analysing on ${delegate}, ${delegateReason}${note ? `; ${note}` : ""}`);
  try {
    const run = await runAnalysis(source, analyzer, {
      signal: req.signal,
      onProgress: req.onProgress,
      onResult: (r) => {
        if (!summary.facesPerFrame.length) req.onMark?.("first_frame");
        summary.add(r);
        scene.add(r);
        batches.add(r);
      },
    });
    cancelled = run.aborted;
    analysisFps = run.fps;
  } catch (error) {
    failure = error;
  } finally {
    req.onMark?.("last_frame");
    scene.finish();
    batches.flush();
    await (req.keepWorkers ? analyzer.release() : analyzer.close());
  }
  const elapsedMs = performance.now() - t0;
  const outcome: AnalysisOutcome = {
    recording,
    summary: summary.build({
      fileName: req.fileName, totalFrames: source.frameCount, elapsedMs,
      // Frames per second of the analysis itself (first frame in to last result out), not of
      // the set-up before it (reading the clip, starting MediaPipe).
      fps: analysisFps || (summary.facesPerFrame.length * 1000) / Math.max(elapsedMs, 1),
      width: source.width, height: source.height, codec: source.codec, kind: source.kind,
      recordingId: rec.recordingId, cancelled, blockedRequests: analyzer.blockedRequests, videoError: video.videoError,
      density, ...(note ? { viewerNote: note } : {}), delegate, delegateReason,
    }),
  };
  if (failure) throw new AnalysisFailure(failure, outcome);
  return outcome;
}
