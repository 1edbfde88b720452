import { FaceTracker, iou, linkDetectionsToFaces, matchByIou } from "./tracker";

const box = (x: number, y: number, w = 0.2, h = 0.2) => [x, y, w, h];
const flat = (...boxes: number[][]) => boxes.flat();
/** Presentation timestamp (µs) of frame k at `fps`. */
const at = (k: number, fps = 30) => Math.round((k * 1e6) / fps);
/** Feeds frames (lists of boxes) at the given timestamps; returns each frame's ids. */
const run = (t: FaceTracker, frames: number[][][], times: number[]) =>
  frames.map((f, k) => Array.from(t.update(flat(...f), f.length, times[k])));

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
    const first = Array.from(t.update(flat(box(0.1, 0.1), box(0.6, 0.1)), 2, at(0)));
    expect(first).toEqual([0, 1]);
    let a = 0.1, b = 0.6;
    for (let k = 0; k < 20; k++) {
      a += 0.01; b -= 0.005;
      const swapped = k % 2 === 1;
      const ids = Array.from(t.update(swapped ? flat(box(b, 0.1), box(a, 0.1)) : flat(box(a, 0.1), box(b, 0.1)), 2, at(k + 1)));
      expect(ids).toEqual(swapped ? [1, 0] : [0, 1]);
    }
  });

  it("retires an id once its face has been gone longer than maxGapUs, and never reuses it", () => {
    const t = new FaceTracker({ maxGapUs: 100_000 });
    expect(run(t, [[box(0.1, 0.1)], [], [box(0.1, 0.1)]], [0, 50_000, 100_000])).toEqual([[0], [], [0]]);
    t.update([], 0, 150_000);
    expect(t.liveIds).toEqual([0]);
    t.update([], 0, 200_001);
    expect(t.liveIds).toEqual([]);
    expect(Array.from(t.update(flat(box(0.1, 0.1)), 1, 250_000))).toEqual([1]);
  });

  it("gives a new id to a face that jumps elsewhere (no overlap means a different track)", () => {
    const t = new FaceTracker();
    t.update(flat(box(0.0, 0.0)), 1, at(0));
    expect(Array.from(t.update(flat(box(0.7, 0.7)), 1, at(1)))).toEqual([1]);
  });

  // A face moving 0.05 per frame and dropped for 2 frames is back 0.15 away: IoU 1/7 with the box
  // it left (below minIou), centre 0.75 face sizes away.
  it("keeps the id of a face gone for 2 frames that comes back near where it was", () => {
    const t = new FaceTracker();
    const frames = [[box(0.1, 0.1)], [box(0.15, 0.1)], [], [], [box(0.3, 0.1)], [box(0.35, 0.1)]];
    expect(run(t, frames, frames.map((_, k) => at(k)))).toEqual([[0], [0], [], [], [0], [0]]);
  });

  it("gives a new id to a face back after a gap longer than the bound, even at a low frame rate", () => {
    const t = new FaceTracker();
    // 10 fps: 5 missing frames is 0.6 s, more than the 0.5 s bound (and fewer than 10 frames).
    const frames = [[box(0.1, 0.1)], [], [], [], [], [], [box(0.1, 0.1)]];
    expect(run(t, frames, frames.map((_, k) => at(k, 10)))).toEqual([[0], [], [], [], [], [], [1]]);
  });

  it("gives a new id to a face that comes back too far away or at a very different size", () => {
    const back = (returning: number[]) => {
      const t = new FaceTracker();
      return run(t, [[box(0.1, 0.1)], [], [], [returning]], [0, 1, 2, 3].map((k) => at(k)))[3][0];
    };
    expect(back(box(0.25, 0.1))).toBe(0); // 0.75 face sizes away: near
    expect(back(box(0.1, 0.29))).toBe(0); // 0.95 face sizes away: near
    expect(back(box(0.35, 0.1))).toBe(1); // 1.25 face sizes away: far
    expect(back(box(0.5, 0.5))).toBe(1);
    expect(back(box(0.05, 0.05, 0.3, 0.3))).toBe(0); // ×1.5 in size: the same face, closer
    expect(back(box(-0.1, -0.1, 0.6, 0.6))).toBe(1); // ×3 in size: another face
  });

  it("gives an old id back to one face only, and not once another face has taken it over", () => {
    // Two faces come back near where one left: the nearer gets its id, the other a new one.
    const u = new FaceTracker();
    const two = [[box(0.3, 0.1)], [], [box(0.1, 0.1), box(0.45, 0.1)]];
    expect(run(u, two, two.map((_, k) => at(k)))).toEqual([[0], [], [1, 0]]);
    const t = new FaceTracker();
    // Face 0 leaves; a new face appears on its spot and continues track 0 by overlap; face 0 comes back beside it.
    const frames = [[box(0.3, 0.1)], [], [box(0.3, 0.1)], [box(0.3, 0.1), box(0.15, 0.1)]];
    expect(run(t, frames, frames.map((_, k) => at(k)))).toEqual([[0], [], [0], [0, 1]]);
  });

  it("two faces: the one missing for 2 frames gets its id back, the other keeps its own", () => {
    const t = new FaceTracker();
    const frames = [
      [box(0.1, 0.1), box(0.6, 0.1)], [box(0.15, 0.1), box(0.58, 0.1)],
      [box(0.56, 0.1)], [box(0.54, 0.1)],
      [box(0.52, 0.1), box(0.3, 0.1)], [box(0.35, 0.1), box(0.5, 0.1)],
    ];
    expect(run(t, frames, frames.map((_, k) => at(k)))).toEqual([[0, 1], [0, 1], [1], [1], [1, 0], [0, 1]]);
  });

  it("two faces crossing keep their ids while one is hidden behind the other", () => {
    const t = new FaceTracker();
    // A moves right, B left, 0.04 a frame each; A is hidden for 2 frames as they pass.
    const frames: number[][][] = [];
    for (let k = 0; k < 12; k++) {
      const a = box(0.1 + 0.04 * k, 0.1), b = box(0.54 - 0.04 * k, 0.1);
      frames.push(k === 5 || k === 6 ? [b] : [a, b]);
    }
    const ids = run(t, frames, frames.map((_, k) => at(k)));
    expect(ids.filter((f) => f.length === 2)).toEqual(Array(10).fill([0, 1]));
    expect(ids[5]).toEqual([1]);
  });

  it("bounds the gap in presentation time, whatever the frame timestamps", () => {
    const face = [box(0.1, 0.1)];
    // Irregular timestamps, camera frames skipped: 2 missing frames span 0.7 s, so a new id...
    let t = new FaceTracker();
    expect(run(t, [face, [], [], face], [0, 33_000, 650_000, 700_000])).toEqual([[0], [], [], [1]]);
    // ...while 15 missing frames at 120 fps (0.13 s) keep it; the face drifted 0.15 meanwhile.
    t = new FaceTracker();
    const frames = [face, ...Array(15).fill([]), [box(0.25, 0.1)]];
    const times = frames.map((_, k) => at(k, 120) + (k % 3) * 1_000);
    expect(run(t, frames, times).at(-1)).toEqual([0]);
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
