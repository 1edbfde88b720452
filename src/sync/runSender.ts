// Sends one run's results and recording to the kernel as numbered parts, keeps every part until
// the kernel acknowledges it, and sends it again when no acknowledgement comes (a busy kernel
// reads its messages late; a lost one never arrives). The kernel drops parts it already holds.
// A window bounds the bytes in flight: without it a long run queues hundreds of MB in the
// websocket, acknowledgements come later than any timeout, and resends double the traffic.
// Parts that queue behind the window leave together, several to a message, and so do parts made
// in one task (a commit's results and recording): the Jupyter stack costs ~7 ms per message
// whatever its size (measured: 20 messages of ~230 kB reach the kernel at 27 MB/s, 6 MiB ones at 150).
import type { FrameResult } from "../results/types";
// The framing module alone: the writer (and apache-arrow) stay out of views that only forward bytes.
import { streamContinuation } from "../rerun/codec/framing";
import { encodeResults, splitForMessages } from "./codec";
import { TO_KERNEL_MESSAGE_BYTES } from "../limits";
import type {
  FromKernel, PartHeader, RunEnd, RunError,
  RunStart, ToKernel,
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

interface Part {
  header: PartHeader;
  bytes: Uint8Array;
}

interface Pending {
  part: Part | null; // null: the run-end
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
  #waiting: Part[] = [];
  #waitingBytes = 0;
  #endWaiting: RunEnd | null = null;
  #end: RunEnd | null = null;
  #recordingBytes = 0;
  #ended = false;
  #done = false;
  /** Disposed (the view went away, or its kernel did): nothing more is sent. */
  #disposed = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  #flushQueued = false;
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
    for (const group of splitForMessages(batch, TO_KERNEL_MESSAGE_BYTES)) {
      const seq = this.stats.parts;
      this.#part({ seq, kind: "results" }, encodeResults(group, { run: this.run, seq }));
    }
  }

  /** One complete RRD stream as the recording flushes it; the kernel keeps them as one stream. */
  recording(stream: Uint8Array): void {
    this.#recordingPart(this.#recordingBytes === 0 ? stream : streamContinuation(stream));
  }

  /** The bytes that close the recording's file (Rerun's footer, `Recording.end()`), after its last
   * stream: appended as they are, their offsets count on the kernel's bytes being one stream. */
  recordingEnd(tail: Uint8Array): void {
    if (this.#recordingBytes === 0) return; // a footer without the stream it indexes is no file
    this.#recordingPart(tail);
  }

  #recordingPart(body: Uint8Array): void {
    for (let at = 0; at < body.length; at += TO_KERNEL_MESSAGE_BYTES) {
      const slice = body.subarray(at, at + TO_KERNEL_MESSAGE_BYTES);
      this.#part({ seq: this.stats.parts, kind: "recording", offset: this.#recordingBytes }, slice);
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
    this.#end = content;
    this.#pending.set(END, { part: null, sentAt: this.#opts.now(), tries: 0 });
    this.send(content);
  }

  /** Handles a kernel message; returns whether it concerned this run. */
  handle(message: FromKernel): boolean {
    if (!("run" in message) || message.run !== this.run || this.#done || this.#disposed) return false;
    if (message.type === "run-ack") {
      for (const seq of message.seqs) this.#acknowledge(seq);
      this.#sendWaiting();
    } else if (message.type === "run-resend") {
      this.#resend(message.seqs.flatMap((seq) => this.#pending.get(seq) ?? []));
    } else if (message.type === "run-complete") {
      this.#done = true;
      this.#pending.clear();
      this.#waiting = [];
      this.#waitingBytes = 0;
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
    this.#waitingBytes = 0;
    this.#endWaiting = null;
  }

  #part(header: PartHeader, bytes: Uint8Array): void {
    if (this.#ended) throw new Error(`run ${this.run} has ended; no part may follow`);
    this.stats.parts++;
    this.stats.bytes += bytes.length;
    this.#waiting.push({ header, bytes });
    this.#waitingBytes += bytes.length;
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    void Promise.resolve().then(() => {
      this.#flushQueued = false;
      this.#sendWaiting();
    });
  }

  #sendWaiting(): void {
    while (this.#waiting.length && !this.#disposed) {
      const room = this.#opts.maxUnackedBytes - this.stats.unacked;
      // Behind a full window, wait for room for a whole message: acknowledgements trickle in one
      // message at a time, and refilling with each freed part's worth would keep messages small.
      if (this.#pending.size && this.#waitingBytes > room && room < TO_KERNEL_MESSAGE_BYTES) return;
      let size = 0, count = 0;
      for (const { bytes } of this.#waiting) {
        // One part always goes, however large, so a run cannot stall on its window.
        if (count && (size + bytes.length > TO_KERNEL_MESSAGE_BYTES || size + bytes.length > room)) break;
        size += bytes.length;
        count++;
      }
      const parts = this.#waiting.splice(0, count);
      this.#waitingBytes -= size;
      this.stats.unacked += size;
      for (const part of parts) this.#pending.set(part.header.seq, { part, sentAt: this.#opts.now(), tries: 0 });
      this.#sendParts(parts);
    }
    if (this.#endWaiting) {
      const end = this.#endWaiting;
      this.#endWaiting = null;
      this.#sendEnd(end);
    }
  }

  #sendParts(parts: Part[]): void {
    this.send({ type: "run-parts", run: this.run, parts: parts.map((p) => p.header) }, parts.map((p) => p.bytes));
  }

  #acknowledge(seq: number): void {
    const p = this.#pending.get(seq);
    if (!p) return;
    this.#pending.delete(seq);
    this.stats.unacked -= p.part?.bytes.length ?? 0;
  }

  /** Sends these again, parts grouped into messages as when first sent. */
  #resend(pending: Pending[]): void {
    if (this.#disposed) return;
    let group: Part[] = [];
    let size = 0;
    const flush = () => {
      if (group.length) this.#sendParts(group);
      group = [];
      size = 0;
    };
    for (const p of pending) {
      p.tries++;
      p.sentAt = this.#opts.now();
      this.stats.resent++;
      if (!p.part) {
        if (this.#end) this.send(this.#end);
        continue;
      }
      if (group.length && size + p.part.bytes.length > TO_KERNEL_MESSAGE_BYTES) flush();
      group.push(p.part);
      size += p.part.bytes.length;
    }
    flush();
  }

  #resendOverdue(): void {
    const now = this.#opts.now();
    this.#resend([...this.#pending.values()].filter((p) =>
      now - p.sentAt >= Math.min(this.#opts.resendAfterMs * 2 ** p.tries, this.#opts.maxResendAfterMs)));
  }

  #stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
