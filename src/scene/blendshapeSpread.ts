// Which blendshape categories move in this clip: the time-series view opens on them instead of a
// fixed list, so its legend names a handful of curves that say something (a still's flat lines
// or 52 names in a legend say nothing). Each face's variance is about its own mean, so four
// speakers with different resting faces do not count their differences as movement, and the
// legend's few lines are shared by all faces: (face, category) pairs compete for them.
import { BLENDSHAPE_NAMES } from "../results/blendshapes";
import { NUM_BLENDSHAPES } from "../results/types";
import { type BlendshapeSeries, keySeries, SHOWN_BLENDSHAPES } from "./entities";

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

  /** Faces seen so far, in id order. */
  get faceKeys(): string[] {
    return [...this.faces.keys()].sort((a, b) => Number(a) - Number(b));
  }

  /** Pooled within-face variance of each category. */
  variances(): Float64Array {
    const out = new Float64Array(NUM_BLENDSHAPES);
    if (!this.total) return out;
    for (const m of this.faces.values()) for (let c = 0; c < NUM_BLENDSHAPES; c++) out[c] += m.m2[c];
    return out.map((v) => v / this.total);
  }

  /**
   * The `count` (face, category) pairs that vary most, highest first (`_neutral` never: MediaPipe
   * says to ignore it). A pair's score is its share of the pooled variance (its squared deviations
   * over all faces' frames), so with one face it is the face's variance and a face seen for a few
   * frames does not outrank one seen throughout. No face takes more than its fair share of the
   * lines (`count` / faces, rounded up) while other faces have pairs that vary: a user who sees two
   * faces in the video finds both in the legend. Pairs that do not vary are not chosen; with none
   * varying, the key series of the faces seen (of face "0" before any).
   */
  top(count = SHOWN_BLENDSHAPES): BlendshapeSeries[] {
    const pairs: Array<BlendshapeSeries & { v: number }> = [];
    for (const [face, m] of this.faces) {
      BLENDSHAPE_NAMES.forEach((category, c) => {
        const v = m.m2[c] / this.total;
        if (!category.startsWith("_") && v > 1e-6) pairs.push({ face, category, v });
      });
    }
    pairs.sort((a, b) => b.v - a.v || a.category.localeCompare(b.category) || Number(a.face) - Number(b.face));
    if (!pairs.length) return keySeries(this.faces.size ? this.faceKeys : ["0"], count);
    const fair = Math.ceil(count / this.faces.size);
    const perFace = new Map<string, number>();
    const chosen = new Set<(typeof pairs)[number]>();
    for (const p of pairs) {
      const n = perFace.get(p.face) ?? 0;
      if (chosen.size < count && n < fair) {
        chosen.add(p);
        perFace.set(p.face, n + 1);
      }
    }
    for (const p of pairs) if (chosen.size < count) chosen.add(p); // lines the other faces left
    return pairs.filter((p) => chosen.has(p)).map(({ face, category }) => ({ face, category }));
  }
}
