import { densityNote, FULL_DENSITY, keeps, planDensity, VIEWER_BYTES } from "./density";

const perFaceFrame = VIEWER_BYTES.rest + VIEWER_BYTES.points2d + VIEWER_BYTES.points3d;
const mb = (bytes: number) => bytes / 2 ** 20;
const cost = (frames: number, faces: number, d: ReturnType<typeof planDensity>) =>
  mb(frames * faces * (VIEWER_BYTES.rest + VIEWER_BYTES.points3d / d.points3dEvery + VIEWER_BYTES.points2d / d.points2dEvery));

describe("planDensity", () => {
  it("shows a clip that fits in full", () => {
    expect(planDensity(300, 1)).toEqual(FULL_DENSITY);
    expect(planDensity(10 * 60 * 25, 1, mb(10 * 60 * 25 * perFaceFrame) + 1)).toEqual(FULL_DENSITY);
  });

  it("thins the 3D points first, just enough to fit", () => {
    const frames = 20_000;
    const budget = mb(frames * (VIEWER_BYTES.rest + VIEWER_BYTES.points2d + VIEWER_BYTES.points3d / 3)) + 1;
    const d = planDensity(frames, 1, budget);
    expect(d).toEqual({ points3dEvery: 3, points2dEvery: 1, overBudget: false });
    expect(cost(frames, 1, d)).toBeLessThanOrEqual(budget);
    expect(cost(frames, 1, { ...d, points3dEvery: 2 })).toBeGreaterThan(budget);
  });

  it("counts every face: two faces need twice the room", () => {
    const budget = mb(10_000 * perFaceFrame) + 1;
    expect(planDensity(10_000, 1, budget)).toEqual(FULL_DENSITY);
    expect(planDensity(10_000, 2, budget).points3dEvery).toBeGreaterThan(1);
  });

  it("thins the 2D points too when thinning 3D is not enough, and says when nothing fits", () => {
    const hour = 60 * 60 * 30;
    const d = planDensity(hour, 1, mb(hour * (VIEWER_BYTES.rest + VIEWER_BYTES.points2d / 4)) + 1);
    expect(d.points3dEvery).toBe(60);
    expect(d.points2dEvery).toBeGreaterThan(1);
    expect(d.overBudget).toBe(false);
    expect(planDensity(hour, 1, 10).overBudget).toBe(true);
  });

  it("refuses a budget that is not positive", () => {
    expect(() => planDensity(10, 1, 0)).toThrow(/positive/);
  });
});

describe("keeps and densityNote", () => {
  it("keeps frames on the stride's grid", () => {
    expect([0, 1, 2, 3, 4, 5, 6].filter((i) => keeps(i, 3))).toEqual([0, 3, 6]);
    expect([0, 1, 2].every((i) => keeps(i, 1))).toBe(true);
  });

  it("says nothing for a full scene and names the strides of a thinned one", () => {
    expect(densityNote(FULL_DENSITY)).toBeNull();
    expect(densityNote({ points3dEvery: 2, points2dEvery: 1, overBudget: false }))
      .toBe("long clip: the 3D face is drawn for every 2nd frame to fit the viewer's memory (Python has every frame)");
    expect(densityNote({ points3dEvery: 60, points2dEvery: 11, overBudget: true }))
      .toMatch(/every 60th frame, the 2D landmarks for every 11th frame .*may drop the earliest frames$/);
    expect(densityNote({ points3dEvery: 21, points2dEvery: 1, overBudget: false })).toContain("every 21st frame");
  });
});
