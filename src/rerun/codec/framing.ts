/**
 * RRD stream framing (RRF2), as read by Rerun 0.33: a 12-byte stream header, then messages of
 * `u64 LE kind | u64 LE length | protobuf body`. Streams for the viewer end without an End marker
 * (its `send_rrd` decoder stops cleanly at EOF); a finished file ends with the End message and
 * footer of `footer.ts`.
 */

/** Message kinds of the stream (the body is the inner protobuf, not the `LogMsg` oneof). */
export const MessageKind = { End: 0, SetStoreInfo: 1, ArrowMsg: 2, BlueprintActivationCommand: 3 } as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

export interface RrdMessage {
  kind: MessageKind;
  body: Uint8Array;
}

/** Rerun version written into the header; the viewer rejects < 0.23 and warns on newer ones. */
export const FORMAT_VERSION = [0, 33, 0, 0] as const;

const FOURCC = [0x52, 0x52, 0x46, 0x32]; // "RRF2"
/** Byte 8 (stream compression) is ignored by readers: per-message compression lives in ArrowMsg. */
const HEADER_COMPRESSION_OFF = 0;
/** Byte 9: 2 = protobuf, the only serializer 0.33 accepts. */
const HEADER_SERIALIZER_PROTOBUF = 2;

export const STREAM_HEADER_SIZE = 12;
export const MESSAGE_HEADER_SIZE = 16;

export function streamHeader(version: readonly number[] = FORMAT_VERSION): Uint8Array {
  return new Uint8Array([...FOURCC, ...version, HEADER_COMPRESSION_OFF, HEADER_SERIALIZER_PROTOBUF, 0, 0]);
}

/** One complete stream: header followed by every message, in order. */
export function encodeStream(messages: readonly RrdMessage[]): Uint8Array {
  let size = STREAM_HEADER_SIZE;
  for (const m of messages) size += MESSAGE_HEADER_SIZE + m.body.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(streamHeader(), 0);
  let pos = STREAM_HEADER_SIZE;
  for (const m of messages) {
    view.setBigUint64(pos, BigInt(m.kind), true);
    view.setBigUint64(pos + 8, BigInt(m.body.length), true);
    out.set(m.body, pos + MESSAGE_HEADER_SIZE);
    pos += MESSAGE_HEADER_SIZE + m.body.length;
  }
  return out;
}

export interface DecodedStream {
  version: [number, number, number, number];
  messages: RrdMessage[];
  /** Set when the stream ends with an End message carrying a footer (then a 32-byte stream footer). */
  footer?: Uint8Array;
}

/** Size of the stream footer that follows an End message with a body (see `footer.ts`). */
export const STREAM_FOOTER_SIZE = 32;
const FOOT = [0x46, 0x4f, 0x4f, 0x54]; // "FOOT", after the FourCC in a stream footer

/**
 * Splits RRD bytes (one stream or several concatenated) into messages. Strict: a bad header,
 * an unknown kind or a truncated message throws, mirroring what the viewer would reject.
 */
export function decodeStreams(bytes: Uint8Array): DecodedStream[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const streams: DecodedStream[] = [];
  let pos = 0;
  let current: DecodedStream | undefined;
  while (pos < bytes.length) {
    if (!current) {
      if (pos + STREAM_HEADER_SIZE > bytes.length) throw new Error("rrd: truncated stream header");
      const h = bytes.subarray(pos, pos + STREAM_HEADER_SIZE);
      if (!FOURCC.every((b, i) => h[i] === b)) throw new Error("rrd: not an RRF2 stream");
      if (h[9] !== HEADER_SERIALIZER_PROTOBUF) throw new Error(`rrd: unsupported serializer ${h[9]}`);
      if (h[10] !== 0 || h[11] !== 0) throw new Error("rrd: reserved header bytes are not zero");
      current = { version: [h[4], h[5], h[6], h[7]], messages: [] };
      streams.push(current);
      pos += STREAM_HEADER_SIZE;
      continue;
    }
    // A FourCC where a message header should be starts a concatenated stream.
    if (FOURCC.every((b, i) => bytes[pos + i] === b)) {
      current = undefined;
      continue;
    }
    if (pos + MESSAGE_HEADER_SIZE > bytes.length) throw new Error("rrd: truncated message header");
    const kind = Number(view.getBigUint64(pos, true));
    const len = Number(view.getBigUint64(pos + 8, true));
    if (kind > MessageKind.BlueprintActivationCommand) throw new Error(`rrd: unknown message kind ${kind}`);
    pos += MESSAGE_HEADER_SIZE;
    if (pos + len > bytes.length) throw new Error("rrd: truncated message body");
    const body = bytes.subarray(pos, pos + len);
    pos += len;
    if (kind !== MessageKind.End) {
      current.messages.push({ kind: kind as MessageKind, body });
      continue;
    }
    // A non-empty End message holds the RrdFooter, and a stream footer must follow it; after an
    // empty one (a footer without manifests, or an older writer) a stream footer may follow.
    const tag = bytes.subarray(pos + 20, pos + 28);
    const streamFooter = pos + STREAM_FOOTER_SIZE <= bytes.length && [...FOURCC, ...FOOT].every((b, i) => tag[i] === b);
    if (len > 0 && !streamFooter) throw new Error("rrd: End message with a footer but no stream footer after it");
    if (streamFooter) {
      current.footer = body;
      pos += STREAM_FOOTER_SIZE;
    }
    current = undefined;
  }
  return streams;
}

/**
 * A stream's messages without its header. Appended to the bytes of an earlier stream they continue
 * it, so a receiver that concatenates the first stream with the continuations of the next ones
 * holds one valid stream (an `.rrd` file) without knowing the format.
 */
export function streamContinuation(stream: Uint8Array): Uint8Array {
  if (stream.length < STREAM_HEADER_SIZE || !FOURCC.every((b, i) => stream[i] === b)) {
    throw new Error("rrd: not an RRF2 stream");
  }
  return stream.subarray(STREAM_HEADER_SIZE);
}
