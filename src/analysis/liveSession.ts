// One live recording from a camera: the camera worker (video/cameraWorker.ts) reads the camera,
// records the MP4 and passes on the frames the analysis has room for; here they go through the
// FaceAnalyzer → results → {scene → RRD streams, results batches}, like analyzeClip does for a
// file. The video joins the scene when the recording ends, with frame times read back from the
// finished MP4 by the same reader file clips use (sceneVideo.ts).
import { createCameraWorker } from "../assets";
import { FaceAnalyzer } from "../inference/analyzer";
import { analysisOptions } from "../inference/options";
import { parseOptions, type ClipOptions } from "../options";
import type { Progress } from "../inference/pipeline";
import { MemorySink, Recording } from "../rerun";
import { FaceScene } from "../scene/scene";
import { CameraError, trackFrames } from "../video/camera";
import type { FromCameraWorker, ToCameraWorker } from "../video/cameraProtocol";
import type { GateCounts } from "../video/frameGate";
import { mp4SceneVideo } from "./sceneVideo";
import { SceneStream } from "./sceneStream";
import { ResultBatches } from "./resultBatches";
import { AnalysisFailure, type AnalysisOutcome, type AnalysisRequestBase } from "./session";
import { SummaryBuilder } from "./summary";

/** Frames analysed at once; later frames are recorded only (frameGate.ts). */
export const MAX_IN_FLIGHT = 2;

export interface LiveProgress extends Progress {
  /** Frames the camera delivered, analysed and kept in the video so far. */
  captured: number;
  analysed: number;
  recorded: number;
  /** Camera time recorded so far, and the limit (0: until stopped). */
  seconds: number;
  limitSeconds: number;
}

/** A camera recording; its `signal` ends the recording, and what was recorded is kept and finished normally. */
export interface RecordRequest extends AnalysisRequestBase {
  /** An open camera stream (the caller shows it as the preview and stops it afterwards). */
  stream: MediaStream;
  /** The widget's options (src/options.ts); a camera uses the MediaPipe ones, not maxDim or maxFrames. */
  options?: Partial<ClipOptions>;
  /** Stop after this many seconds of camera time (0 or undefined: when `signal` fires). */
  seconds?: number;
  onProgress?(progress: LiveProgress): void;
}

interface AnalysedFrame {
  index: number;
  timestampUs: number;
  /** Position of the frame in the recorded video. */
  sample: number;
}

/**
 * Resolves once the page's main thread is free again (short timers run on time for a second: the
 * viewer works through an update in bursts over several frames), or after `maxMs`. The camera's frames reach the page through the main thread, so the clock should
 * not start while the viewer is still busy with its first layout (seconds in software GL).
 */
export async function mainThreadFree(maxMs = 30_000, tickMs = 50, lateMs = 100, inARow = 20): Promise<void> {
  const t0 = performance.now();
  let onTime = 0;
  while (onTime < inARow && performance.now() - t0 < maxMs) {
    const before = performance.now();
    await new Promise((resolve) => setTimeout(resolve, tickMs));
    onTime = performance.now() - before - tickMs < lateMs ? onTime + 1 : 0;
  }
}

