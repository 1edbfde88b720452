// How much of a long clip the viewer is given. The Rerun web viewer holds the whole recording in
// wasm memory (at most 4 GiB, shared with everything else it caches), and a face frame costs it far
// more than its bytes on the wire: ~55 kB, measured with `scripts/bench_long.py` (a 10-minute
// clip's 15 002 face frames took 784 MB). An hour-long interview would not fit, and the viewer
// would silently drop its oldest data; instead the faces of every n-th frame only are logged, n
// chosen up front from the clip's length, and the widget says so. The video's frame references are
// all kept (one row a frame, cheap), so the video still plays at its own rate under the overlays.
// Thinning only the point clouds is not enough: without them a face frame still cost the viewer
// ~53 kB (its 55 scalar series, boxes and keypoints dominate). The kernel always gets every frame.

/** Viewer wasm memory per face per frame (bytes, measured as above). */
export const VIEWER_BYTES_PER_FACE_FRAME = 55_000;

/** The default viewer budget: leaves room under the wasm limit for the viewer's own caches. */
export const DEFAULT_VIEWER_MEMORY_MB = 1500;

export interface SceneDensity {
  /** Log the faces of every n-th frame (frame_idx % n === 0). */
  facesEvery: number;
}

export const FULL_DENSITY: SceneDensity = { facesEvery: 1 };

/** The densest plan for `frames` frames of up to `faces` faces each that fits `budgetMb` of viewer memory. */
export function planDensity(frames: number, faces: number, budgetMb = DEFAULT_VIEWER_MEMORY_MB): SceneDensity {
  if (!(budgetMb > 0)) throw new RangeError(`the viewer memory budget must be positive, got ${budgetMb} MB`);
  const need = Math.max(0, frames) * Math.max(1, faces) * VIEWER_BYTES_PER_FACE_FRAME;
  return { facesEvery: Math.max(1, Math.ceil(need / (budgetMb * 2 ** 20))) };
}

/** Whether frame `index` keeps its faces under a plan that logs every `every`-th frame. */
export const keeps = (index: number, every: number): boolean => every <= 1 || index % every === 0;

/** What the widget says about a thinned scene, or null when every frame is shown. */
export function densityNote(d: SceneDensity | undefined): string | null {
  if (!d || d.facesEvery <= 1) return null;
  return `long clip: the viewer shows the faces of every ${d.facesEvery}${ordinalSuffix(d.facesEvery)} frame ` +
    "to fit its memory (Python has every frame)";
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}
