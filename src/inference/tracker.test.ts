import { FaceTracker, iou, linkDetectionsToFaces, matchByIou } from "./tracker";

const box = (x: number, y: number, w = 0.2, h = 0.2) => [x, y, w, h];
const flat = (...boxes: number[][]) => boxes.flat();

describe("iou", () => {
  it("is 1 for identical, 0 for disjoint, 1/7 for half-overlapping equal boxes", () => {
    expect(iou(box(0, 0), box(0, 0))).toBeCloseTo(1);
    expect(iou(box(0, 0), box(0.5, 0.5))).toBe(0);
    expect(iou([0, 0, 2, 2], [1, 0, 2, 2])).toBeCloseTo(2 / 6);
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
    expect(iou([NaN, 0, 1, 1], [0, 0, 1, 1])).toBe(0);
  });
});

describe("matchByIou", () => {
  it("prefers the best overlap and matches one-to-one", () => {
    const a = [box(0, 0), box(0.1, 0)];
    const b = [box(0.09, 0)];
    expect(matchByIou(a, b, 0.3)).toEqual([1]);
    expect(matchByIou([box(0, 0)], [box(0, 0), box(0.01, 0)], 0.3)).toEqual([0, -1]);
  });
});

describe("FaceTracker", () => {
  it("keeps ids while faces move smoothly, even when the landmarker reorders them", () => {
    const t = new FaceTracker();
    const first = Array.from(t.update(flat(box(0.1, 0.1), box(0.6, 0.1)), 2));
    expect(first).toEqual([0, 1]);
    let a = 0.1, b = 0.6;
    for (let k = 0; k < 20; k++) {
      a += 0.01; b -= 0.005;
      const swapped = k % 2 === 1;
      const ids = Array.from(t.update(swapped ? flat(box(b, 0.1), box(a, 0.1)) : flat(box(a, 0.1), box(b, 0.1)), 2));
      expect(ids).toEqual(swapped ? [1, 0] : [0, 1]);
    }
  });

  it("survives short gaps but retires ids after maxMissed frames and never reuses them", () => {
    const t = new FaceTracker({ maxMissed: 2 });
    expect(Array.from(t.update(flat(box(0.1, 0.1)), 1))).toEqual([0]);
    t.update([], 0);
    t.update([], 0);
    expect(Array.from(t.update(flat(box(0.1, 0.1)), 1))).toEqual([0]);
    t.update([], 0); t.update([], 0); t.update([], 0);
    expect(t.liveIds).toEqual([]);
    expect(Array.from(t.update(flat(box(0.1, 0.1)), 1))).toEqual([1]);
  });

  it("gives a new id to a face that jumps elsewhere (no overlap means a different track)", () => {
    const t = new FaceTracker();
    t.update(flat(box(0.0, 0.0)), 1);
    expect(Array.from(t.update(flat(box(0.7, 0.7)), 1))).toEqual([1]);
  });
});

describe("linkDetectionsToFaces", () => {
  it("maps pixel detector boxes onto normalised landmark boxes", () => {
    const ids = linkDetectionsToFaces(
      [600, 100, 200, 200, 0, 0, 10, 10], 2,
      flat(box(0.1, 0.1), box(0.6, 0.1)), [7, 9], 2, 1000, 1000);
    expect(Array.from(ids)).toEqual([9, -1]);
  });
});
