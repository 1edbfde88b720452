/**
 * The protobuf messages of the RRD envelope (`rerun.log_msg.v1alpha1`, `rerun.common.v1alpha1`,
 * Rerun 0.33). Field numbers are facts from the 0.33 `.proto` files; the schema below is ours.
 * Only the fields the viewer needs are written.
 */
import * as lz4 from "./lz4";
import { ProtoWriter, readFields, type ProtoField } from "./protobuf";
import type { Tuid } from "./tuid";

/** `common.StoreKind`. */
export const StoreKind = { Recording: 1, Blueprint: 2 } as const;
export type StoreKind = (typeof StoreKind)[keyof typeof StoreKind];

/** Identity of a recording or blueprint store. */
export interface StoreId {
  kind: StoreKind;
  applicationId: string;
  recordingId: string;
}

/** `StoreSourceKind.OTHER` needs `extra` text; it becomes the viewer's "source" string. */
const STORE_SOURCE_OTHER = 6;
/** `common.Compression.COMPRESSION_NONE` (note: not the stream-header numbering). */
export const COMPRESSION_NONE = 1;
export const COMPRESSION_LZ4 = 2;
/** `log_msg.Encoding.ENCODING_ARROW_IPC`; anything else is rejected. */
const ENCODING_ARROW_IPC = 1;

export interface SetStoreInfo {
  rowId: Tuid;
  storeId: StoreId;
  /** Shown by the viewer as the recording's source. */
  source: string;
  /** `[major, minor, patch, meta]` of the Rerun format we target. */
  version: readonly [number, number, number, number];
}

export interface ArrowMsg {
  storeId: StoreId;
  chunkId: Tuid;
  /** A complete Arrow IPC stream holding one record batch (one chunk). */
  payload: Uint8Array;
  isStatic: boolean;
}

export interface BlueprintActivation {
  blueprintId: StoreId;
  makeActive: boolean;
  makeDefault: boolean;
}

const writeTuid = (w: ProtoWriter, t: Tuid) => w.fixed64(1, t.timeNs).fixed64(2, t.inc);

/** `StoreId { kind = 1; recording_id = 2; ApplicationId application_id = 3 }` into `w` (also used by footers). */
export const encodeStoreId = (w: ProtoWriter, id: StoreId) =>
  w.varint(1, id.kind).string(2, id.recordingId).message(3, (a) => a.string(1, id.applicationId));
const writeStoreId = encodeStoreId;

/** `SetStoreInfo { Tuid row_id = 1; StoreInfo info = 2; }` */
export function encodeSetStoreInfo(m: SetStoreInfo): Uint8Array {
  const [major, minor, patch, meta] = m.version;
  // StoreVersion.crate_version_bits is the i32 read little-endian from [major, minor, patch, meta].
  const bits = new DataView(new Uint8Array([major, minor, patch, meta]).buffer).getInt32(0, true);
  return new ProtoWriter()
    .message(1, (w) => writeTuid(w, m.rowId))
    .message(2, (info) =>
      info
        .message(2, (w) => writeStoreId(w, m.storeId))
        .message(5, (src) =>
          src.varint(1, STORE_SOURCE_OTHER).message(2, (extra) => extra.string(1, m.source)),
        )
        .message(6, (v) => v.varint(1, bits)),
    )
    .finish();
}

/** `ArrowMsg { store_id = 1; compression = 2; uncompressed_size = 3; encoding = 4; payload = 5; chunk_id = 6; is_static = 7 }` */
export function encodeArrowMsg(m: ArrowMsg, options: { compress?: boolean } = {}): Uint8Array {
  const packed = options.compress === false ? null : lz4.compress(m.payload);
  const useLz4 = packed !== null && packed.length < m.payload.length;
  return new ProtoWriter()
    .message(1, (w) => writeStoreId(w, m.storeId))
    .varint(2, useLz4 ? COMPRESSION_LZ4 : COMPRESSION_NONE)
    .varint(3, m.payload.length)
    .varint(4, ENCODING_ARROW_IPC)
    .bytes(5, useLz4 ? packed : m.payload)
    .message(6, (w) => writeTuid(w, m.chunkId))
    .varint(7, m.isStatic)
    .finish();
}

/** `BlueprintActivationCommand { StoreId blueprint_id = 1; bool make_active = 2; bool make_default = 3; }` */
export function encodeBlueprintActivation(m: BlueprintActivation): Uint8Array {
  return new ProtoWriter()
    .message(1, (w) => writeStoreId(w, m.blueprintId))
    .varint(2, m.makeActive)
    .varint(3, m.makeDefault)
    .finish();
}

// ---- Decoding: independent of the writers above so tests can check them. ----

