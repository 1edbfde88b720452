// The page side of `python -m facescope analyze`: fetch the clip and model from the local server
// that Python runs, analyse with the same `analyzeClip` the widget uses, and hand back the results
// (codec messages, as they are committed) and the finished recording (one .rrd file) as browser downloads of blob: URLs, which Playwright saves for Python. Measured in headless Chromium
// with the network guard's route active, for 32 MB: POST 7–15 MB/s (the interception reads every
// request body), evaluate with base64 16 MB/s, downloads ~200 MB/s. Only the reply returns as JSON.
import { AnalysisFailure, analyzeClip } from "../analysis/session";
import type { ClipOptions } from "../options";
import type { AnalysisSummary } from "../analysis/summary";
import type { Progress } from "../inference/pipeline";
import type { FrameResult } from "../results/types";
import type { MemorySink } from "../rerun";
import { encodeResults, splitForMessages } from "../sync/codec";

export interface HeadlessRequest {
  /** Base URL of the local server (ends in "/"), which serves `clip` and `model`. */
  serverUrl: string;
  fileName: string;
  /** Python's options, by their TS names (facescope/options.py); checked again by analyzeClip. */
  options?: Partial<ClipOptions>;
  /** Keep the analysis workers for the next clip (a warm session analyses clip after clip). */
  keepWorkers?: boolean;
  onProgress?(progress: Progress): void;
  onPhase?(phase: string): void;
}

export interface TransferStats {
  /** Results messages and recording files handed over. */
  messages: number;
  recordingParts: number;
  bytes: number;
  /** Time spent encoding results messages, ms. */
  encodeMs: number;
}

export interface HeadlessReply {
  ok: boolean;
  summary: AnalysisSummary | null;
  error: { name: string; code?: string; message: string } | null;
  transfer: TransferStats;
  /** When the run passed each of its moments (clip_loaded, models_ready, first_frame, last_frame,
   * recording_finished), epoch ms, the clock Python's `time.time()` reads (facescope/_phases.py). */
  marks: Record<string, number>;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Hands bytes to Python as a download named `name`; Python files it by that name. */
function download(name: string, body: Uint8Array): void {
  const a = document.createElement("a");
  // Never revoked: the page is closed right after the run, and revoking early can cancel a download.
  a.href = URL.createObjectURL(new Blob([body as BlobPart], { type: "application/octet-stream" }));
  a.download = name;
  a.click();
}

/** Progress reports ≤ 5 a second (and the last one): each is a round trip to Python over the
 * DevTools pipe that wakes the driver, once per frame otherwise. */
export const PROGRESS_INTERVAL_MS = 200;

export function throttled(onProgress: ((p: Progress) => void) | undefined, now = () => performance.now()): ((p: Progress) => void) | undefined {
  if (!onProgress) return undefined;
  let last = -Infinity;
  return (p) => {
    const t = now();
    if (t - last < PROGRESS_INTERVAL_MS && p.done !== p.total) return;
    last = t;
    onProgress(p);
  };
}

export async function runHeadless(req: HeadlessRequest): Promise<HeadlessReply> {
  const transfer: TransferStats = { messages: 0, recordingParts: 0, bytes: 0, encodeMs: 0 };
  const sendResults = (batch: FrameResult[]) => {
    for (const group of splitForMessages(batch)) {
      const t = performance.now();
      const message = encodeResults(group, { seq: transfer.messages });
      transfer.encodeMs += performance.now() - t;
      transfer.bytes += message.length;
      download(`results-${transfer.messages++}.fscr`, message);
    }
  };
  const sendRecording = (recording: MemorySink) => {
    const file = recording.bytes();
    transfer.bytes += file.length;
    download(`recording-${transfer.recordingParts++}.rrd`, file);
  };
  const marks: Record<string, number> = {};
  const mark = (name: string) => { marks[name] ??= performance.timeOrigin + performance.now(); };
  let summary: AnalysisSummary | null = null;
  let error: HeadlessReply["error"] = null;
  try {
    req.onPhase?.("Loading the clip and the model");
    const [clip, model] = await Promise.all([fetchBytes(`${req.serverUrl}clip`), fetchBytes(`${req.serverUrl}model`)]);
    mark("clip_loaded");
    const outcome = await analyzeClip({
      clip, model, fileName: req.fileName, options: req.options, keepWorkers: req.keepWorkers,
      onResults: sendResults, onProgress: throttled(req.onProgress), onPhase: req.onPhase, onMark: mark,
    });
    summary = outcome.summary;
    sendRecording(outcome.recording);
    mark("recording_finished");
  } catch (e) {
    // A failure midway keeps what was done: its results have gone back already; the summary and
    // the partial recording follow.
    const cause = e instanceof AnalysisFailure ? e.cause : e;
    if (e instanceof AnalysisFailure && e.outcome) {
      summary = e.outcome.summary;
      sendRecording(e.outcome.recording);
    }
    const err = cause as Error & { code?: string };
    error = { name: err?.name ?? "Error", code: err?.code, message: err?.message ?? String(cause) };
  }
  return { ok: error === null, summary, error, transfer, marks };
}
