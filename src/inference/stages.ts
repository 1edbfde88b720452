// The MediaPipe tasks of one worker, created from the .task bundle and run on one frame at a time.
// Kept apart from the message loop (worker.ts) so the loop knows nothing about MediaPipe's API.
import { FaceDetector, FaceLandmarker } from "@mediapipe/tasks-vision";
import { DETECTOR_LONG_SIDE, detectorInputSize, isSampledFormat, lumaWeights, sampleRgba, scaleBoxes, type Size } from "./detectorInput";
import { type AnalysisOptions, nextTimestampMs, type RunningMode } from "./options";
import { packDetections, packFaces } from "./pack";
import type { PartialResult, Stage, Tuning, VisionWasm } from "./protocol";
import { DETECTOR_ENTRY, extractZipEntry } from "./taskBundle";
import { provideModuleFactory } from "./wasmLoader";

export class WorkerStages {
  private lastTimestampMs: number | undefined;
  private copyBuffer = new Uint8Array(0);
  private rgbaBuffer = new Uint8ClampedArray(0);

  private constructor(private readonly mode: RunningMode, private readonly tuning: Tuning,
    private detector?: FaceDetector, private landmarker?: FaceLandmarker) {}

  static async create(model: Uint8Array, wasm: VisionWasm, options: AnalysisOptions, mode: RunningMode, stages: Stage[],
    tuning: Partial<Tuning> = {}): Promise<WorkerStages> {
    const fileset = { wasmLoaderPath: "", wasmBinaryPath: wasm.binary };
    const baseOptions = (buffer: Uint8Array) => ({ modelAssetBuffer: buffer, delegate: options.delegate === "GPU" ? "GPU" as const : "CPU" as const });
    let detector: FaceDetector | undefined;
    let landmarker: FaceLandmarker | undefined;
    if (stages.includes("detector")) {
      const detectorModel = await extractZipEntry(model, DETECTOR_ENTRY);
      await provideModuleFactory(wasm.loader);
      detector = await FaceDetector.createFromOptions(fileset, {
        baseOptions: baseOptions(detectorModel), runningMode: mode, minDetectionConfidence: options.minDetectionConfidence,
      });
    }
    if (stages.includes("landmarker")) {
      await provideModuleFactory(wasm.loader);
      landmarker = await FaceLandmarker.createFromOptions(fileset, {
        baseOptions: baseOptions(model), runningMode: mode, numFaces: options.numFaces,
        minFaceDetectionConfidence: options.minDetectionConfidence,
        minFacePresenceConfidence: options.minPresenceConfidence,
        minTrackingConfidence: options.minTrackingConfidence,
        outputFaceBlendshapes: true, outputFacialTransformationMatrixes: true,
      });
    }
    const tuned: Tuning = {
      detectorLongSide: tuning.detectorLongSide ?? DETECTOR_LONG_SIDE,
      rgbaCopies: tuning.rgbaCopies ?? true,
    };
    return new WorkerStages(mode, tuned, detector, landmarker);
  }

