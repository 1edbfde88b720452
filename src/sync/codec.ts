// The one binary format of analysis results, shared by every transport that carries them out of the
// browser: the headless analyser POSTs these messages to its local server, and the widget will send
// the same bytes as custom widget messages (each within TO_KERNEL_MESSAGE_BYTES, src/limits.ts).
// Its Python twin is facescope/_codec.py; both read the column table below the same way.
//
// One message = a batch of consecutive frames, columnar, little-endian:
//   0  "FSCR"                      magic
//   4  u32 version                 CODEC_VERSION
//   8  u32 header byte length      UTF-8 JSON, padded with spaces to end on an 8-byte boundary
//   12 header JSON                 {format, version, frames, faces, detections, frame_range, columns, extra}
//   …  columns                     each starts 8-byte aligned (offsets in the header are from byte 0),
//                                  so both sides view them in place as typed arrays / numpy arrays.
// Rows: frame columns have one row per frame; face columns one row per landmarked face, frames in
// order (a frame's faces follow each other, `face_count` says how many); detection columns likewise
// with `detection_count`. Column order and dtypes are fixed per version; the header repeats them so a
// reader can check instead of trust.
import { TO_KERNEL_MESSAGE_BYTES } from "../limits";
import { type FrameResult, NUM_BLENDSHAPES, NUM_KEYPOINTS, NUM_LANDMARKS } from "../results/types";

export const CODEC_MAGIC = "FSCR";
export const CODEC_VERSION = 1;
/** Room kept for the JSON header when sizing messages before encoding them (it is ~2 KiB). */
const HEADER_RESERVE_BYTES = 4096;
const PREAMBLE_BYTES = 12;

export type DType = "<i4" | "<f4" | "<f8";
export type RowKind = "frame" | "face" | "detection";

export interface ColumnSpec {
  name: string;
  dtype: DType;
  rows: RowKind;
  /** Shape of one row (empty for scalars). */
  inner: number[];
}

/** A column as the header describes it: where it is and how to view it. */
export interface ColumnEntry {
  name: string;
  dtype: DType;
  shape: number[];
  offset: number;
  nbytes: number;
}

export interface MessageHeader {
  format: "facescope-results";
  version: number;
  frames: number;
  faces: number;
  detections: number;
  /** First and last frame index in the message, or null when it holds no frame. */
  frame_range: [number, number] | null;
  columns: ColumnEntry[];
  /** Transport fields (sequence numbers, run ids); the codec carries them and ignores them. */
  extra: Record<string, unknown>;
}

type Getter = (r: FrameResult) => ArrayLike<number>;

// Every field of a FrameResult, one column each. Names are the Python twin's names.
const COLUMNS: readonly (ColumnSpec & { get: Getter })[] = [
  { name: "frame_idx", dtype: "<i4", rows: "frame", inner: [], get: (r) => [r.index] },
  { name: "timestamp_us", dtype: "<f8", rows: "frame", inner: [], get: (r) => [r.timestampUs] },
  { name: "image_size", dtype: "<i4", rows: "frame", inner: [2], get: (r) => [r.width, r.height] },
  { name: "face_count", dtype: "<i4", rows: "frame", inner: [], get: (r) => [r.faces.count] },
  { name: "detection_count", dtype: "<i4", rows: "frame", inner: [], get: (r) => [r.detections.count] },
  { name: "timings_ms", dtype: "<f4", rows: "frame", inner: [4],
    get: (r) => [r.timings.decodeMs, r.timings.detectorMs, r.timings.landmarkerMs, r.timings.postMs] },
  { name: "face_id", dtype: "<i4", rows: "face", inner: [], get: (r) => r.faces.ids },
  { name: "landmarks", dtype: "<f4", rows: "face", inner: [NUM_LANDMARKS, 3], get: (r) => r.faces.landmarksNorm },
  { name: "blendshapes", dtype: "<f4", rows: "face", inner: [NUM_BLENDSHAPES], get: (r) => r.faces.blendshapes },
  { name: "matrices", dtype: "<f4", rows: "face", inner: [16], get: (r) => r.faces.matrices },
  { name: "head_pose_deg", dtype: "<f4", rows: "face", inner: [3], get: (r) => r.faces.headPoseDeg },
  { name: "face_box", dtype: "<f4", rows: "face", inner: [4], get: (r) => r.faces.boxesNorm },
  { name: "detection_box_px", dtype: "<f4", rows: "detection", inner: [4], get: (r) => r.detections.boxesPx },
  { name: "detection_score", dtype: "<f4", rows: "detection", inner: [], get: (r) => r.detections.scores },
  { name: "detection_keypoints", dtype: "<f4", rows: "detection", inner: [NUM_KEYPOINTS, 2], get: (r) => r.detections.keypointsNorm },
  { name: "detection_face_id", dtype: "<i4", rows: "detection", inner: [], get: (r) => r.detections.faceIds },
];

