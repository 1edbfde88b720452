import { detectorInputSize, lumaWeights, sampleRgba, scaleBoxes } from "./detectorInput";

describe("detectorInputSize", () => {
  it("scales the long side to the target and keeps the aspect ratio", () => {
    expect(detectorInputSize(1280, 720, 384)).toEqual({ width: 384, height: 216 });
    expect(detectorInputSize(720, 1280, 384)).toEqual({ width: 216, height: 384 });
  });
  it("leaves frames that are small enough alone", () => {
    expect(detectorInputSize(384, 200, 384)).toBeNull();
  });
});

describe("sampleRgba", () => {
  it("is the identity at the same size (RGBA and BGRX)", () => {
    const w = 3, h = 2;
    const data = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256);
    const out = sampleRgba({ format: "RGBA", data, planes: [{ offset: 0, stride: w * 4 }], width: w, height: h }, { width: w, height: h });
    for (let i = 0; i < w * h; i++) {
      expect(Array.from(out.subarray(i * 4, i * 4 + 3))).toEqual(Array.from(data.subarray(i * 4, i * 4 + 3)));
      expect(out[i * 4 + 3]).toBe(255);
    }
    const bgr = sampleRgba({ format: "BGRX", data, planes: [{ offset: 0, stride: w * 4 }], width: w, height: h }, { width: w, height: h });
    expect([bgr[0], bgr[1], bgr[2]]).toEqual([data[2], data[1], data[0]]);
  });

  it("samples at pixel centres: 2× down averages each 2×2 block", () => {
    // 4×2 RGBA, left half 0, right half 200 → 2×1: 0 and 200.
    const data = new Uint8Array(4 * 2 * 4);
    for (let y = 0; y < 2; y++) for (let x = 2; x < 4; x++) data.fill(200, (y * 4 + x) * 4, (y * 4 + x) * 4 + 4);
    const out = sampleRgba({ format: "RGBX", data, planes: [{ offset: 0, stride: 16 }], width: 4, height: 2 }, { width: 2, height: 1 });
    expect(Array.from(out)).toEqual([0, 0, 0, 255, 200, 200, 200, 255]);
  });

  it("converts limited-range BT.709 I420 like Chromium (grey and a saturated red)", () => {
    const w = 2, h = 2;
    const planes = [{ offset: 0, stride: 2 }, { offset: 4, stride: 1 }, { offset: 5, stride: 1 }];
    const { kr, kb } = lumaWeights("bt709");
    const grey = sampleRgba({ format: "I420", data: Uint8Array.from([126, 126, 126, 126, 128, 128]), planes, width: w, height: h, kr, kb },
      { width: 1, height: 1 });
    expect(Array.from(grey)).toEqual([128, 128, 128, 255]); // (126 − 16) × 255/219 = 128.1
    // BT.709 red (255, 0, 0): Y 63, U 102, V 240.
    const red = sampleRgba({ format: "I420", data: Uint8Array.from([63, 63, 63, 63, 102, 240]), planes, width: w, height: h, kr, kb },
      { width: 1, height: 1 });
    expect(red[0]).toBeGreaterThanOrEqual(253);
    expect(red[1]).toBeLessThanOrEqual(2);
    expect(red[2]).toBeLessThanOrEqual(2);
  });

  it("reads NV12's interleaved chroma", () => {
    const data = Uint8Array.from([63, 63, 63, 63, 102, 240]);
    const { kr, kb } = lumaWeights("bt709");
    const red = sampleRgba({ format: "NV12", data, planes: [{ offset: 0, stride: 2 }, { offset: 4, stride: 2 }], width: 2, height: 2, kr, kb },
      { width: 1, height: 1 });
    expect(red[0]).toBeGreaterThanOrEqual(253);
    expect(red[2]).toBeLessThanOrEqual(2);
  });
});

describe("scaleBoxes", () => {
  it("maps x, y, w, h rows from the small image's pixels to the frame's", () => {
    const boxes = Float32Array.from([10, 20, 30, 40, 1, 2, 3, 4]);
    scaleBoxes(boxes, { width: 384, height: 216 }, { width: 1280, height: 720 });
    const s = 1280 / 384;
    expect(Array.from(boxes)).toEqual(Array.from(Float32Array.from([10 * s, 20 * s, 30 * s, 40 * s, s, 2 * s, 3 * s, 4 * s])));
  });
});
