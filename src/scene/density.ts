// How much of each frame the viewer is given. The Rerun web viewer holds the whole recording in
// wasm memory (at most 4 GiB, shared with everything else it caches), and a face frame costs it far
// more than its bytes on the wire. An hour-long interview at full density would not fit, and the
// viewer would silently drop the oldest data; instead the dense point clouds are thinned up front,
// by a stride chosen from the clip's length, and the widget says so. The kernel always gets every
// frame: only what the viewer (and the saved recording) shows is thinned.

/** Viewer memory per face per frame, by part (bytes; measured with scripts/bench_long.py). */
export const VIEWER_BYTES = {
  /** 478 3D points (the reconstruction). */
  points3d: 36_000,
  /** 478 2D points over the video. */
  points2d: 30_000,
  /** Everything else: 55 scalar series, boxes, detector keypoints, the video frame reference. */
  rest: 24_000,
};

/** The default viewer budget: leaves room under the wasm limit for the viewer's own caches. */
export const DEFAULT_VIEWER_MEMORY_MB = 1500;

/** The strides above which thinning stops (a point cloud every 2 s at 30 fps is still a face). */
const MAX_STRIDE = 60;

export interface SceneDensity {
  /** Log the 3D landmarks of every n-th frame (frame_idx % n === 0). */
  points3dEvery: number;
  /** Log the 2D landmarks of every n-th frame. */
  points2dEvery: number;
  /** The plan does not fit even at the largest strides: the viewer may drop the oldest frames. */
  overBudget: boolean;
}

export const FULL_DENSITY: SceneDensity = { points3dEvery: 1, points2dEvery: 1, overBudget: false };

/**
 * The densest plan for `frames` frames of up to `faces` faces each that fits `budgetMb` of viewer
 * memory: first the 3D points are thinned, then, if that is not enough, the 2D points too.
 */
export function planDensity(frames: number, faces: number, budgetMb = DEFAULT_VIEWER_MEMORY_MB): SceneDensity {
  if (!(budgetMb > 0)) throw new RangeError(`the viewer memory budget must be positive, got ${budgetMb} MB`);
  const faceFrames = Math.max(0, frames) * Math.max(1, faces);
  const budget = budgetMb * 2 ** 20;
  const cost = (every3d: number, every2d: number) =>
    faceFrames * (VIEWER_BYTES.rest + VIEWER_BYTES.points3d / every3d + VIEWER_BYTES.points2d / every2d);
  if (cost(1, 1) <= budget) return FULL_DENSITY;
  // Thinning a part by n leaves 1/n of it: solve for the smallest stride that fits.
  const stride = (room: number, part: number) => Math.min(MAX_STRIDE, Math.max(1, Math.ceil((faceFrames * part) / room)));
  const roomFor3d = budget - faceFrames * (VIEWER_BYTES.rest + VIEWER_BYTES.points2d);
  if (roomFor3d > 0) {
    const points3dEvery = stride(roomFor3d, VIEWER_BYTES.points3d);
    if (cost(points3dEvery, 1) <= budget) return { points3dEvery, points2dEvery: 1, overBudget: false };
  }
  const roomFor2d = budget - faceFrames * (VIEWER_BYTES.rest + VIEWER_BYTES.points3d / MAX_STRIDE);
  const points2dEvery = roomFor2d > 0 ? stride(roomFor2d, VIEWER_BYTES.points2d) : MAX_STRIDE;
  return { points3dEvery: MAX_STRIDE, points2dEvery, overBudget: cost(MAX_STRIDE, points2dEvery) > budget };
}

/** Whether frame `index` keeps a part logged every `every` frames. */
export const keeps = (index: number, every: number): boolean => every <= 1 || index % every === 0;

/** What the widget says about a thinned scene, or null when every frame is shown in full. */
export function densityNote(d: SceneDensity | undefined): string | null {
  if (!d || (d.points3dEvery <= 1 && d.points2dEvery <= 1)) return null;
  const nth = (n: number) => `every ${n}${ordinalSuffix(n)} frame`;
  const parts = [`the 3D face is drawn for ${nth(d.points3dEvery)}`];
  if (d.points2dEvery > 1) parts.push(`the 2D landmarks for ${nth(d.points2dEvery)}`);
  const tail = d.overBudget ? "; even so the viewer may drop the earliest frames" : "";
  return `long clip: ${parts.join(", ")} to fit the viewer's memory (Python has every frame)${tail}`;
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}
