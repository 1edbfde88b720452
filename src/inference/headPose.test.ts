import { headPoseFromMatrix, matrixFromHeadPose } from "./headPose";

describe("headPoseFromMatrix", () => {
  it("gives zero for the identity (a face looking straight at the camera)", () => {
    const p = headPoseFromMatrix(matrixFromHeadPose({ yaw: 0, pitch: 0, roll: 0 }, [1, 2, -50]));
    expect(p.yaw).toBeCloseTo(0, 6);
    expect(p.pitch).toBeCloseTo(0, 6);
    expect(p.roll).toBeCloseTo(0, 6);
  });

  it.each([
    [30, 0, 0], [-45, 0, 0], [0, 20, 0], [0, -35, 0], [0, 0, 15], [0, 0, -60],
    [25, -10, 5], [-60, 30, -20], [10, 80, 170],
  ])("round-trips yaw %d pitch %d roll %d", (yaw, pitch, roll) => {
    const p = headPoseFromMatrix(matrixFromHeadPose({ yaw, pitch, roll }));
    expect(p.yaw).toBeCloseTo(yaw, 4);
    expect(p.pitch).toBeCloseTo(pitch, 4);
    expect(p.roll).toBeCloseTo(roll, 4);
  });

  it("has the documented signs: yaw turns the face normal towards +x, pitch up towards +y", () => {
    // Column 2 of R is where the face's forward axis (+z) ends up, read from the column-major data.
    const fwd = (m: number[]) => [m[8], m[9], m[10]];
    expect(fwd(matrixFromHeadPose({ yaw: 30, pitch: 0, roll: 0 }))[0]).toBeGreaterThan(0.4);
    expect(fwd(matrixFromHeadPose({ yaw: 0, pitch: 30, roll: 0 }))[1]).toBeGreaterThan(0.4);
    // Roll: the face's x axis (column 0) tips towards +y, counter-clockwise seen from the camera.
    expect(matrixFromHeadPose({ yaw: 0, pitch: 0, roll: 30 })[1]).toBeGreaterThan(0.4);
  });

  it("divides out uniform scale and reads column-major data", () => {
    const m = matrixFromHeadPose({ yaw: 20, pitch: 10, roll: -5 }).map((v, i) => (i < 12 ? v * 3 : v));
    const p = headPoseFromMatrix(m);
    expect(p.yaw).toBeCloseTo(20, 4);
    expect(p.pitch).toBeCloseTo(10, 4);
    expect(p.roll).toBeCloseTo(-5, 4);
    // A transposed (row-major) matrix must not give the same answer for a compound rotation.
    const t = Array.from({ length: 16 }, (_, i) => m[(i % 4) * 4 + Math.floor(i / 4)]);
    expect(Math.abs(headPoseFromMatrix(t).yaw - 20)).toBeGreaterThan(0.5);
  });

  it("rejects a wrong-sized matrix and gives NaN for a degenerate one", () => {
    expect(() => headPoseFromMatrix([1, 0, 0])).toThrow(/16/);
    expect(headPoseFromMatrix(new Array(16).fill(0)).yaw).toBeNaN();
  });
});
