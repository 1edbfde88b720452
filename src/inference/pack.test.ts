import { blendshapeIndex, BLENDSHAPE_NAMES } from "../results/blendshapes";
import { NUM_BLENDSHAPES, NUM_LANDMARKS } from "../results/types";
import { matrixFromHeadPose } from "./headPose";
import { packDetections, packFaces } from "./pack";

describe("blendshape names", () => {
  it("has 52 unique names with _neutral first", () => {
    expect(BLENDSHAPE_NAMES).toHaveLength(52);
    expect(new Set(BLENDSHAPE_NAMES).size).toBe(52);
    expect(BLENDSHAPE_NAMES[0]).toBe("_neutral");
    expect(blendshapeIndex("eyeBlinkLeft")).toBe(9);
    expect(blendshapeIndex("jawOpen")).toBe(25);
    expect(() => blendshapeIndex("tongueOut")).toThrow(/unknown/);
  });
});

describe("packDetections", () => {
  it("lays out boxes, scores and six keypoints per row", () => {
    const d = packDetections([
      { categories: [{ score: 0.9 }], boundingBox: { originX: 10, originY: 20, width: 30, height: 40 },
        keypoints: Array.from({ length: 6 }, (_, k) => ({ x: k / 10, y: k / 20 })) },
      { categories: [{ score: 0.6 }], keypoints: [] },
    ]);
    expect(d.count).toBe(2);
    expect(Array.from(d.boxesPx.subarray(0, 4))).toEqual([10, 20, 30, 40]);
    expect(Number.isNaN(d.boxesPx[4])).toBe(true);
    expect(d.scores[1]).toBeCloseTo(0.6);
    expect(d.keypointsNorm[5 * 2]).toBeCloseTo(0.5);
    expect(d.keypointsNorm[5 * 2 + 1]).toBeCloseTo(0.25);
    expect(Number.isNaN(d.keypointsNorm[12])).toBe(true);
    expect(Array.from(d.faceIds)).toEqual([-1, -1]);
  });
});

describe("packFaces", () => {
  const landmarks = (dx: number) => Array.from({ length: NUM_LANDMARKS }, (_, j) => ({ x: dx + (j % 10) / 100, y: 0.2 + Math.floor(j / 10) / 1000, z: -j / 1e4 }));

  it("packs landmarks, a landmark box, blendshapes by name and the pose", () => {
    // Categories in reverse order: columns must still follow BLENDSHAPE_NAMES.
    const cats = BLENDSHAPE_NAMES.map((categoryName, i) => ({ categoryName, score: i / 100 })).reverse();
    const f = packFaces({
      faceLandmarks: [landmarks(0.1), landmarks(0.5)],
      faceBlendshapes: [{ categories: cats }, { categories: [{ categoryName: "jawOpen", score: 0.7 }] }],
      facialTransformationMatrixes: [{ rows: 4, columns: 4, data: matrixFromHeadPose({ yaw: 12, pitch: -7, roll: 3 }) }],
    });
    expect(f.count).toBe(2);
    expect(f.landmarksNorm.length).toBe(2 * NUM_LANDMARKS * 3);
    expect(f.landmarksNorm[(NUM_LANDMARKS + 1) * 3]).toBeCloseTo(0.51);
    expect(f.landmarksNorm[477 * 3 + 2]).toBeCloseTo(-0.0477);
    expect(f.boxesNorm[0]).toBeCloseTo(0.1);
    expect(f.boxesNorm[2]).toBeCloseTo(0.09);
    expect(f.boxesNorm[3]).toBeCloseTo(0.047);
    expect(f.blendshapes[blendshapeIndex("eyeBlinkRight")]).toBeCloseTo(0.1);
    expect(f.blendshapes[NUM_BLENDSHAPES + blendshapeIndex("jawOpen")]).toBeCloseTo(0.7);
    expect(Number.isNaN(f.blendshapes[NUM_BLENDSHAPES])).toBe(true);
    expect(Array.from(f.headPoseDeg.subarray(0, 3)).map((v) => Math.round(v))).toEqual([12, -7, 3]);
    expect(Number.isNaN(f.headPoseDeg[3])).toBe(true);
    expect(Array.from(f.ids)).toEqual([-1, -1]);
  });

  it("packs an empty result as zero rows", () => {
    const f = packFaces({ faceLandmarks: [] });
    expect(f.count).toBe(0);
    expect(f.landmarksNorm.length).toBe(0);
  });
});
