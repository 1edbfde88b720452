import { vp8Config, vp9Config, vp9Level } from "./vpx";

const SYNC = [0x49, 0x83, 0x42];

describe("vp9Config", () => {
  it("reads profile 1 4:4:4 full-range BT.709 from the key frame header", () => {
    // frame_marker 10, profile 1 (low 1, high 0), not a repeat, key frame, shown; then colour:
    // BT.709 (010), full range, no subsampling in x or y, reserved bit.
    expect(vp9Config(Uint8Array.of(0b10100010, ...SYNC, 0b01010000), 1920, 1080)).toEqual({
      profile: 1, level: 40, bitDepth: 8, chromaSubsampling: 3, fullRange: true, matrixCoefficients: 1,
    });
  });

  it("reads profile 2's bit depth (12) and 4:2:0 video range", () => {
    expect(vp9Config(Uint8Array.of(0b10010010, ...SYNC, 0b10010000), 640, 360)).toMatchObject({
      profile: 2, bitDepth: 12, chromaSubsampling: 1, fullRange: false, matrixCoefficients: 6, level: 21,
    });
  });

  it("refuses a first frame that is not a key frame, or not VP9", () => {
    expect(() => vp9Config(Uint8Array.of(0b10100110, ...SYNC, 0), 64, 64)).toThrow(/not a key frame/);
    expect(() => vp9Config(Uint8Array.of(0x00, ...SYNC, 0), 64, 64)).toThrow(/frame marker/);
    expect(() => vp9Config(Uint8Array.of(0b10000010, 0x49), 64, 64)).toThrow(/cut short/);
  });

  it("picks the smallest level whose picture size fits", () => {
    expect([vp9Level(64, 64), vp9Level(360, 288), vp9Level(960, 400), vp9Level(1280, 720), vp9Level(3840, 2160), vp9Level(16384, 16384)])
      .toEqual([10, 20, 30, 31, 50, 62]);
  });
});

describe("vp8Config", () => {
  it("takes the version from a key frame's tag and checks its start code", () => {
    expect(vp8Config(Uint8Array.of(0b0100, 0, 0, 0x9d, 0x01, 0x2a))).toMatchObject({ profile: 2, bitDepth: 8, level: 0 });
    expect(() => vp8Config(Uint8Array.of(0b0001, 0, 0, 0x9d, 0x01, 0x2a))).toThrow(/not a key frame/);
    expect(() => vp8Config(Uint8Array.of(0, 0, 0, 1, 2, 3))).toThrow(/start code/);
  });
});
