// Which blendshape categories move in this clip: the time-series view opens on them instead of a
// fixed list, so its legend names a handful of curves that say something (a still's flat lines
// or 52 names in a legend say nothing). Variance is pooled within each face (each face's own mean),
// so four speakers with different resting faces do not count their differences as movement.
import { BLENDSHAPE_NAMES } from "../results/blendshapes";
import { NUM_BLENDSHAPES } from "../results/types";
import { KEY_BLENDSHAPES } from "./entities";

/** How many categories the view opens on: six legend lines fit the panel's height. */
export const SHOWN_BLENDSHAPES = 6;
/** Frames with a face after which the choice is made the first time (2 s at 25 fps). */
export const CHOICE_AFTER_FRAMES = 50;

interface Moments {
  n: number;
  mean: Float64Array;
  m2: Float64Array;
}

export class BlendshapeSpread {
  private readonly faces = new Map<string, Moments>();
  private total = 0;

  /** Frames with a face (a frame with two faces counts twice). */
  get rows(): number {
    return this.total;
  }

  /** Adds one face's 52 scores (Welford's update: stable over thousands of frames). */
  add(faceKey: string, scores: ArrayLike<number>): void {
    let m = this.faces.get(faceKey);
    if (!m) {
      m = { n: 0, mean: new Float64Array(NUM_BLENDSHAPES), m2: new Float64Array(NUM_BLENDSHAPES) };
      this.faces.set(faceKey, m);
    }
    m.n += 1;
    this.total += 1;
    for (let c = 0; c < NUM_BLENDSHAPES; c++) {
      const d = scores[c] - m.mean[c];
      m.mean[c] += d / m.n;
      m.m2[c] += d * (scores[c] - m.mean[c]);
    }
  }

  /** Pooled within-face variance of each category. */
  variances(): Float64Array {
    const out = new Float64Array(NUM_BLENDSHAPES);
    if (!this.total) return out;
    for (const m of this.faces.values()) for (let c = 0; c < NUM_BLENDSHAPES; c++) out[c] += m.m2[c];
    return out.map((v) => v / this.total);
  }

  /**
   * The `count` categories that vary most, highest first (`_neutral` never: MediaPipe says to ignore
   * it). Categories that do not vary at all are not chosen; with none varying, the key series.
   */
  top(count = SHOWN_BLENDSHAPES): string[] {
    const v = this.variances();
    const moving = BLENDSHAPE_NAMES.map((name, c) => ({ name, v: v[c] }))
      .filter((e) => !e.name.startsWith("_") && e.v > 1e-6)
      .sort((a, b) => b.v - a.v || a.name.localeCompare(b.name))
      .slice(0, count)
      .map((e) => e.name);
    return moving.length ? moving : [...KEY_BLENDSHAPES];
  }
}
