import { FRAME_BOX, fitCamera, LandmarkBounds, PANEL_ASPECT, VIEWER_FOV_Y_DEG, type Box3 } from "./startCamera";

/** Where a point lands in the eye's view, as a fraction of the half-width/height (|u|,|v| ≤ 1: visible). */
function project(eye: ReturnType<typeof fitCamera>, p: readonly number[], fovYDeg = VIEWER_FOV_Y_DEG, aspect = PANEL_ASPECT) {
  // The fitted eye looks along +z with −y up, so the view axes are the scene's x and y.
  const depth = p[2] - eye.position[2];
  const tanY = Math.tan((fovYDeg * Math.PI) / 360);
  return { u: (p[0] - eye.position[0]) / (depth * tanY * aspect), v: (p[1] - eye.position[1]) / (depth * tanY), depth };
}

const corners = (b: Box3) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [i & 1 ? b.max[0] : b.min[0], i & 2 ? b.max[1] : b.min[1], i & 4 ? b.max[2] : b.min[2]]);

describe("fitCamera", () => {
  // A face as MediaPipe gives it: x, y in image units (0..1), z a small depth, forehead at small y.
  const face: Box3 = { min: [0.35, 0.15, -0.08], max: [0.65, 0.75, 0.05] };

  it("looks at the face's centre from in front of it, image-up up", () => {
    const eye = fitCamera(face);
    expect(eye.lookTarget).toEqual([0.5, 0.45, -0.015]);
    expect(eye.position[0]).toBeCloseTo(0.5);
    expect(eye.position[1]).toBeCloseTo(0.45);
    expect(eye.position[2]).toBeLessThan(face.min[2]);
    expect(eye.eyeUp).toEqual([0, -1, 0]);
  });

  it("keeps every corner of the face's box inside the view, forehead (min y) included, with a margin", () => {
    const eye = fitCamera(face);
    for (const c of corners(face)) {
      const { u, v, depth } = project(eye, c);
      expect(depth).toBeGreaterThan(0);
      expect(Math.abs(u)).toBeLessThanOrEqual(1 / 1.1);
      expect(Math.abs(v)).toBeLessThanOrEqual(1 / 1.1);
    }
    // …and not so far back that the face is small: its widest extent fills at least half the view.
    const near = corners(face).filter((c) => c[2] === face.min[2]).map((c) => project(eye, c));
    expect(Math.max(...near.map((p) => Math.max(Math.abs(p.u), Math.abs(p.v))))).toBeGreaterThan(0.8);
  });

  it("backs off for a tall face in a narrow panel and for a wider field of view comes closer", () => {
    const tall: Box3 = { min: [0.45, 0, 0], max: [0.55, 1, 0] };
    const eye = fitCamera(tall);
    expect(Math.abs(project(eye, [0.5, 0, 0]).v)).toBeCloseTo(1 / 1.15, 3);
    expect(fitCamera(tall, { fovYDeg: 90 }).position[2]).toBeGreaterThan(eye.position[2]);
  });
});

describe("the camera before any face (FRAME_BOX)", () => {
  it("sees a face anywhere in the picture, forehead included: the picture's corners at any depth a face has", () => {
    const eye = fitCamera(FRAME_BOX);
    expect(eye.lookTarget).toEqual([0.5, 0.5, 0]);
    for (const c of corners(FRAME_BOX)) {
      const { u, v, depth } = project(eye, c);
      expect(depth).toBeGreaterThan(0);
      expect(Math.max(Math.abs(u), Math.abs(v))).toBeLessThan(1);
    }
    // A face at the top edge, its forehead at y = 0 and nearest the eye: inside the view.
    expect(project(eye, [0.5, 0, -0.3]).v).toBeGreaterThan(-1);
  });
});

describe("LandmarkBounds", () => {
  it("grows over frames, skips NaN and is undefined before any point", () => {
    const b = new LandmarkBounds();
    expect(b.box).toBeUndefined();
    b.add([0.4, 0.2, -0.01, 0.6, 0.7, 0.02]);
    b.add(Float32Array.of(NaN, 0.1, 0, 0.5, 0.5, -0.05));
    const f = Math.fround;
    expect(b.box).toEqual({ min: [0.4, f(0.1), f(-0.05)], max: [0.6, 0.7, 0.02] });
  });
});
