// The 3D view's start camera, fitted to the landmarks' bounds. The viewer's own default frames the
// scene from its bounding box heuristically and, for MediaPipe's flat-ish point cloud (x, y in image
// units, z small), opened too close: the forehead was cut off. An explicit eye sees the whole face.
import type { EyeControls } from "../rerun";

/** Rerun 0.33's default vertical field of view of a 3D view's eye (re_view_spatial, 55°). */
export const VIEWER_FOV_Y_DEG = 55;
/**
 * Width / height of the 3D panel that the fit must hold for: the layout gives the 3D view 2/5 of
 * the widget's width at its full height, so the panel is usually taller than wide (~0.6 in the
 * quickstart); 0.5 leaves room for narrower notebooks.
 */
export const PANEL_ASPECT = 0.5;
/** Space around the face: 15 % on every side. */
export const MARGIN = 1.15;

export interface Box3 {
  min: [number, number, number];
  max: [number, number, number];
}

/**
 * Where any face's landmarks lie before one is seen: the whole picture (x, y are fractions of its
 * width and height) and a depth of half its width either way (MediaPipe's z has x's scale, and a
 * face is no deeper than wide). The first blueprint's camera is fitted to it, so the 3D view opens
 * on the whole face wherever it appears, until the landmarks seen give a closer fit.
 */
export const FRAME_BOX: Box3 = { min: [0, 0, -0.5], max: [1, 1, 0.5] };

/** The running bounds of every 3D landmark seen (NaN and infinite values are skipped). */
export class LandmarkBounds {
  private readonly lo: [number, number, number] = [Infinity, Infinity, Infinity];
  private readonly hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];

  /** Adds points given as flat x, y, z triples. */
  add(xyz: ArrayLike<number>): void {
    for (let i = 0; i + 2 < xyz.length; i += 3) {
      for (let a = 0; a < 3; a++) {
        const v = xyz[i + a];
        if (!Number.isFinite(v)) continue;
        if (v < this.lo[a]) this.lo[a] = v;
        if (v > this.hi[a]) this.hi[a] = v;
      }
    }
  }

  /** The bounds, or undefined before any point. */
  get box(): Box3 | undefined {
    if (!(this.lo[0] <= this.hi[0])) return undefined;
    return { min: [...this.lo], max: [...this.hi] };
  }
}

/**
 * An orbital eye in front of the face (the scene is RDF: x right, y down, z away from the camera
 * that filmed it), looking at the box's centre with image-up (−y) up, far enough back that the whole
 * box fits a view of `fovYDeg` and width/height `aspect`, with `margin` around it.
 */
export function fitCamera(box: Box3, { fovYDeg = VIEWER_FOV_Y_DEG, aspect = PANEL_ASPECT, margin = MARGIN } = {}): EyeControls {
  const centre = box.min.map((lo, a) => (lo + box.max[a]) / 2) as [number, number, number];
  const half = box.min.map((lo, a) => (box.max[a] - lo) / 2);
  const tanY = Math.tan((fovYDeg * Math.PI) / 360);
  const tanX = tanY * aspect;
  // Distance from the box's front face (the side nearest the eye) that fits both half-extents.
  const fit = Math.max(half[0] / tanX, half[1] / tanY, 1e-3) * margin;
  return {
    kind: "Orbital",
    position: [centre[0], centre[1], box.min[2] - fit],
    lookTarget: centre,
    eyeUp: [0, -1, 0],
  };
}

/** Whether two eyes differ by less than `tolerance` (scene units, here image fractions) anywhere. */
export function sameEye(a: EyeControls | undefined, b: EyeControls | undefined, tolerance = 0.02): boolean {
  if (!a || !b) return a === b;
  const pairs = [[a.position, b.position], [a.lookTarget, b.lookTarget]] as const;
  return pairs.every(([p, q]) => p.every((v, i) => Math.abs(v - q[i]) <= tolerance));
}
