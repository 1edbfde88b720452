// A MediaPipe `.task` file is a zip of .tflite models (the official face_landmarker.task stores its
// entries uncompressed and has two stray bytes before the first local header). The FaceDetector
// needs the `face_detector.tflite` inside it, so we read the zip's central directory ourselves
// rather than ship a second model file or a zip library.

export class ModelError extends Error {
  override name = "ModelError";
}

export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Absolute offset of the entry's data in the buffer (prefix bytes already accounted for). */
  dataOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

function findEocd(view: DataView): number {
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes at the very end.
  const stop = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= stop; i--) {
    if (view.getUint32(i, true) === EOCD_SIG) return i;
  }
  throw new ModelError("the model is not a MediaPipe .task bundle (no zip directory found)");
}

export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 22) throw new ModelError(`the model is too small to be a .task bundle (${bytes.byteLength} bytes)`);
  const eocd = findEocd(view);
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  // Bytes prepended to the archive shift every offset; the EOCD position reveals by how much.
  const shift = eocd - cdSize - cdOffset;
  if (shift < 0) throw new ModelError("the .task bundle's zip directory is damaged");
  const entries: ZipEntry[] = [];
  let p = cdOffset + shift;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIG) throw new ModelError("the .task bundle's zip directory is damaged");
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true) + shift;
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    if (local + 30 > bytes.byteLength || view.getUint32(local, true) !== LOCAL_SIG) {
      throw new ModelError(`the .task bundle is truncated or damaged (entry ${name})`);
    }
    const dataOffset = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const entry: ZipEntry = {
      name,
      method: view.getUint16(p + 10, true),
      crc32: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      dataOffset,
    };
    if (dataOffset + entry.compressedSize > bytes.byteLength) {
      throw new ModelError(`the .task bundle is truncated (entry ${name})`);
    }
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

let crcTable: Uint32Array | undefined;

export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The bytes of one entry, checked against its CRC so a corrupted download fails here, not in TFLite. */
export async function extractZipEntry(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const entries = listZipEntries(bytes);
  const e = entries.find((x) => x.name === name);
  if (!e) {
    throw new ModelError(`the .task bundle has no ${name} (it holds: ${entries.map((x) => x.name).join(", ") || "nothing"})`);
  }
  const raw = bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
  let data: Uint8Array;
  if (e.method === 0) data = raw.slice();
  else if (e.method === 8) data = await inflateRaw(raw);
  else throw new ModelError(`${name} in the .task bundle uses unsupported zip compression method ${e.method}`);
  if (data.length !== e.size || crc32(data) !== e.crc32) {
    throw new ModelError(`${name} in the .task bundle is corrupt (size or CRC mismatch)`);
  }
  return data;
}

export const DETECTOR_ENTRY = "face_detector.tflite";
