import { packDetections, packFaces } from "./pack";
import { mergePartials, partialBuffers, planWorkers } from "./merge";
import type { PartialResult } from "./protocol";

const face = (x0: number, y0: number, s: number) =>
  Array.from({ length: 478 }, (_, j) => ({ x: x0 + (j % 2) * s, y: y0 + (j % 3 === 0 ? s : 0), z: 0 }));

function landmarkerPart(index: number): PartialResult {
  const faces = packFaces({ faceLandmarks: [face(0.1, 0.1, 0.2), face(0.6, 0.5, 0.2)] });
  faces.ids = Int32Array.from([7, 3]);
  return { index, width: 200, height: 100, faces, landmarkerMs: 20, postMs: 1 };
}

function detectorPart(index: number): PartialResult {
  // One box over the second face (0.6..0.8 × 0.5..0.7 of 200×100 px).
  const detections = packDetections([{ categories: [{ score: 0.9 }], keypoints: [],
    boundingBox: { originX: 120, originY: 50, width: 40, height: 20 } }]);
  return { index, width: 200, height: 100, detections, detectorMs: 8, postMs: 0.5 };
}

describe("planWorkers", () => {
  it("gives the detector its own worker and two landmarkers taking turns when there are two cores", () => {
    expect(planWorkers(true, 2)).toEqual([["landmarker"], ["landmarker"], ["detector"]]);
    expect(planWorkers(true, 8)).toEqual([["landmarker"], ["landmarker"], ["detector"]]);
    expect(planWorkers(false, 4)).toEqual([["landmarker"], ["landmarker"]]);
    expect(planWorkers(true, 2, 1)).toEqual([["landmarker"], ["detector"]]);
  });
  it("keeps one worker on one core", () => {
    expect(planWorkers(true, 1)).toEqual([["detector", "landmarker"]]);
    expect(planWorkers(false, 1)).toEqual([["landmarker"]]);
  });
});

describe("mergePartials", () => {
  it("joins the two workers' results, links boxes to landmark ids and adds up timings", () => {
    const r = mergePartials([detectorPart(4), landmarkerPart(4)], { index: 4, timestampUs: 160_000, decodeMs: 2 });
    expect(r.index).toBe(4);
    expect(r.timestampUs).toBe(160_000);
    expect([r.width, r.height]).toEqual([200, 100]);
    expect(r.faces.count).toBe(2);
    expect(Array.from(r.faces.ids)).toEqual([7, 3]);
    expect(r.detections.count).toBe(1);
    expect(Array.from(r.detections.faceIds)).toEqual([3]);
    expect(r.timings).toEqual({ decodeMs: 2, detectorMs: 8, landmarkerMs: 20, postMs: 1.5 });
  });

  it("works with a single worker running both stages", () => {
    const both = { ...landmarkerPart(0), detections: detectorPart(0).detections, detectorMs: 8 };
    const r = mergePartials([both], { index: 0, timestampUs: 0, decodeMs: 0 });
    expect(Array.from(r.detections.faceIds)).toEqual([3]);
    expect(r.timings.detectorMs).toBe(8);
  });

  it("gives empty detections when the detector is off", () => {
    const r = mergePartials([landmarkerPart(1)], { index: 1, timestampUs: 40_000, decodeMs: 0 });
    expect(r.detections.count).toBe(0);
    expect(r.timings.detectorMs).toBe(0);
  });

  it("refuses results of another frame and results without landmarks", () => {
    expect(() => mergePartials([detectorPart(5), landmarkerPart(4)], { index: 4, timestampUs: 0, decodeMs: 0 }))
      .toThrow(/out of order/);
    expect(() => mergePartials([detectorPart(4)], { index: 4, timestampUs: 0, decodeMs: 0 })).toThrow(/no worker returned landmarks/);
  });
});

describe("partialBuffers", () => {
  it("lists only the buffers of the stages that ran, each once", () => {
    expect(partialBuffers(detectorPart(0))).toHaveLength(4);
    expect(partialBuffers(landmarkerPart(0))).toHaveLength(6);
    const both = partialBuffers({ ...landmarkerPart(0), detections: detectorPart(0).detections });
    expect(new Set(both).size).toBe(10);
  });
});
