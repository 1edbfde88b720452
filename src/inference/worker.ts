// The analysis Web Worker: FaceDetector + FaceLandmarker on each transferred VideoFrame, then ids,
// head pose and packing into a FrameResult whose buffers are transferred back. Keeping MediaPipe
// here leaves the notebook page responsive while a clip is analysed.
import { FaceDetector, FaceLandmarker } from "@mediapipe/tasks-vision";
import { FrameResult, resultBuffers } from "../results/types";
import { VISION_WASM } from "./assets";
import { AnalysisOptions, nextTimestampMs, RunningMode } from "./options";
import { emptyDetections, packDetections, packFaces } from "./pack";
import { installNetworkGuard } from "./privacy";
import { FromWorker, ToWorker } from "./protocol";
import { DETECTOR_ENTRY, extractZipEntry } from "./taskBundle";
import { FaceTracker, linkDetectionsToFaces } from "./tracker";
import { provideModuleFactory } from "./wasmLoader";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const blockedRequests = installNetworkGuard(scope as unknown as Parameters<typeof installNetworkGuard>[0]);

let landmarker: FaceLandmarker | undefined;
let detector: FaceDetector | undefined;
let mode: RunningMode = "VIDEO";
let lastTimestampMs: number | undefined;
const tracker = new FaceTracker();

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

async function init(model: ArrayBuffer, options: AnalysisOptions, runningMode: RunningMode): Promise<void> {
  const t0 = performance.now();
  mode = runningMode;
  const bytes = new Uint8Array(model);
  const fileset = { wasmLoaderPath: "", wasmBinaryPath: VISION_WASM.binary };
  const baseOptions = (buffer: Uint8Array) => ({ modelAssetBuffer: buffer, delegate: options.delegate });
  if (options.detector) {
    const detectorModel = await extractZipEntry(bytes, DETECTOR_ENTRY);
    await provideModuleFactory(VISION_WASM.loader);
    detector = await FaceDetector.createFromOptions(fileset, {
      baseOptions: baseOptions(detectorModel), runningMode: mode, minDetectionConfidence: options.minDetectionConfidence,
    });
  }
  await provideModuleFactory(VISION_WASM.loader);
  landmarker = await FaceLandmarker.createFromOptions(fileset, {
    baseOptions: baseOptions(bytes), runningMode: mode, numFaces: options.numFaces,
    minFaceDetectionConfidence: options.minDetectionConfidence,
    minFacePresenceConfidence: options.minPresenceConfidence,
    minTrackingConfidence: options.minTrackingConfidence,
    outputFaceBlendshapes: true, outputFacialTransformationMatrixes: true,
  });
  post({ type: "ready", initMs: performance.now() - t0 });
}

function analyze(msg: Extract<ToWorker, { type: "frame" }>): void {
  const { frame } = msg;
  try {
    if (!landmarker) throw new Error("frame received before the landmarker was ready");
    const width = frame.displayWidth, height = frame.displayHeight;
    const ts = mode === "VIDEO" ? nextTimestampMs(msg.timestampUs, lastTimestampMs) : 0;
    lastTimestampMs = ts;
    const t0 = performance.now();
    const detections = detector
      ? packDetections((mode === "VIDEO" ? detector.detectForVideo(frame, ts) : detector.detect(frame)).detections)
      : emptyDetections();
    const t1 = performance.now();
    const lm = mode === "VIDEO" ? landmarker.detectForVideo(frame, ts) : landmarker.detect(frame);
    const t2 = performance.now();
    frame.close();
    const faces = packFaces(lm);
    faces.ids = tracker.update(faces.boxesNorm, faces.count);
    detections.faceIds = linkDetectionsToFaces(detections.boxesPx, detections.count, faces.boxesNorm, faces.ids,
      faces.count, width, height);
    const result: FrameResult = {
      index: msg.index, timestampUs: msg.timestampUs, width, height, detections, faces,
      timings: { decodeMs: msg.decodeMs, detectorMs: t1 - t0, landmarkerMs: t2 - t1, postMs: performance.now() - t2 },
    };
    post({ type: "result", result }, resultBuffers(result));
  } catch (e) {
    frame.close();
    post({ type: "error", name: (e as Error).name ?? "Error", message: `frame ${msg.index}: ${String((e as Error).message ?? e)}` });
  }
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case "init":
      init(msg.model, msg.options, msg.mode).catch((e: unknown) => {
        post({ type: "error", name: (e as Error).name ?? "Error", message: String((e as Error).message ?? e) });
      });
      break;
    case "frame":
      analyze(msg);
      break;
    case "close":
      // close() makes tasks-vision flush its usage log; the guard turns that into a local failure.
      detector?.close();
      landmarker?.close();
      detector = landmarker = undefined;
      setTimeout(() => post({ type: "closed", blockedRequests: [...blockedRequests] }), 0);
      break;
  }
};
