// Messages between the page (liveSession.ts) and the camera worker (cameraWorker.ts). The worker
// reads the camera, keeps every frame it can in the MP4, and hands the page the frames the analysis
// has room for; the page says when a frame's analysis is done.
import type { GateCounts } from "./frameGate";

export type ToCameraWorker =
  /** `frames` is a MediaStreamTrackProcessor's readable, transferred. `limitUs` 0: no limit. */
  | { type: "start"; frames: ReadableStream<VideoFrame>; limitUs: number; width: number; height: number; fps: number; maxInFlight: number }
  /** One analysed frame's result is in (or failed). */
  | { type: "settled" }
  /** End the recording normally. */
  | { type: "stop" };

export interface CameraFailure {
  code: string;
  message: string;
}

export type FromCameraWorker =
  /** A frame to analyse (owned by the receiver); `index` its frame_idx, `sample` its place in the video. */
  | { type: "frame"; frame: VideoFrame; index: number; sample: number; timestampUs: number }
  | { type: "progress"; counts: GateCounts; lastUs: number }
  | {
    type: "done"; counts: GateCounts; lastUs: number; error: CameraFailure | null;
    /** The recording, or null with the reason in videoError. */
    mp4: ArrayBuffer | null; codec: string; timesUs: number[]; videoError: string | null;
  };
