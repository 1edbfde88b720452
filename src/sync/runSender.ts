// Sends one run's results and recording to the kernel as numbered parts, keeps every part until
// the kernel acknowledges it, and sends it again when no acknowledgement comes (a busy kernel
// reads its messages late; a lost one never arrives). The kernel drops parts it already holds.
// A window bounds the bytes in flight: without it a long run queues hundreds of MB in the
// websocket, acknowledgements come later than any timeout, and resends double the traffic.
import type { FrameResult } from "../results/types";
// The framing module alone: the writer (and apache-arrow) stay out of views that only forward bytes.
import { streamContinuation } from "../rerun/codec/framing";
import { encodeResults, splitForMessages } from "./codec";
import {
  RECORDING_PART_BYTES, RESULTS_PART_BYTES, type FromKernel, type RunEnd, type RunError, type RunPart,
  type RunStart, type ToKernel,
} from "./protocol";

export type SendToKernel = (content: ToKernel, buffers?: ArrayBufferView[]) => void;

export interface RunSenderOptions {
  /** First resend of an unacknowledged part after this long; each further try waits twice as long. */
  resendAfterMs?: number;
  maxResendAfterMs?: number;
  tickMs?: number;
  /** Parts wait in the browser while this many bytes are sent and not yet acknowledged. */
  maxUnackedBytes?: number;
  now?(): number;
}

export interface RunStats {
  parts: number;
  bytes: number;
  resent: number;
  /** Bytes sent but not yet acknowledged. */
  unacked: number;
}

interface Pending {
  content: RunPart | RunEnd;
  bytes: Uint8Array | null;
  sentAt: number;
  tries: number;
}

const END = -1; // the run-end message waits for the kernel's confirmation like a part

export class RunSender {
  readonly stats: RunStats = { parts: 0, bytes: 0, resent: 0, unacked: 0 };
  /** Resolves when the kernel holds every part of the run. */
  readonly completed: Promise<void>;
  #complete!: () => void;
  #pending = new Map<number, Pending>();
  /** Parts not sent yet because the window is full, in order. */
  #waiting: Array<{ content: RunPart; bytes: Uint8Array }> = [];
  #endWaiting: RunEnd | null = null;
  #recordingBytes = 0;
  #ended = false;
  #done = false;
  /** Disposed (the view went away, or its kernel did): nothing more is sent. */
  #disposed = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #opts: Required<RunSenderOptions>;

  constructor(private readonly send: SendToKernel, readonly start: RunStart, options: RunSenderOptions = {}) {
    this.#opts = {
      resendAfterMs: 5000, maxResendAfterMs: 60_000, tickMs: 1000, maxUnackedBytes: 32 * 1024 * 1024,
      now: () => performance.now(), ...options,
    };
    this.completed = new Promise((resolve) => (this.#complete = resolve));
    send(start);
    this.#timer = setInterval(() => this.#resendOverdue(), this.#opts.tickMs);
  }

  get run(): string {
    return this.start.run;
  }

  get isComplete(): boolean {
    return this.#done;
  }

  /** Results in frame order, as the analysis commits them. */
  results(batch: readonly FrameResult[]): void {
    for (const group of splitForMessages(batch, RESULTS_PART_BYTES)) {
      const seq = this.stats.parts;
      this.#part({ type: "run-part", run: this.run, seq, kind: "results" }, encodeResults(group, { run: this.run, seq }));
    }
  }

  /** One complete RRD stream as the recording flushes it; the kernel keeps them as one stream. */
  recording(stream: Uint8Array): void {
    const body = this.#recordingBytes === 0 ? stream : streamContinuation(stream);
    for (let at = 0; at < body.length; at += RECORDING_PART_BYTES) {
      const slice = body.subarray(at, at + RECORDING_PART_BYTES);
      this.#part({ type: "run-part", run: this.run, seq: this.stats.parts, kind: "recording", offset: this.#recordingBytes }, slice);
      this.#recordingBytes += slice.length;
    }
  }

  /** The run is over (finished, cancelled or failed): no part follows. */
  end(outcome: { summary: unknown; error: RunError | null; cancelled: boolean }): void {
    if (this.#ended) return;
    this.#ended = true;
    const content: RunEnd = { type: "run-end", run: this.run, parts: this.stats.parts, ...outcome };
    // After every part has gone: the kernel asks again for whatever it lacks once the run has ended.
    if (this.#waiting.length) this.#endWaiting = content;
    else this.#sendEnd(content);
  }

  #sendEnd(content: RunEnd): void {
    if (this.#disposed) return;
    this.#pending.set(END, { content, bytes: null, sentAt: this.#opts.now(), tries: 0 });
    this.send(content);
  }

  /** Handles a kernel message; returns whether it concerned this run. */
  handle(message: FromKernel): boolean {
    if (!("run" in message) || message.run !== this.run || this.#done || this.#disposed) return false;
    if (message.type === "run-ack") {
      for (const seq of message.seqs) this.#acknowledge(seq);
    } else if (message.type === "run-resend") {
      for (const seq of message.seqs) {
        const p = this.#pending.get(seq);
        if (p) this.#resend(p);
      }
    } else if (message.type === "run-complete") {
      this.#done = true;
      this.#pending.clear();
      this.#waiting = [];
      this.stats.unacked = 0;
      this.#stop();
      this.#complete();
    }
    return true;
  }

  dispose(): void {
    this.#disposed = true;
    this.#stop();
    this.#pending.clear();
    this.#waiting = [];
    this.#endWaiting = null;
  }

  #part(content: RunPart, bytes: Uint8Array): void {
    if (this.#ended) throw new Error(`run ${this.run} has ended; no part may follow`);
    this.stats.parts++;
    this.stats.bytes += bytes.length;
    this.#waiting.push({ content, bytes });
    this.#sendWaiting();
  }

  #sendWaiting(): void {
    while (this.#waiting.length && !this.#disposed) {
      const { content, bytes } = this.#waiting[0];
      // One part always goes, however large, so a run cannot stall on its window.
      if (this.#pending.size && this.stats.unacked + bytes.length > this.#opts.maxUnackedBytes) return;
      this.#waiting.shift();
      this.stats.unacked += bytes.length;
      this.#pending.set(content.seq, { content, bytes, sentAt: this.#opts.now(), tries: 0 });
      this.send(content, [bytes]);
    }
    if (this.#endWaiting) {
      const end = this.#endWaiting;
      this.#endWaiting = null;
      this.#sendEnd(end);
    }
  }

  #acknowledge(seq: number): void {
    const p = this.#pending.get(seq);
    if (!p) return;
    this.#pending.delete(seq);
    this.stats.unacked -= p.bytes?.length ?? 0;
    this.#sendWaiting();
  }

  #resend(p: Pending): void {
    p.tries++;
    p.sentAt = this.#opts.now();
    this.stats.resent++;
    this.send(p.content, p.bytes ? [p.bytes] : undefined);
  }

  #resendOverdue(): void {
    const now = this.#opts.now();
    for (const p of this.#pending.values()) {
      const wait = Math.min(this.#opts.resendAfterMs * 2 ** p.tries, this.#opts.maxResendAfterMs);
      if (now - p.sentAt >= wait) this.#resend(p);
    }
  }

  #stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
