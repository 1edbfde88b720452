/**
 * The end of an RRD file as Rerun 0.33's encoder writes it (`rrd/encoder.rs` `finish`), after the
 * last data message:
 *
 *   End message header   u64 LE kind = 0 | u64 LE length of the RrdFooter body
 *   RrdFooter body       protobuf `log_msg.v1alpha1.RrdFooter { repeated RrdManifest manifests = 1 }`
 *   StreamFooter (32 B)  u64 LE body offset | u64 LE body length | u32 LE xxh32(body, 7850921)
 *                        | "RRF2" | "FOOT" | u32 LE entry count (= 1)
 *
 * Offsets count from the first byte of the file (the stream header) and exclude message headers,
 * both for the RrdFooter body and for each chunk row of a manifest. Readers find the footer from
 * the last 32 bytes (`RrdReader.store()`, `rerun rrd verify`), streaming decoders read the End
 * message and then expect the StreamFooter.
 */
import { MESSAGE_HEADER_SIZE, MessageKind, STREAM_FOOTER_SIZE } from "./framing";
import { xxh32 } from "./hashes";
import * as lz4 from "./lz4";
import type { StoreId } from "./messages";
import { COMPRESSION_LZ4, COMPRESSION_NONE, encodeStoreId } from "./messages";
import { ProtoWriter, readFields } from "./protobuf";

/** `StreamFooter::CRC_SEED`: "RERUN" in base 26. */
export const FOOTER_CRC_SEED = 7850921;
const FOURCC = [0x52, 0x52, 0x46, 0x32]; // "RRF2"
const FOOT = [0x46, 0x4f, 0x4f, 0x54]; // "FOOT"

/** `common.EncoderVersion.ENCODER_VERSION_V0`. */
const ENCODER_VERSION_V0 = 1;
// `common.Compression` (messages.ts): the manifest dataframe is LZ4-block compressed, as Rerun writes it.

/** One recording's (or blueprint's) manifest, its Arrow parts already IPC-encoded. */
export interface EncodedManifest {
  storeId: StoreId;
  /** Arrow IPC stream of the store's merged sorbet schema (schema message + end-of-stream). */
  sorbetSchemaIpc: Uint8Array;
  /** SHA-256 over the IPC schema message of that schema with its fields sorted by name. */
  sorbetSchemaSha256: Uint8Array;
  /** Arrow IPC stream of the manifest dataframe (one row per chunk). */
  dataIpc: Uint8Array;
}

/**
 * `RrdManifest { StoreId store_id = 1; Schema sorbet_schema = 2; optional bytes sorbet_schema_sha256 = 3;
 * DataframePart data = 4; }` with `Schema { optional bytes arrow_schema = 1; }` and
 * `DataframePart { encoder_version = 1; optional bytes payload = 2; compression = 3; uint64 uncompressed_size = 4; }`.
 */
function writeManifest(w: ProtoWriter, m: EncodedManifest): void {
  const packed = lz4.compress(m.dataIpc);
  const useLz4 = packed !== null && packed.length < m.dataIpc.length;
  w.message(1, (s) => encodeStoreId(s, m.storeId))
    .message(2, (s) => s.bytes(1, m.sorbetSchemaIpc))
    .bytes(3, m.sorbetSchemaSha256)
    .message(4, (d) => {
      d.varint(1, ENCODER_VERSION_V0).bytes(2, useLz4 ? packed : m.dataIpc).varint(3, useLz4 ? COMPRESSION_LZ4 : COMPRESSION_NONE);
      if (useLz4) d.varint(4, m.dataIpc.length); // undefined without compression, so left out
    });
}

/** The protobuf body of the End message: `RrdFooter { repeated RrdManifest manifests = 1; }`. */
export function encodeRrdFooter(manifests: readonly EncodedManifest[]): Uint8Array {
  const w = new ProtoWriter();
  for (const m of manifests) w.message(1, (inner) => writeManifest(inner, m));
  return w.finish();
}

