// The widget's custom messages between its views (browser) and the kernel. The Python twin is
// facescope/_sync.py (same `type` strings and field names). Binary payloads ride as message
// buffers, never in synced traits (traits are saved into the notebook).
//
// A "run" is one analysis of one clip by one view. Its results and recording travel as numbered
// parts; the kernel acknowledges each, asks again for any missing once the run has ended, and
// says when it holds everything. Views identify themselves so the kernel can hand a clip to one
// view only and rebuild the viewer of a view that appears later (re-display, page reload).

// Message sizes, one per direction, are src/limits.ts's: a results part (a codec message), a
// recording part (a slice of the RRD stream) and a whole message all stay within
// TO_KERNEL_MESSAGE_BYTES; the kernel's chunks within TO_BROWSER_MESSAGE_BYTES.

export type PartKind = "results" | "recording";

export interface RunError {
  /** The video error code (`truncated`, `unsupported-codec` …) or the error's name. */
  code: string;
  message: string;
}

// Browser → kernel.
export interface Hello {
  type: "hello";
  view: string;
  /** The run this view's viewer shows, if any: the kernel restores a different one it holds. */
  shows: string | null;
}
/** A view was rendered; its viewer is still loading (a Hello follows once it is ready). */
export interface ViewOpen { type: "view-open"; view: string }
export interface Pong { type: "pong"; view: string }
/** A view asks whether its kernel (and this widget's comm in it) still exists. */
export interface KernelPing { type: "kernel-ping"; view: string; id: number }
export interface ClipRequest { type: "clip-request"; view: string }
export interface RunStart {
  type: "run-start";
  run: string;
  view: string;
  fileName: string;
  /** The kernel's clip serial when the clip came from Python, else null (dropped or picked). */
  serial: number | null;
}
/** One part of a run; its bytes are the message buffer at the same position. */
export interface PartHeader {
  seq: number;
  kind: PartKind;
  /** For recording parts: where the slice starts in the run's RRD stream. */
  offset?: number;
}
/** Parts travel several to a message when they queue up (a full window): per-message costs in
 * the server and kernel, not bytes, bound a long run's transfer otherwise. */
export interface RunParts {
  type: "run-parts";
  run: string;
  parts: PartHeader[];
}
export interface RunEnd {
  type: "run-end";
  run: string;
  /** How many parts the run sent (seq 0 … parts-1). */
  parts: number;
  summary: unknown;
  error: RunError | null;
  cancelled: boolean;
}
export type ToKernel = ViewOpen | Hello | Pong | KernelPing | ClipRequest | RunStart | RunParts | RunEnd | { type: "model-request" };

// Kernel → browser.
export interface RunAck { type: "run-ack"; run: string; seqs: number[] }
export interface RunResend { type: "run-resend"; run: string; seqs: number[] }
export interface RunComplete { type: "run-complete"; run: string }
export interface Ping { type: "ping"; view: string }
export interface KernelPong { type: "kernel-pong"; view: string; id: number }
/** The kernel holds a finished run no view analysed (results shown from Python): views may ask for it. */
export interface RunOffer { type: "run-offer"; run: string }
export interface RestoreChunk {
  type: "restore";
  /** The view whose viewer is rebuilt. */
  to: string;
  run: string;
  index: number;
  count: number;
  size: number;
}
export type FromKernel = RunAck | RunResend | RunComplete | Ping | KernelPong | RestoreChunk | RunOffer;

/** A random id for a view or a run (no need for crypto strength, only uniqueness). */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
