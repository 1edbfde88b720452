// How much of a long clip the viewer is given. The Rerun web viewer holds the whole recording in
// wasm memory (at most 4 GiB, shared with everything else it caches), and a frame costs it far more
// than its bytes on the wire. Measured with `scripts/bench_long.py` (one face, 25 fps): a 10-minute
// clip took 784 MB, a 2-minute one 202–238 MB, and the same 2 minutes with every 5th frame logged
// 157 MB — so ~35–50 kB a frame over a fixed ~140 MB. An hour-long interview would not fit, and the
// viewer would silently drop its oldest data; instead every n-th frame only is logged, n chosen up
// front from the clip's length, and the widget says so. Thinning only the point clouds or only the
// faces is not enough (the 2-minute clip with the faces of every 5th frame still took 161 MB). The
// kernel always gets every frame.

/** Viewer wasm memory per face per frame (bytes; measured as above, rounded up to cover the fixed part). */
export const VIEWER_BYTES_PER_FACE_FRAME = 55_000;

/** The default viewer budget: leaves room under the wasm limit for the viewer's own caches. */
export const DEFAULT_VIEWER_MEMORY_MB = 1500;

export interface SceneDensity {
  /** Log every n-th frame (frame_idx % n === 0). */
  framesEvery: number;
}

export const FULL_DENSITY: SceneDensity = { framesEvery: 1 };

/** The densest plan for `frames` frames of up to `faces` faces each that fits `budgetMb` of viewer memory. */
export function planDensity(frames: number, faces: number, budgetMb = DEFAULT_VIEWER_MEMORY_MB): SceneDensity {
  if (!(budgetMb > 0)) throw new RangeError(`the viewer memory budget must be positive, got ${budgetMb} MB`);
  const need = Math.max(0, frames) * Math.max(1, faces) * VIEWER_BYTES_PER_FACE_FRAME;
  return { framesEvery: Math.max(1, Math.ceil(need / (budgetMb * 2 ** 20))) };
}

/** Whether frame `index` is logged under a plan that logs every `every`-th frame. */
export const keeps = (index: number, every: number): boolean => every <= 1 || index % every === 0;

/** What the widget says about a thinned scene, or null when every frame is shown. */
export function densityNote(d: SceneDensity | undefined): string | null {
  if (!d || d.framesEvery <= 1) return null;
  return `long clip: the viewer shows every ${d.framesEvery}${ordinalSuffix(d.framesEvery)} frame ` +
    "to fit its memory (Python has every frame)";
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}