export async function analyzeCamera(req: RecordRequest): Promise<AnalysisOutcome> {
  const t0 = performance.now();
  const track = req.stream.getVideoTracks()[0];
  if (!track) throw new CameraError("no-camera", "The camera stream has no video track.");
  const settings = track.getSettings();
  const width = settings.width ?? 640;
  const height = settings.height ?? 480;
  const limitSeconds = (req.seconds ?? 0) > 0 ? req.seconds! : 0;

  req.onPhase?.("Starting MediaPipe");
  const analyzer = await FaceAnalyzer.create(req.model, analysisOptions(parseOptions(req.options)), "VIDEO");
  const recording = new MemorySink();
  const rec = new Recording({ applicationId: "facescope", source: req.fileName });
  rec.addSink(recording);
  const faceScene = new FaceScene(rec, { width, height });
  // The viewer gets the growing recording every STREAM_EVERY_MS, as for files. After an update the
  // viewer redraws for a while and holds the page's main thread (measured in JupyterLab, headless
  // Chromium with software GL on 2 cores: updates every 3 s cut the analysis from 15 to 5 fps), and
  // the camera's frames reach the analysis through that thread. The recording loses nothing:
  // fewer frames are analysed meanwhile.
  const summary = new SummaryBuilder();
  const scene = new SceneStream(faceScene, rec, req, summary.sceneMs);
  scene.begin();
  // The viewer's first layout (views, shaders) is its heaviest update: let it pass before the clock runs.
  await mainThreadFree();

  const analysed: AnalysedFrame[] = [];
  const batches = new ResultBatches(req.onResults);

  let counts: GateCounts = { captured: 0, admitted: 0, analysed: 0, encoded: 0 };
  let lastUs = 0;
  const progress = () => {
    const seconds = lastUs / 1e6;
    // Analysed frames per second of camera time: comparable with the camera's own rate.
    const fps = seconds > 0 ? analysed.length / seconds : 0;
    req.onProgress?.({
      done: analysed.length, total: counts.captured, fps, etaMs: limitSeconds ? Math.max(0, (limitSeconds - seconds) * 1000) : NaN,
      captured: counts.captured, analysed: analysed.length, recorded: counts.encoded, seconds, limitSeconds,
    });
  };

  let failure: unknown = null;
  let results: Promise<void> = Promise.resolve();
  const worker = createCameraWorker();
  const send = (msg: ToCameraWorker, transfer: Transferable[] = []) => worker.postMessage(msg, transfer);
  const stop = () => send({ type: "stop" });
  req.signal?.addEventListener("abort", stop);
  const analyse = (msg: Extract<FromCameraWorker, { type: "frame" }>) => {
    const meta: AnalysedFrame = { index: msg.index, timestampUs: msg.timestampUs, sample: msg.sample };
    const pending = analyzer.analyze(msg.frame, { index: msg.index, timestampUs: msg.timestampUs });
    pending.catch(() => undefined); // handled in order below
    results = results.then(async () => {
      try {
        const r = await pending;
        if (failure) return;
        analysed.push(meta);
        summary.add(r);
        scene.add(r);
        batches.add(r);
      } catch (e) {
        failure ??= e;
        stop();
      } finally {
        send({ type: "settled" });
        progress();
      }
    });
  };

  req.onPhase?.("Recording");
  const done = await (new Promise<Extract<FromCameraWorker, { type: "done" }>>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<FromCameraWorker>) => {
      const msg = e.data;
      if (msg.type === "frame") {
        if (failure) msg.frame.close();
        else analyse(msg);
      } else if (msg.type === "progress") {
        ({ counts, lastUs } = msg);
        progress();
      } else {
        resolve(msg);
      }
    };
    worker.onerror = (e) => reject(new CameraError("unsupported", `the camera worker failed: ${e.message || "unknown error"}`));
    const frames = trackFrames(track);
    send({ type: "start", frames, limitUs: limitSeconds * 1e6, width, height, fps: settings.frameRate ?? 30, maxInFlight: MAX_IN_FLIGHT },
      [frames as unknown as Transferable]);
    if (req.signal?.aborted) stop();
  }).finally(() => {
    req.signal?.removeEventListener("abort", stop);
    worker.terminate();
  }).catch(async (e) => {
    await analyzer.close(); // the camera never started: nothing to keep
    throw e;
  }));
  ({ counts, lastUs } = done);
  if (done.error) failure ??= new CameraError(done.error.code as CameraError["code"], done.error.message);

  req.onPhase?.("Finishing the recording");
  await results;
  await analyzer.close();
  batches.flush();
  scene.commit(); // every analysed frame logged before the video joins (attachVideo references them all)
  let videoError = done.videoError;
  let codec = "";
  if (done.mp4) {
    try {
      // The frame times the viewer resolves references with, read back from the file we wrote.
      const shown = mp4SceneVideo(new Uint8Array(done.mp4));
      if (shown.asset?.kind === "video") faceScene.attachVideo(shown.asset, analysed);
      codec = done.codec;
    } catch (e) {
      videoError = `the recorded video could not be read back: ${String(e)}`;
    }
  }
  scene.finish();

  const recordedS = lastUs / 1e6;
  const outcome: AnalysisOutcome = {
    recording,
    summary: {
      ...summary.build({
        fileName: req.fileName, totalFrames: analysed.length, elapsedMs: performance.now() - t0,
        fps: recordedS > 0 ? analysed.length / recordedS : 0,
        width, height, codec, kind: "camera",
        recordingId: rec.recordingId, cancelled: false, blockedRequests: analyzer.blockedRequests,
      }),
      capturedFrames: counts.captured,
      analysedFrames: analysed.length,
      recordedFrames: done.timesUs.length,
      captureFps: recordedS > 0 ? (counts.captured - 1) / recordedS : 0,
      recordedSeconds: recordedS,
      device: track.label,
      videoError,
    },
  };
  if (failure) throw new AnalysisFailure(failure, outcome);
  return outcome;
}