/**
 * The bytes that close a file whose messages end at byte `fileSize`: End message, RrdFooter body,
 * StreamFooter. Appended to the file they make it a finished recording.
 */
export function encodeFileEnd(fileSize: number, manifests: readonly EncodedManifest[]): Uint8Array {
  const body = encodeRrdFooter(manifests);
  const out = new Uint8Array(MESSAGE_HEADER_SIZE + body.length + STREAM_FOOTER_SIZE);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(MessageKind.End), true);
  view.setBigUint64(8, BigInt(body.length), true);
  out.set(body, MESSAGE_HEADER_SIZE);
  // The stream footer comes first with its entry, then the fixed part, so readers can find the
  // fixed part at a constant distance from the end of the file.
  const at = MESSAGE_HEADER_SIZE + body.length;
  view.setBigUint64(at, BigInt(fileSize + MESSAGE_HEADER_SIZE), true);
  view.setBigUint64(at + 8, BigInt(body.length), true);
  view.setUint32(at + 16, xxh32(body, FOOTER_CRC_SEED), true);
  out.set(FOURCC, at + 20);
  out.set(FOOT, at + 24);
  view.setUint32(at + 28, 1, true);
  return out;
}

// ---- Reading back, for tests and the inspector: independent of the writers above. ----

export interface StreamFooter {
  start: number;
  length: number;
  crc: number;
}

/** Reads the 32-byte stream footer at the end of `file`; null if the file does not end with one. */
export function readStreamFooter(file: Uint8Array): StreamFooter | null {
  if (file.length < STREAM_FOOTER_SIZE) return null;
  const at = file.length - STREAM_FOOTER_SIZE;
  const tag = file.subarray(at + 20, at + 28);
  if (![...FOURCC, ...FOOT].every((b, i) => tag[i] === b)) return null;
  const view = new DataView(file.buffer, file.byteOffset + at, STREAM_FOOTER_SIZE);
  if (view.getUint32(28, true) !== 1) throw new Error("rrd: stream footer with other than one entry");
  return { start: Number(view.getBigUint64(0, true)), length: Number(view.getBigUint64(8, true)), crc: view.getUint32(16, true) };
}

export interface DecodedManifest {
  storeIdBytes: Uint8Array;
  sorbetSchemaIpc: Uint8Array;
  sorbetSchemaSha256: Uint8Array;
  /** The dataframe's Arrow IPC stream, decompressed. */
  dataIpc: Uint8Array;
}

/** Decodes the RrdFooter a file's stream footer points at, checking the checksum. */
export function readRrdFooter(file: Uint8Array): DecodedManifest[] | null {
  const footer = readStreamFooter(file);
  if (!footer) return null;
  const body = file.subarray(footer.start, footer.start + footer.length);
  if (xxh32(body, FOOTER_CRC_SEED) !== footer.crc) throw new Error("rrd: footer checksum mismatch");
  const bytesOf = (fields: ReturnType<typeof readFields>, n: number) => {
    const v = fields.find((f) => f.field === n)?.value;
    if (!(v instanceof Uint8Array)) throw new Error(`rrd footer: field ${n} missing`);
    return v;
  };
  return readFields(body).map(({ value }) => {
    const m = readFields(value as Uint8Array);
    const data = readFields(bytesOf(m, 4));
    const compression = Number(data.find((f) => f.field === 3)?.value ?? 0n);
    const payload = bytesOf(data, 2);
    const size = Number(data.find((f) => f.field === 4)?.value ?? 0n);
    return {
      storeIdBytes: bytesOf(m, 1),
      sorbetSchemaIpc: bytesOf(readFields(bytesOf(m, 2)), 1),
      sorbetSchemaSha256: bytesOf(m, 3),
      dataIpc: compression === COMPRESSION_LZ4 ? lz4.decompress(payload, size) : payload,
    };
  });
}
