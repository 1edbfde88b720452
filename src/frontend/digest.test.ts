import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { gunzip, matches, sha256Hex } from "./digest";

const bytes = new TextEncoder().encode("facescope front end");
const hex = createHash("sha256").update(bytes).digest("hex");

describe("digest", () => {
  it("hashes bytes and blobs as Python's hashlib does", async () => {
    expect(await sha256Hex(bytes)).toBe(hex);
    expect(await sha256Hex(new Blob([bytes]))).toBe(hex);
  });

  it("accepts only the listed file: same size and same hash", async () => {
    expect(await matches(bytes, { size: bytes.length, sha256: hex })).toBe(true);
    expect(await matches(bytes.subarray(1), { size: bytes.length, sha256: hex })).toBe(false);
    const flipped = bytes.slice();
    flipped[3] ^= 1;
    expect(await matches(flipped, { size: bytes.length, sha256: hex })).toBe(false);
  });

  it("inflates a gzip member", async () => {
    expect([...await gunzip(new Uint8Array(gzipSync(bytes)))]).toEqual([...bytes]);
  });
});