/** The column table of this version, without the accessors (for tests and documentation). */
export const COLUMN_SPECS: readonly ColumnSpec[] = COLUMNS.map(({ name, dtype, rows, inner }) => ({ name, dtype, rows, inner }));

const ITEM_BYTES: Record<DType, number> = { "<i4": 4, "<f4": 4, "<f8": 8 };
type Typed = Int32Array | Float32Array | Float64Array;
const ARRAYS: Record<DType, { new (b: ArrayBuffer, o: number, n: number): Typed }> = {
  "<i4": Int32Array, "<f4": Float32Array, "<f8": Float64Array,
};

// Typed arrays use the platform's byte order; the format is little-endian. Every browser and Node
// platform we run on is little-endian, so refuse loudly rather than write swapped bytes.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("facescope's results codec needs a little-endian platform");

const align8 = (n: number) => (n + 7) & ~7;
const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

function rowCount(rows: RowKind, results: readonly FrameResult[]): number {
  if (rows === "frame") return results.length;
  let n = 0;
  for (const r of results) n += rows === "face" ? r.faces.count : r.detections.count;
  return n;
}

/** Bytes one frame adds to a message, padding included (an upper bound). */
export function frameBytes(r: FrameResult): number {
  let n = 0;
  for (const c of COLUMNS) n += align8(rowCount(c.rows, [r]) * product(c.inner) * ITEM_BYTES[c.dtype]);
  return n;
}

