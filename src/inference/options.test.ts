import { DEFAULT_CLIP_OPTIONS } from "../options";
import { analysisOptions, DEFAULT_OPTIONS, nextTimestampMs, OptionsError, resolveOptions } from "./options";

describe("resolveOptions", () => {
  it("fills defaults: one face, 0.5 thresholds, auto delegate, detector on", () => {
    expect(resolveOptions()).toEqual(DEFAULT_OPTIONS);
    expect(resolveOptions({ numFaces: 3, delegate: "GPU" })).toMatchObject({ numFaces: 3, delegate: "GPU", minTrackingConfidence: 0.5 });
  });

  it.each([
    [{ numFaces: 0 }, /numFaces/], [{ numFaces: 2.5 }, /numFaces/], [{ numFaces: 99 }, /numFaces/],
    [{ minDetectionConfidence: 1.5 }, /minDetectionConfidence/], [{ minPresenceConfidence: -0.1 }, /minPresenceConfidence/],
    [{ minTrackingConfidence: NaN }, /minTrackingConfidence/], [{ delegate: "TPU" }, /delegate/],
    [{ num_faces: 2 }, /unknown option "num_faces"/], [{ maxDim: 640 }, /unknown option "maxDim"/],
  ])("rejects %j", (bad, message) => {
    expect(() => resolveOptions(bad as never)).toThrow(OptionsError);
    expect(() => resolveOptions(bad as never)).toThrow(message);
  });
});

describe("analysisOptions", () => {
  it("hands the worker the MediaPipe options of the table and not the video's or the viewer's", () => {
    const picked = analysisOptions({ ...DEFAULT_CLIP_OPTIONS, numFaces: 4, maxDim: 640 });
    expect(picked).toEqual({ ...DEFAULT_OPTIONS, numFaces: 4 });
    expect(Object.keys(picked)).not.toContain("maxDim");
  });
});

describe("nextTimestampMs", () => {
  it("passes increasing media times through in ms", () => {
    expect(nextTimestampMs(40_000, undefined)).toBe(40);
    expect(nextTimestampMs(80_000, 40)).toBe(80);
  });

  it("nudges equal or decreasing times forward so MediaPipe never sees a repeat", () => {
    const a = nextTimestampMs(0, undefined);
    const b = nextTimestampMs(0, a);
    const c = nextTimestampMs(0, b);
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    expect(nextTimestampMs(10_000, 50)).toBeGreaterThan(50);
  });
});
