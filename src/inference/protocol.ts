// Messages between the page (FaceAnalyzer) and the analysis worker.
import { FrameResult } from "../results/types";
import { AnalysisOptions, RunningMode } from "./options";

export type ToWorker =
  | { type: "init"; model: ArrayBuffer; options: AnalysisOptions; mode: RunningMode }
  /** The frame is transferred; the worker closes it right after inference. */
  | { type: "frame"; frame: VideoFrame; index: number; timestampUs: number; decodeMs: number }
  | { type: "close" };

export type FromWorker =
  | { type: "ready"; initMs: number }
  | { type: "result"; result: FrameResult }
  | { type: "error"; name: string; message: string }
  | { type: "closed"; blockedRequests: string[] };
