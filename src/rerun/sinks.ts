/** Destinations for flushed RRD streams. */

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
 * Keeps every flushed stream in memory. Concatenated RRD streams are themselves a valid `.rrd`
 * file, so `bytes()` can be saved as-is and opened by the Rerun viewer of the same version.
 */
export class MemorySink implements RrdSink {
  private streams: Uint8Array[] = [];
  private size = 0;

  write(stream: Uint8Array): void {
    this.streams.push(stream);
    this.size += stream.length;
  }

  /** All streams so far, concatenated: the contents of an `.rrd` file. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const s of this.streams) {
      out.set(s, at);
      at += s.length;
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
    this.streams = [];
    this.size = 0;
  }
}
