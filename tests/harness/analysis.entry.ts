// Test page for tests/analysis: runs the real video → inference pipeline on a clip fetched from
// the test server and returns a compact JSON digest for pytest to assert on. No expectations live
// here; the page only measures.
import { BLENDSHAPE_NAMES } from "../../src/results/blendshapes";
import { FrameResult, NUM_BLENDSHAPES, NUM_LANDMARKS } from "../../src/results/types";
import { FaceAnalyzer } from "../../src/inference/analyzer";
import { AnalysisOptions } from "../../src/inference/options";
import { runAnalysis } from "../../src/inference/pipeline";
import { openVideo } from "../../src/video/source";

interface RunRequest {
  clipUrl: string;
  modelUrl: string;
  options?: Partial<AnalysisOptions>;
  maxDim?: number;
  maxFrame?: number;
  /** Keep full per-face blendshape rows (52 numbers) in the digest. */
  withBlendshapes?: boolean;
}

function frameDigest(r: FrameResult, withBlendshapes: boolean) {
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
      keypointValues: r.detections.keypointsNorm.filter(Number.isFinite).length },
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
    const clip = new Uint8Array(await (await fetch(req.clipUrl)).arrayBuffer());
    const model = new Uint8Array(await (await fetch(req.modelUrl)).arrayBuffer());
    const fileName = req.clipUrl.split("/").pop();
    const source = await openVideo(clip, { maxDim: req.maxDim, maxFrame: req.maxFrame, fileName });
    analyzer = await FaceAnalyzer.create(model, req.options ?? {}, source.kind === "image" ? "IMAGE" : "VIDEO");
    const summary = await runAnalysis(source, analyzer, { onResult: (r) => frames.push(frameDigest(r, req.withBlendshapes === true)) });
    await analyzer.close();
    const sourceInfo = { kind: source.kind, codec: source.codec, width: source.width, height: source.height,
      rotation: source.rotation, frameCount: source.frameCount, durationUs: source.durationUs };
    return { ok: true, source: sourceInfo, summary, initMs: analyzer.initMs, frames,
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
