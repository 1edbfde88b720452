import { compress, decompress, maxCompressedSize } from "./lz4";

function random(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const roundTrip = (b: Uint8Array) => decompress(compress(b), b.length);

describe("LZ4 block codec", () => {
  it.each([
    ["empty", new Uint8Array(0)],
    ["shorter than a match may be", Uint8Array.from([1, 2, 3, 4, 1, 2, 3, 4, 1, 2])],
    ["random (incompressible)", random(10_000)],
    ["one byte repeated (overlapping matches)", new Uint8Array(100_000).fill(7)],
    ["a repeated pattern with long literal runs", Uint8Array.from({ length: 70_000 }, (_, i) => (i % 1000 < 600 ? i % 251 : 3))],
    ["matches at the largest offset", (() => { const r = random(65_535 + 100, 3); r.set(r.subarray(0, 100), 65_535); return r; })()],
  ])("round-trips %s", (_name, input) => {
    const packed = compress(input);
    expect(packed.length).toBeLessThanOrEqual(maxCompressedSize(input.length));
    expect(decompress(packed, input.length)).toEqual(input);
  });

  it("shrinks what repeats, like the class and keypoint ids of every landmark row", () => {
    const ids = new Uint16Array(478 * 50).map((_, i) => (i % 478) % 9);
    const bytes = new Uint8Array(ids.buffer);
    expect(compress(bytes).length).toBeLessThan(bytes.length / 20);
    expect(roundTrip(bytes)).toEqual(bytes);
  });

  it("keeps the format's end rules: the block ends with at least 5 literal bytes", () => {
    const input = new Uint8Array(1000).fill(9);
    const packed = compress(input);
    // The last sequence is a token with literals only: its low nibble (match length) is 0.
    const lastToken = packed.length - 1 - 5;
    expect(packed[lastToken] & 0x0f).toBe(0);
    expect(packed[lastToken] >>> 4).toBe(5);
    expect(Array.from(packed.subarray(lastToken + 1))).toEqual([9, 9, 9, 9, 9]);
  });

  it("decodes a block written by another encoder (hand-assembled from the format description)", () => {
    // "abcd" as literals, then a match of 8 at offset 4 ("abcdabcd"), then "xyz12" as the last literals.
    const block = Uint8Array.from([0x44, 97, 98, 99, 100, 4, 0, 0x50, 120, 121, 122, 49, 50]);
    expect(new TextDecoder().decode(decompress(block, 17))).toBe("abcdabcdabcdxyz12");
  });

  it("refuses blocks that do not fit the size they claim or point outside the output", () => {
    const packed = compress(new Uint8Array(100).fill(1));
    expect(() => decompress(packed, 99)).toThrow(/LZ4/);
    expect(() => decompress(packed, 101)).toThrow(/LZ4/);
    expect(() => decompress(Uint8Array.from([0x04, 9, 0]), 10)).toThrow(/outside/);
    expect(() => decompress(Uint8Array.from([0xf0]), 10)).toThrow(/length/);
  });
});
