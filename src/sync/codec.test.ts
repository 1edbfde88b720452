import { syntheticFrame } from "../scene/testFrames";
import type { FrameResult } from "../results/types";
import { COLUMN_SPECS, decodeResults, encodeResults, readHeader, splitForMessages } from "./codec";

/** Frames with 0, 1 and 2 faces, a NaN landmark and a detection without a landmarked face. */
function frames(n: number): FrameResult[] {
  return Array.from({ length: n }, (_, i) => {
    const f = syntheticFrame(i, i % 3 === 0 ? [] : i % 3 === 1 ? [0] : [0, 1]);
    if (f.faces.count) f.faces.landmarksNorm[5] = NaN;
    f.faces.matrices.fill(i + 0.5);
    f.timestampUs = i * 33_367 + 0.5;
    f.timings.postMs = 0.25; // float32 on the wire: a value it holds exactly
    return f;
  });
}

function plain(r: FrameResult) {
  const arr = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? "NaN" : v));
  return {
    index: r.index, timestampUs: r.timestampUs, width: r.width, height: r.height, timings: r.timings,
    det: { count: r.detections.count, boxes: arr(r.detections.boxesPx), scores: arr(r.detections.scores),
      kp: arr(r.detections.keypointsNorm), ids: arr(r.detections.faceIds) },
    faces: { count: r.faces.count, ids: arr(r.faces.ids), lm: arr(r.faces.landmarksNorm), bs: arr(r.faces.blendshapes),
      m: arr(r.faces.matrices), pose: arr(r.faces.headPoseDeg), box: arr(r.faces.boxesNorm) },
  };
}

describe("results codec", () => {
  it("round-trips every field of every frame, NaNs included", () => {
    const input = frames(7);
    const output = decodeResults(encodeResults(input));
    expect(output.map(plain)).toEqual(input.map(plain));
    expect(Number.isNaN(output[1].faces.landmarksNorm[5])).toBe(true);
  });

  it("describes itself: counts, frame range, 8-byte aligned columns in the table's order", () => {
    const bytes = encodeResults(frames(5), { seq: 3 });
    const h = readHeader(bytes);
    expect([h.frames, h.faces, h.detections]).toEqual([5, 0 + 1 + 2 + 0 + 1, 4]);
    expect(h.frame_range).toEqual([0, 4]);
    expect(h.extra).toEqual({ seq: 3 });
    expect(h.columns.map((c) => c.name)).toEqual(COLUMN_SPECS.map((c) => c.name));
    for (const c of h.columns) expect(c.offset % 8).toBe(0);
    expect(h.columns.find((c) => c.name === "landmarks")?.shape).toEqual([4, 478, 3]);
    expect(bytes.length % 8).toBe(0);
  });

  it("encodes an empty batch and frames without any face", () => {
    expect(decodeResults(encodeResults([]))).toEqual([]);
    const none = frames(1);
    expect(decodeResults(encodeResults(none)).map(plain)).toEqual(none.map(plain));
  });

  it("views the message in place, and copies once when the message is not aligned", () => {
    const bytes = encodeResults(frames(3));
    const [, second] = decodeResults(bytes);
    expect(second.faces.landmarksNorm.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeResults(shifted.subarray(3)).map(plain)).toEqual(frames(3).map(plain));
  });

  it("refuses foreign, truncated and inconsistent input", () => {
    const bytes = encodeResults(frames(3));
    expect(() => decodeResults(new Uint8Array(20))).toThrow(/magic/);
    expect(() => decodeResults(bytes.subarray(0, bytes.length - 100))).toThrow(/truncated/);
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(4, 99, true);
    expect(() => decodeResults(future)).toThrow(/version 99/);
    const bad = frames(2);
    bad[1].faces.blendshapes = new Float32Array(3);
    expect(() => encodeResults(bad)).toThrow(/frame 1: column blendshapes/);
  });

  it("splits a long run into in-order messages that each stay under the limit", () => {
    const input = frames(200);
    const limit = 256 * 1024;
    const groups = splitForMessages(input, limit);
    expect(groups.length).toBeGreaterThan(3);
    expect(groups.flat().map((r) => r.index)).toEqual(input.map((r) => r.index));
    const sizes = groups.map((g) => encodeResults(g, { seq: 99_999 }).length);
    for (const s of sizes) expect(s).toBeLessThanOrEqual(limit);
    // Greedy: every message but the last is reasonably full.
    for (const s of sizes.slice(0, -1)) expect(s).toBeGreaterThan(limit * 0.9);
    expect(() => splitForMessages(frames(3), 1000)).toThrow(/alone needs/);
  });
});
