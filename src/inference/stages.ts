// The MediaPipe tasks of one worker, created from the .task bundle and run on one frame at a time.
// Kept apart from the message loop (worker.ts) so the loop knows nothing about MediaPipe's API.
import { FaceDetector, FaceLandmarker } from "@mediapipe/tasks-vision";
import { VISION_WASM } from "./assets";
import { AnalysisOptions, nextTimestampMs, RunningMode } from "./options";
import { packDetections, packFaces } from "./pack";
import { PartialResult, Stage } from "./protocol";
import { DETECTOR_ENTRY, extractZipEntry } from "./taskBundle";
import { FaceTracker } from "./tracker";
import { provideModuleFactory } from "./wasmLoader";

export class WorkerStages {
  private lastTimestampMs: number | undefined;
  private readonly tracker = new FaceTracker();

  private constructor(private readonly mode: RunningMode, private detector?: FaceDetector,
    private landmarker?: FaceLandmarker) {}

  static async create(model: Uint8Array, options: AnalysisOptions, mode: RunningMode, stages: Stage[]): Promise<WorkerStages> {
    const fileset = { wasmLoaderPath: "", wasmBinaryPath: VISION_WASM.binary };
    const baseOptions = (buffer: Uint8Array) => ({ modelAssetBuffer: buffer, delegate: options.delegate });
    let detector: FaceDetector | undefined;
    let landmarker: FaceLandmarker | undefined;
    if (stages.includes("detector")) {
      const detectorModel = await extractZipEntry(model, DETECTOR_ENTRY);
      await provideModuleFactory(VISION_WASM.loader);
      detector = await FaceDetector.createFromOptions(fileset, {
        baseOptions: baseOptions(detectorModel), runningMode: mode, minDetectionConfidence: options.minDetectionConfidence,
      });
    }
    if (stages.includes("landmarker")) {
      await provideModuleFactory(VISION_WASM.loader);
      landmarker = await FaceLandmarker.createFromOptions(fileset, {
        baseOptions: baseOptions(model), runningMode: mode, numFaces: options.numFaces,
        minFaceDetectionConfidence: options.minDetectionConfidence,
        minFacePresenceConfidence: options.minPresenceConfidence,
        minTrackingConfidence: options.minTrackingConfidence,
        outputFaceBlendshapes: true, outputFacialTransformationMatrixes: true,
      });
    }
    return new WorkerStages(mode, detector, landmarker);
  }

  /** Runs this worker's tasks on the frame (it does not close it). */
  run(frame: VideoFrame, index: number, timestampUs: number): PartialResult {
    const width = frame.displayWidth, height = frame.displayHeight;
    // Every task instance keeps its own VIDEO-mode clock; the same timestamps go to all of them.
    const ts = this.mode === "VIDEO" ? nextTimestampMs(timestampUs, this.lastTimestampMs) : 0;
    this.lastTimestampMs = ts;
    const out: PartialResult = { index, width, height, postMs: 0 };
    if (this.detector) {
      const t0 = performance.now();
      const res = this.mode === "VIDEO" ? this.detector.detectForVideo(frame, ts) : this.detector.detect(frame);
      const t1 = performance.now();
      out.detections = packDetections(res.detections);
      out.detectorMs = t1 - t0;
      out.postMs += performance.now() - t1;
    }
    if (this.landmarker) {
      const t0 = performance.now();
      const res = this.mode === "VIDEO" ? this.landmarker.detectForVideo(frame, ts) : this.landmarker.detect(frame);
      const t1 = performance.now();
      const faces = packFaces(res);
      faces.ids = this.tracker.update(faces.boxesNorm, faces.count);
      out.faces = faces;
      out.landmarkerMs = t1 - t0;
      out.postMs += performance.now() - t1;
    }
    return out;
  }

  close(): void {
    this.detector?.close();
    this.landmarker?.close();
    this.detector = this.landmarker = undefined;
  }
}
