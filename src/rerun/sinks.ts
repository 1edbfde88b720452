/** Destinations for flushed RRD streams. */
import { decodeStreams, encodeStream } from "./codec/framing";

export interface RrdSink {
  /** Receives one complete RRD stream per flush. */
  write(stream: Uint8Array): void;
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
 * Keeps every flushed stream in memory. `bytes()` joins them into one stream: the viewer and
 * `rerun rrd verify` accept concatenated streams, but Rerun 0.33's Python `RrdReader` reads a
 * second stream header as a message and fails, so a saved `.rrd` must be a single stream.
 */
export class MemorySink implements RrdSink {
  private streams: Uint8Array[] = [];
  private size = 0;

  write(stream: Uint8Array): void {
    this.streams.push(stream);
    this.size += stream.length;
  }

  /** All messages so far as one stream: the contents of an `.rrd` file. */
  bytes(): Uint8Array {
    return encodeStream(this.streams.flatMap((s) => decodeStreams(s).flatMap((d) => d.messages)));
  }

  /** The `.rrd` contents as a Blob, e.g. for a browser download. */
  blob(): Blob {
    return new Blob([this.bytes() as BlobPart], { type: "application/octet-stream" });
  }

  get byteLength(): number {
    return this.size;
  }

  clear(): void {
    this.streams = [];
    this.size = 0;
  }
}
