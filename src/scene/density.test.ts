import { densityNote, FULL_DENSITY, keeps, planDensity, VIEWER_BYTES_PER_FACE_FRAME } from "./density";

const mbFor = (faceFrames: number) => (faceFrames * VIEWER_BYTES_PER_FACE_FRAME) / 2 ** 20;

describe("planDensity", () => {
  it("shows every frame of a clip that fits, a 10-minute one included", () => {
    expect(planDensity(300, 1)).toEqual(FULL_DENSITY);
    expect(planDensity(10 * 60 * 25, 1)).toEqual(FULL_DENSITY);
  });

  it("thins an hour-long clip just enough to fit", () => {
    const hour = 60 * 60 * 25;
    const { framesEvery } = planDensity(hour, 1);
    expect(framesEvery).toBeGreaterThan(1);
    expect(mbFor(hour / framesEvery)).toBeLessThanOrEqual(1500);
    expect(mbFor(hour / (framesEvery - 1))).toBeGreaterThan(1500);
  });

  it("counts every face: two faces need twice the room", () => {
    const budget = mbFor(10_000) + 1;
    expect(planDensity(10_000, 1, budget)).toEqual(FULL_DENSITY);
    expect(planDensity(10_000, 2, budget)).toEqual({ framesEvery: 2 });
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

  it("says nothing for a full scene and names the stride of a thinned one", () => {
    expect(densityNote(FULL_DENSITY)).toBeNull();
    expect(densityNote({ framesEvery: 2 }))
      .toBe("long clip: the viewer shows every 2nd frame to fit its memory (Python has every frame)");
    expect(densityNote({ framesEvery: 21 })).toContain("every 21st frame");
    expect(densityNote({ framesEvery: 12 })).toContain("every 12th frame");
  });
});