/** Encodes consecutive frames as one message. */
export function encodeResults(results: readonly FrameResult[], extra: Record<string, unknown> = {}): Uint8Array {
  const counts: Record<RowKind, number> = {
    frame: results.length, face: rowCount("face", results), detection: rowCount("detection", results),
  };
  const shaped = COLUMNS.map((c) => ({ c, shape: [counts[c.rows], ...c.inner] }));
  const layout = (start: number) => {
    let at = start;
    return shaped.map(({ c, shape }) => {
      const nbytes = product(shape) * ITEM_BYTES[c.dtype];
      const entry: ColumnEntry = { name: c.name, dtype: c.dtype, shape, offset: at, nbytes };
      at = align8(at + nbytes);
      return entry;
    });
  };
  const header: MessageHeader = {
    format: "facescope-results", version: CODEC_VERSION, frames: counts.frame, faces: counts.face,
    detections: counts.detection,
    frame_range: results.length ? [results[0].index, results[results.length - 1].index] : null,
    columns: [], extra,
  };
  // Column offsets depend on the header's length, which depends on the offsets' digits: lay out
  // with a guess, then again from the real length until it is stable (one extra pass at most).
  let headerBytes = new Uint8Array(0);
  let bodyStart = -1;
  for (let guess = align8(PREAMBLE_BYTES + 1024); guess !== bodyStart;) {
    bodyStart = guess;
    header.columns = layout(bodyStart);
    headerBytes = new TextEncoder().encode(JSON.stringify(header));
    guess = align8(PREAMBLE_BYTES + headerBytes.length);
  }
  const last = header.columns[header.columns.length - 1];
  const out = new Uint8Array(align8(last.offset + last.nbytes));
  out.set(new TextEncoder().encode(CODEC_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, CODEC_VERSION, true);
  view.setUint32(8, bodyStart - PREAMBLE_BYTES, true);
  out.set(headerBytes, PREAMBLE_BYTES);
  out.fill(0x20, PREAMBLE_BYTES + headerBytes.length, bodyStart);

  header.columns.forEach((entry, k) => {
    const c = COLUMNS[k];
    const target = new ARRAYS[c.dtype](out.buffer as ArrayBuffer, entry.offset, entry.nbytes / ITEM_BYTES[c.dtype]);
    const rowSize = product(c.inner);
    let at = 0;
    for (const r of results) {
      const values = c.get(r);
      const expected = rowCount(c.rows, [r]) * rowSize;
      if (values.length !== expected) {
        throw new Error(`frame ${r.index}: column ${c.name} has ${values.length} values, expected ${expected}`);
      }
      target.set(values, at);
      at += expected;
    }
  });
  return out;
}

/** Groups frames, in order, into batches whose messages stay within `maxBytes`. */
export function splitForMessages(results: readonly FrameResult[], maxBytes = TO_KERNEL_MESSAGE_BYTES): FrameResult[][] {
  const groups: FrameResult[][] = [];
  let group: FrameResult[] = [];
  let size = HEADER_RESERVE_BYTES;
  for (const r of results) {
    const n = frameBytes(r);
    if (HEADER_RESERVE_BYTES + n > maxBytes) throw new Error(`frame ${r.index} alone needs ${n} bytes, more than a message may hold (${maxBytes})`);
    if (group.length && size + n > maxBytes) {
      groups.push(group);
      group = [];
      size = HEADER_RESERVE_BYTES;
    }
    group.push(r);
    size += n;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** Reads a message's header, checking the preamble and the column table against this version. */
export function readHeader(bytes: Uint8Array): MessageHeader {
  if (bytes.length < PREAMBLE_BYTES || new TextDecoder().decode(bytes.subarray(0, 4)) !== CODEC_MAGIC) {
    throw new Error("not a facescope results message (bad magic)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== CODEC_VERSION) throw new Error(`results message version ${version}, this reader knows ${CODEC_VERSION}`);
  const headerLength = view.getUint32(8, true);
  if (PREAMBLE_BYTES + headerLength > bytes.length) throw new Error("truncated results message (header)");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength))) as MessageHeader;
  COLUMNS.forEach((c, k) => {
    const e = header.columns[k];
    if (!e || e.name !== c.name || e.dtype !== c.dtype) throw new Error(`results message column ${k} is ${e?.name}, expected ${c.name}`);
    if (e.offset + e.nbytes > bytes.length) throw new Error(`truncated results message (column ${c.name})`);
  });
  return header;
}

/** Decodes a message back into FrameResults whose arrays view the message's bytes (no copies when aligned). */
export function decodeResults(bytes: Uint8Array): FrameResult[] {
  const header = readHeader(bytes);
  // Typed-array views need aligned offsets; a message sliced out of a larger buffer may not be.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const cols = new Map<string, Typed>(header.columns.map((e) => [
    e.name, new ARRAYS[e.dtype](buf.buffer as ArrayBuffer, buf.byteOffset + e.offset, e.nbytes / ITEM_BYTES[e.dtype]),
  ]));
  const col = (name: string) => cols.get(name) as Typed;
  const rows = (name: string, start: number, n: number, width: number) => col(name).subarray(start * width, (start + n) * width);
  const out: FrameResult[] = [];
  let face = 0;
  let det = 0;
  for (let i = 0; i < header.frames; i++) {
    const nf = col("face_count")[i];
    const nd = col("detection_count")[i];
    const t = rows("timings_ms", i, 1, 4);
    out.push({
      index: col("frame_idx")[i], timestampUs: col("timestamp_us")[i],
      width: col("image_size")[i * 2], height: col("image_size")[i * 2 + 1],
      detections: {
        count: nd, boxesPx: rows("detection_box_px", det, nd, 4) as Float32Array,
        scores: rows("detection_score", det, nd, 1) as Float32Array,
        keypointsNorm: rows("detection_keypoints", det, nd, NUM_KEYPOINTS * 2) as Float32Array,
        faceIds: rows("detection_face_id", det, nd, 1) as Int32Array,
      },
      faces: {
        count: nf, ids: rows("face_id", face, nf, 1) as Int32Array,
        landmarksNorm: rows("landmarks", face, nf, NUM_LANDMARKS * 3) as Float32Array,
        blendshapes: rows("blendshapes", face, nf, NUM_BLENDSHAPES) as Float32Array,
        matrices: rows("matrices", face, nf, 16) as Float32Array,
        headPoseDeg: rows("head_pose_deg", face, nf, 3) as Float32Array,
        boxesNorm: rows("face_box", face, nf, 4) as Float32Array,
      },
      timings: { decodeMs: t[0], detectorMs: t[1], landmarkerMs: t[2], postMs: t[3] },
    });
    face += nf;
    det += nd;
  }
  return out;
}
