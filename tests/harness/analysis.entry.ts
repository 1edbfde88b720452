// Test page for tests/analysis: runs the real video → inference pipeline on a clip fetched from
// the test server and returns a compact JSON digest for pytest to assert on. No expectations live
// here; the page only measures.
import { BLENDSHAPE_NAMES } from "../../src/results/blendshapes";
import { type FrameResult, NUM_BLENDSHAPES, NUM_LANDMARKS } from "../../src/results/types";
import { FaceAnalyzer } from "../../src/inference/analyzer";
import type { AnalysisOptions } from "../../src/inference/options";
import type { Tuning } from "../../src/inference/protocol";
import { runAnalysis } from "../../src/inference/pipeline";
import { openVideo, type VideoSource } from "../../src/video/source";
import { exportingRgba } from "./rgbaSource";
import { createSceneStage } from "./sceneStage";

interface RunRequest {
  clipUrl: string;
  modelUrl: string;
  options?: Partial<AnalysisOptions>;
  maxDim?: number;
  maxFrame?: number;
  /** Keep full per-face blendshape rows (52 numbers) in the digest. */
  withBlendshapes?: boolean;
  /** Keep all 478 × 3 normalised landmarks per face in the digest. */
  withLandmarks?: boolean;
  /** Analyse RGBA copies of the decoded frames and POST their bytes to this URL prefix (fidelity suite). */
  exportRgbaUrl?: string;
  /** Pretend the machine has this many cores (benchmarks compare the one- and two-worker plans). */
  cores?: number;
  /** Internal knobs (benchmarks compare them with the defaults). */
  tuning?: Partial<Tuning>;
  /** Frames in flight between the page and the workers (runAnalysis's default when left out). */
  maxInFlight?: number;
  /** Keep detector boxes (px) and keypoints (normalised) in the digest. */
  withDetections?: boolean;
  /** Run the scene + recording stage after inference (default true). */
  scene?: boolean;
}

function frameDigest(r: FrameResult, withBlendshapes: boolean, withLandmarks: boolean, withDetections: boolean) {
  const f = r.faces;
  const faces = Array.from({ length: f.count }, (_, i) => {
    const lm = f.landmarksNorm.subarray(i * NUM_LANDMARKS * 3, (i + 1) * NUM_LANDMARKS * 3);
    const bs = f.blendshapes.subarray(i * NUM_BLENDSHAPES, (i + 1) * NUM_BLENDSHAPES);
    const finite = lm.every(Number.isFinite);
    return {
      id: f.ids[i],
      landmarkValues: lm.length,
      landmarksFinite: finite,
      blendshapeValues: bs.filter(Number.isFinite).length,
      blendshapes: withBlendshapes ? Array.from(bs) : undefined,
      landmarks: withLandmarks ? Array.from(lm) : undefined,
      eyeBlinkLeft: bs[BLENDSHAPE_NAMES.indexOf("eyeBlinkLeft")],
      eyeBlinkRight: bs[BLENDSHAPE_NAMES.indexOf("eyeBlinkRight")],
      jawOpen: bs[BLENDSHAPE_NAMES.indexOf("jawOpen")],
      headPose: Array.from(f.headPoseDeg.subarray(i * 3, i * 3 + 3)),
      matrix: Array.from(f.matrices.subarray(i * 16, i * 16 + 16)),
      box: Array.from(f.boxesNorm.subarray(i * 4, i * 4 + 4)),
    };
  });
  return {
    index: r.index, timestampUs: r.timestampUs, width: r.width, height: r.height, faces,
    detections: { count: r.detections.count, scores: Array.from(r.detections.scores), faceIds: Array.from(r.detections.faceIds),
      keypointValues: r.detections.keypointsNorm.filter(Number.isFinite).length,
      boxesPx: withDetections ? Array.from(r.detections.boxesPx) : undefined,
      keypointsNorm: withDetections ? Array.from(r.detections.keypointsNorm) : undefined },
    timings: r.timings,
  };
}

async function run(req: RunRequest) {
  // A 10 ms ticker measures how long the page's main thread is ever blocked during the run.
  let last = performance.now();
  let maxStallMs = 0;
  const ticker = setInterval(() => { const now = performance.now(); maxStallMs = Math.max(maxStallMs, now - last); last = now; }, 10);
  const frames: ReturnType<typeof frameDigest>[] = [];
  let analyzer: FaceAnalyzer | undefined;
  try {
    if (req.cores !== undefined) {
      const cores = req.cores;
      Object.defineProperty(navigator, "hardwareConcurrency", { configurable: true, get: () => cores });
    }
    const tStart = performance.now();
    const clip = new Uint8Array(await (await fetch(req.clipUrl)).arrayBuffer());
    const model = new Uint8Array(await (await fetch(req.modelUrl)).arrayBuffer());
    const fileName = req.clipUrl.split("/").pop();
    const opened = await openVideo(clip, { maxDim: req.maxDim, maxFrames: req.maxFrame, fileName });
    const source: VideoSource = req.exportRgbaUrl ? exportingRgba(opened, req.exportRgbaUrl) : opened;
    analyzer = await FaceAnalyzer.create(model, req.options ?? {}, source.kind === "image" ? "IMAGE" : "VIDEO", req.tuning);
    let sceneMs = 0;
    const tScene = performance.now();
    const scene = req.scene === false ? undefined : await createSceneStage(opened, clip, fileName);
    sceneMs += performance.now() - tScene;
    const startMs = performance.now() - tStart; // fetching the clip and model, opening it, starting MediaPipe
    const summary = await runAnalysis(source, analyzer, {
      maxInFlight: req.maxInFlight,
      onResult: (r) => {
        if (scene) { const t = performance.now(); scene.frame(r); sceneMs += performance.now() - t; }
        frames.push(frameDigest(r, req.withBlendshapes === true, req.withLandmarks === true, req.withDetections === true));
      },
    });
    const tWrite = performance.now();
    const recordingBytes = scene ? await scene.finish() : null;
    const writeMs = scene ? performance.now() - tWrite : null;
    const totalMs = performance.now() - tStart;
    await analyzer.close();
    const sourceInfo = { kind: source.kind, codec: source.codec, width: source.width, height: source.height,
      rotation: source.rotation, frameCount: source.frameCount, durationUs: source.durationUs };
    const stage = scene ? { sceneMs, writeMs, recordingBytes } : { sceneMs: null, writeMs: null, recordingBytes: null };
    return { ok: true, source: sourceInfo, summary, initMs: analyzer.initMs, startMs, totalMs, ...stage, frames,
      blockedRequests: analyzer.blockedRequests, maxStallMs };
  } catch (e) {
    await analyzer?.close();
    const err = e as Error & { code?: string };
    return { ok: false, error: { name: err.name, code: err.code, message: err.message }, frames, maxStallMs };
  } finally {
    clearInterval(ticker);
  }
}

(window as unknown as { facescopeAnalysis: unknown }).facescopeAnalysis = { run, ready: true };
