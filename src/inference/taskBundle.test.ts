import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { crc32, extractZipEntry, listZipEntries, ModelError } from "./taskBundle";

/** Minimal zip writer (local headers + central directory + EOCD), enough to exercise the reader. */
function makeZip(files: { name: string; data: Uint8Array; deflate?: boolean }[], prefix = 0): Uint8Array {
  const parts: Buffer[] = [Buffer.alloc(prefix)];
  const central: Buffer[] = [];
  let offset = 0; // offsets are relative to the archive start, i.e. ignore the prefix, like the real file
  for (const f of files) {
    const body = f.deflate ? zlib.deflateRawSync(f.data) : Buffer.from(f.data);
    const name = Buffer.from(f.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(f.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(f.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(f.deflate ? 8 : 0, 10);
    cd.writeUInt32LE(crc32(f.data), 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(f.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(cd, name);
    offset += 30 + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cdBuf, eocd]));
}

const payload = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * seed + (i >> 3)) & 0xff);

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});

describe(".task bundle extraction", () => {
  it("reads stored entries behind prefix bytes, as in the official bundle", async () => {
    const a = payload(1000, 7), b = payload(300, 13);
    const zip = makeZip([{ name: "face_detector.tflite", data: a }, { name: "other.tflite", data: b }], 2);
    expect(listZipEntries(zip).map((e) => e.name)).toEqual(["face_detector.tflite", "other.tflite"]);
    expect(Array.from(await extractZipEntry(zip, "other.tflite"))).toEqual(Array.from(b));
    expect(Array.from(await extractZipEntry(zip, "face_detector.tflite"))).toEqual(Array.from(a));
  });

  it("inflates deflated entries", async () => {
    const a = payload(5000, 3);
    const zip = makeZip([{ name: "face_detector.tflite", data: a, deflate: true }]);
    expect(Array.from(await extractZipEntry(zip, "face_detector.tflite"))).toEqual(Array.from(a));
  });

  it("names what the bundle holds when the entry is missing", async () => {
    const zip = makeZip([{ name: "x.tflite", data: payload(10, 1) }]);
    await expect(extractZipEntry(zip, "face_detector.tflite")).rejects.toThrow(/no face_detector.tflite .*x\.tflite/);
  });

  it("rejects corrupted data by CRC", async () => {
    const zip = makeZip([{ name: "face_detector.tflite", data: payload(100, 5) }]);
    zip[30 + "face_detector.tflite".length + 10] ^= 0xff;
    await expect(extractZipEntry(zip, "face_detector.tflite")).rejects.toThrow(/corrupt/);
  });

  it("rejects non-zip and truncated input with ModelError", async () => {
    expect(() => listZipEntries(new TextEncoder().encode("this is plainly not a model file at all"))).toThrow(ModelError);
    const zip = makeZip([{ name: "face_detector.tflite", data: payload(4000, 9) }]);
    expect(() => listZipEntries(zip.subarray(0, 200))).toThrow(ModelError);
  });

  const shared = path.resolve(process.env.FACESCOPE_SHARED ?? path.join(__dirname, "..", "..", "..", "shared"));
  const model = path.join(shared, "models", "face_landmarker.task");
  (fs.existsSync(model) ? it : it.skip)("extracts the detector from the real face_landmarker.task", async () => {
    const bytes = new Uint8Array(fs.readFileSync(model));
    const det = await extractZipEntry(bytes, "face_detector.tflite");
    expect(det.length).toBe(229746);
    expect(new TextDecoder().decode(det.subarray(4, 8))).toBe("TFL3"); // TFLite flatbuffer identifier
  });
});
