// The camera worker: reads camera frames, copies each at once (camera buffers come from a small
// pool), records every frame the encoder can take into an MP4 and passes to the page the frames
// the analysis has room for (frameGate.ts). Off the main thread, so the recording runs at the
// camera's rate even while the page is busy (the Rerun viewer ingesting an update can hold the main
// thread for seconds in software GL): a busy page only means fewer frames analysed.
import { FrameGate } from "./frameGate";
import { cameraEndedError, CameraError, copyFrame } from "./camera";
import type { CameraFailure, FromCameraWorker, ToCameraWorker } from "./cameraProtocol";
import { Mp4Recorder, type RecordedVideo } from "./recorder";

/** A camera that delivers no frame for this long counts as gone. */
const NO_FRAME_TIMEOUT_MS = 10_000;
/** Progress messages at most this often. */
const PROGRESS_EVERY_MS = 200;

const scope = self as unknown as DedicatedWorkerGlobalScope;
let gate: FrameGate | null = null;
let stopping: (() => void) | null = null;
let stopRequested = false;

function post(msg: FromCameraWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

function failure(e: unknown): CameraFailure {
  const code = e instanceof CameraError ? e.code : "camera-failed";
  return { code, message: e instanceof Error ? e.message : String(e) };
}

async function record(start: Extract<ToCameraWorker, { type: "start" }>): Promise<void> {
  gate = new FrameGate(start.maxInFlight);
  const g = gate;
  const recorder = await Mp4Recorder.create(start.width, start.height, start.fps).catch(() => null);
  const reader = start.frames.getReader();
  let stopped = false;
  let error: unknown = null;
  stopping = () => {
    stopped = true;
    void reader.cancel().catch(() => undefined);
  };
  if (stopRequested) stopping(); // Stop pressed while the encoder was being set up
  let watchdog = setTimeout(() => {
    error ??= new CameraError("camera-ended", `The camera delivered no picture for ${NO_FRAME_TIMEOUT_MS / 1000} s.`);
    stopping?.();
  }, NO_FRAME_TIMEOUT_MS);
  let firstUs: number | null = null;
  let lastUs = 0;
  let lastProgress = 0;
  try {
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done || !frame) {
        if (!stopped) error ??= cameraEndedError();
        break;
      }
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        error ??= new CameraError("camera-ended", `The camera stopped delivering pictures for ${NO_FRAME_TIMEOUT_MS / 1000} s.`);
        stopping?.();
      }, NO_FRAME_TIMEOUT_MS);
      firstUs ??= frame.timestamp;
      const ts = frame.timestamp - firstUs; // from 0: the video's sample times and the analysis timeline agree
      if (stopped || (start.limitUs > 0 && ts >= start.limitUs)) {
        frame.close();
        break;
      }
      lastUs = ts;
      const decision = g.offer(recorder && !recorder.error ? recorder.queueSize : null);
      if (decision === "drop") {
        frame.close();
      } else {
        let copy: VideoFrame;
        try {
          copy = await copyFrame(frame, ts);
        } finally {
          frame.close();
        }
        recorder?.encode(copy);
        if (decision === "analyse") {
          post({ type: "frame", frame: copy, index: g.counts.admitted - 1, sample: g.counts.encoded - 1, timestampUs: ts },
            [copy as unknown as Transferable]);
        } else {
          copy.close();
        }
      }
      if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = performance.now();
        post({ type: "progress", counts: { ...g.counts }, lastUs });
      }
    }
  } catch (e) {
    error ??= e;
  } finally {
    clearTimeout(watchdog);
    void reader.cancel().catch(() => undefined);
  }
  let video: RecordedVideo | null = null;
  let videoError = recorder ? null : "this browser can encode neither H.264 nor VP9, so the video is not kept";
  try {
    video = recorder ? await recorder.finish() : null;
    if (recorder?.error) videoError = recorder.error.message;
  } catch (e) {
    videoError = `the video could not be written: ${String(e)}`;
  }
  const mp4 = video ? (video.mp4.buffer as ArrayBuffer) : null;
  post({
    type: "done", counts: { ...g.counts }, lastUs, error: error ? failure(error) : null,
    mp4, codec: video?.codec ?? "", timesUs: video?.timesUs ?? [], videoError,
  }, mp4 ? [mp4] : []);
}

scope.onmessage = (event: MessageEvent<ToCameraWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case "start":
      void record(msg);
      break;
    case "settled":
      if (gate && gate.inFlight > 0) gate.settled();
      break;
    case "stop":
      stopRequested = true;
      stopping?.();
      break;
  }
};