  /**
   * The detector's downsampled RGBA copy of the frame (detectorInput.ts), or undefined when the
   * frame is small already or its pixel format is one we do not sample (then the frame goes as is).
   */
  private async detectorImage(frame: VideoFrame): Promise<{ image: ImageData; size: Size } | undefined> {
    const long = this.tuning.detectorLongSide;
    const w = frame.displayWidth, h = frame.displayHeight;
    // Up to twice the long side, sampling costs about what the smaller upload saves (640×360:
    // 1.9 ms sampling + 5.3 ms call against 5.7 ms for the full RGBA copy and call), and the full
    // frame keeps the boxes' 1-pixel precision.
    const size = long > 0 && Math.max(w, h) > 2 * long ? detectorInputSize(w, h, long) : null;
    const format = frame.format;
    const rect = frame.visibleRect;
    if (!size || !isSampledFormat(format) || !rect) return undefined;
    const bytes = frame.allocationSize();
    if (this.copyBuffer.length < bytes) this.copyBuffer = new Uint8Array(bytes);
    const planes = await frame.copyTo(this.copyBuffer);
    const { kr, kb } = lumaWeights(frame.colorSpace?.matrix);
    const rgba = sampleRgba({ format, data: this.copyBuffer, planes, width: rect.width, height: rect.height, kr, kb,
      fullRange: frame.colorSpace?.fullRange ?? false }, size);
    return { image: new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, size.width, size.height), size };
  }

  /**
   * The frame as RGBA ImageData (Chromium's own YUV → RGB, the one texImage2D applies to a
   * VideoFrame), or the frame itself when copies are off or the format cannot be converted. In
   * software GL (headless Chromium) uploading ImageData costs far less than uploading a VideoFrame
   * (1280×720: ~3 ms copy + upload against ~10 ms). The buffer is reused: MediaPipe uploads it
   * during the call.
   */
  private async rgbaImage(frame: VideoFrame): Promise<TexImageSource> {
    const width = frame.displayWidth, height = frame.displayHeight;
    const rect = frame.visibleRect;
    if (!this.tuning.rgbaCopies || frame.format === null || !rect || rect.width !== width || rect.height !== height) return frame;
    const options: VideoFrameCopyToOptions = { format: "RGBA", colorSpace: "srgb" };
    try {
      const bytes = frame.allocationSize(options);
      if (bytes !== width * height * 4) return frame;
      if (this.rgbaBuffer.length !== bytes) this.rgbaBuffer = new Uint8ClampedArray(bytes);
      await frame.copyTo(this.rgbaBuffer, options);
    } catch {
      return frame; // a format Chromium cannot convert: let MediaPipe take the frame
    }
    return new ImageData(this.rgbaBuffer as Uint8ClampedArray<ArrayBuffer>, width, height);
  }

  /** Runs this worker's tasks on the frame (it does not close it). Calls must not overlap. */
  async run(frame: VideoFrame, index: number, timestampUs: number): Promise<PartialResult> {
    const width = frame.displayWidth, height = frame.displayHeight;
    // Every task instance keeps its own VIDEO-mode clock; the same timestamps go to all of them.
    const ts = this.mode === "VIDEO" ? nextTimestampMs(timestampUs, this.lastTimestampMs) : 0;
    this.lastTimestampMs = ts;
    const out: PartialResult = { index, width, height, postMs: 0 };
    if (this.detector) {
      const t0 = performance.now();
      const small = await this.detectorImage(frame);
      const image = small?.image ?? await this.rgbaImage(frame);
      const res = this.mode === "VIDEO" ? this.detector.detectForVideo(image, ts) : this.detector.detect(image);
      const t1 = performance.now();
      out.detections = packDetections(res.detections);
      if (small) scaleBoxes(out.detections.boxesPx, small.size, { width, height });
      out.detectorMs = t1 - t0; // the downsampling included
      out.postMs += performance.now() - t1;
    }
    if (this.landmarker) {
      const t0 = performance.now();
      const image = await this.rgbaImage(frame);
      const res = this.mode === "VIDEO" ? this.landmarker.detectForVideo(image, ts) : this.landmarker.detect(image);
      const t1 = performance.now();
      out.faces = packFaces(res); // ids: the page's tracker, which sees every frame in order
      out.landmarkerMs = t1 - t0;
      out.postMs += performance.now() - t1;
    }
    return out;
  }

  /**
   * A fresh start for the next clip without loading anything again: setOptions, even with nothing
   * new, makes tasks-vision rebuild the task's graph (tracking, smoothing and the timestamp floor
   * start afresh), while the wasm module and the model stay loaded.
   */
  async reset(): Promise<void> {
    await this.detector?.setOptions({});
    await this.landmarker?.setOptions({});
    this.lastTimestampMs = undefined;
  }

  close(): void {
    this.detector?.close();
    this.landmarker?.close();
    this.detector = this.landmarker = undefined;
  }
}