/** A decoded message as field number → list of values (nested messages left as bytes). */
export type FieldMap = Map<number, Array<bigint | Uint8Array>>;

export function fieldMap(bytes: Uint8Array): FieldMap {
  const map: FieldMap = new Map();
  for (const f of readFields(bytes) as ProtoField[]) {
    const list = map.get(f.field) ?? [];
    list.push(f.value);
    map.set(f.field, list);
  }
  return map;
}

const textDecoder = new TextDecoder();

function one(map: FieldMap, field: number): bigint | Uint8Array | undefined {
  const values = map.get(field);
  return values?.[values.length - 1];
}
function bytesOf(map: FieldMap, field: number): Uint8Array | undefined {
  const v = one(map, field);
  if (v !== undefined && typeof v === "bigint") throw new Error(`field ${field}: expected bytes`);
  return v;
}
function numOf(map: FieldMap, field: number): bigint | undefined {
  const v = one(map, field);
  if (v !== undefined && typeof v !== "bigint") throw new Error(`field ${field}: expected a number`);
  return v;
}
const str = (map: FieldMap, field: number) => {
  const b = bytesOf(map, field);
  return b === undefined ? undefined : textDecoder.decode(b);
};

export function decodeTuid(bytes: Uint8Array): Tuid {
  const m = fieldMap(bytes);
  const timeNs = numOf(m, 1);
  const inc = numOf(m, 2);
  if (timeNs === undefined || inc === undefined) throw new Error("Tuid: time_ns and inc are required");
  return { timeNs, inc };
}

export function decodeStoreId(bytes: Uint8Array): StoreId {
  const m = fieldMap(bytes);
  const app = bytesOf(m, 3);
  if (app === undefined) throw new Error("StoreId: application_id is required");
  return {
    kind: Number(numOf(m, 1) ?? 0n) as StoreKind,
    recordingId: str(m, 2) ?? "",
    applicationId: str(fieldMap(app), 1) ?? "",
  };
}

export function decodeSetStoreInfo(bytes: Uint8Array): SetStoreInfo {
  const m = fieldMap(bytes);
  const rowId = bytesOf(m, 1);
  const info = bytesOf(m, 2);
  if (!rowId || !info) throw new Error("SetStoreInfo: row_id and info are required");
  const im = fieldMap(info);
  const storeId = bytesOf(im, 2);
  const source = bytesOf(im, 5);
  if (!storeId || !source) throw new Error("StoreInfo: store_id and store_source are required");
  const sm = fieldMap(source);
  const extra = bytesOf(sm, 2);
  const bits = Number(numOf(fieldMap(bytesOf(im, 6) ?? new Uint8Array()), 1) ?? 0n);
  const v = new Uint8Array(new Int32Array([bits]).buffer);
  return {
    rowId: decodeTuid(rowId),
    storeId: decodeStoreId(storeId),
    source: extra ? (str(fieldMap(extra), 1) ?? "") : "",
    version: [v[0], v[1], v[2], v[3]],
  };
}

export interface DecodedArrowMsg extends ArrowMsg {
  compression: number;
  encoding: number;
  uncompressedSize: number;
}

/** Decodes an ArrowMsg; `payload` is the Arrow IPC stream, decompressed if it came compressed. */
export function decodeArrowMsg(bytes: Uint8Array): DecodedArrowMsg {
  const m = fieldMap(bytes);
  const storeId = bytesOf(m, 1);
  const chunkId = bytesOf(m, 6);
  if (!storeId || !chunkId) throw new Error("ArrowMsg: store_id and chunk_id expected");
  const compression = Number(numOf(m, 2) ?? 0n);
  const uncompressedSize = Number(numOf(m, 3) ?? 0n);
  const payload = bytesOf(m, 5) ?? new Uint8Array();
  if (compression !== COMPRESSION_NONE && compression !== COMPRESSION_LZ4) throw new Error(`ArrowMsg: unknown compression ${compression}`);
  return {
    storeId: decodeStoreId(storeId),
    chunkId: decodeTuid(chunkId),
    compression,
    uncompressedSize,
    encoding: Number(numOf(m, 4) ?? 0n),
    payload: compression === COMPRESSION_LZ4 ? lz4.decompress(payload, uncompressedSize) : payload,
    isStatic: (numOf(m, 7) ?? 0n) !== 0n,
  };
}

export function decodeBlueprintActivation(bytes: Uint8Array): BlueprintActivation {
  const m = fieldMap(bytes);
  const id = bytesOf(m, 1);
  if (!id) throw new Error("BlueprintActivationCommand: blueprint_id is required");
  return {
    blueprintId: decodeStoreId(id),
    makeActive: (numOf(m, 2) ?? 0n) !== 0n,
    makeDefault: (numOf(m, 3) ?? 0n) !== 0n,
  };
}
