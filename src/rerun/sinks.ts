/** Destinations for flushed RRD streams. */
import { streamContinuation } from "./codec/framing";

export interface RrdSink {
  /** Receives one complete RRD stream per flush. */
  write(stream: Uint8Array): void;
  /** Receives the bytes that close the recording's file (`Recording.end()`), once, last. */
  end?(tail: Uint8Array): void;
}

/** The part of `@rerun-io/web-viewer`'s `LogChannel` we use. */
export interface RrdChannel {
  send_rrd(data: Uint8Array): void;
}

/** Sends every flush to a web viewer channel (`viewer.open_channel(...)`), one `send_rrd` per stream. */
export class ViewerChannelSink implements RrdSink {
  constructor(private readonly channel: RrdChannel) {}

  write(stream: Uint8Array): void {
    this.channel.send_rrd(stream);
  }
}

/**
 * Keeps the recording's file in memory: the first flushed stream whole, the later ones without
 * their stream headers (one stream: Rerun 0.33's Python `RrdReader` reads a second stream header
 * as a message and fails), then the footer from `Recording.end()`. The footer's offsets assume
 * exactly this layout.
 */
export class MemorySink implements RrdSink {
  private parts: Uint8Array[] = [];
  private size = 0;
  private ended = false;

  write(stream: Uint8Array): void {
    if (this.ended) throw new Error("MemorySink: the recording has ended");
    this.push(this.size === 0 ? stream : streamContinuation(stream));
  }

  end(tail: Uint8Array): void {
    this.push(tail);
    this.ended = true;
  }

  private push(part: Uint8Array): void {
    this.parts.push(part);
    this.size += part.length;
  }

  /** All messages so far as one stream (with the footer once ended): the contents of an `.rrd` file. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** The `.rrd` contents as a Blob, e.g. for a browser download. */
  blob(): Blob {
    return new Blob([this.bytes() as BlobPart], { type: "application/octet-stream" });
  }

  get byteLength(): number {
    return this.size;
  }

  clear(): void {
    this.parts = [];
    this.size = 0;
    this.ended = false;
  }
}
