// Stable face ids across frames by box overlap (IoU) alone. It never looks at what a face looks
// like: ids say "the same box-shaped region kept moving", which is all MediaPipe's model card allows
// (no identity recognition). A face that vanishes keeps its id for `maxMissed` frames, so a blink
// of the detector does not churn ids; after that the id is retired and never reused.

export interface TrackerOptions {
  /** Minimum IoU for a box to continue a track. */
  minIou: number;
  /** Frames a track survives without a match before its id is retired. */
  maxMissed: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = { minIou: 0.3, maxMissed: 10 };

interface Track {
  id: number;
  box: [number, number, number, number];
  missed: number;
}

/** IoU of two x, y, w, h boxes; 0 when either is empty or not finite. */
export function iou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ix = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const iy = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (!(ix > 0 && iy > 0)) return 0;
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy one-to-one matching, best IoU first. Returns, for each box in `b`, the index in `a` it
 * matched or -1. Greedy is enough here: a handful of faces, and overlapping faces are rare.
 */
export function matchByIou(a: ArrayLike<number>[], b: ArrayLike<number>[], minIou: number): number[] {
  const pairs: [number, number, number][] = [];
  a.forEach((boxA, i) => b.forEach((boxB, j) => {
    const v = iou(boxA, boxB);
    if (v >= minIou) pairs.push([v, i, j]);
  }));
  pairs.sort((p, q) => q[0] - p[0] || p[1] - q[1] || p[2] - q[2]);
  const usedA = new Set<number>();
  const result = new Array<number>(b.length).fill(-1);
  for (const [, i, j] of pairs) {
    if (usedA.has(i) || result[j] !== -1) continue;
    usedA.add(i);
    result[j] = i;
  }
  return result;
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 0;
  private readonly options: TrackerOptions;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  /** Assigns ids to this frame's boxes (flat x, y, w, h × n); call once per frame, in order. */
  update(boxes: ArrayLike<number>, count: number): Int32Array {
    const current = Array.from({ length: count }, (_, j) =>
      [boxes[j * 4], boxes[j * 4 + 1], boxes[j * 4 + 2], boxes[j * 4 + 3]] as [number, number, number, number]);
    const match = matchByIou(this.tracks.map((t) => t.box), current, this.options.minIou);
    const ids = new Int32Array(count);
    const seen = new Set<Track>();
    current.forEach((box, j) => {
      let track = match[j] >= 0 ? this.tracks[match[j]] : undefined;
      if (!track) {
        track = { id: this.nextId++, box, missed: 0 };
        this.tracks.push(track);
      }
      track.box = box;
      track.missed = 0;
      seen.add(track);
      ids[j] = track.id;
    });
    for (const t of this.tracks) if (!seen.has(t)) t.missed++;
    this.tracks = this.tracks.filter((t) => t.missed <= this.options.maxMissed);
    return ids;
  }

  /** Ids currently alive (matched recently enough to be continued). */
  get liveIds(): number[] {
    return this.tracks.map((t) => t.id);
  }
}

/**
 * For each detector box (pixels), the id of the landmarked face (normalised box) it overlaps most,
 * or -1. Lets the scene show detector boxes under the same id as the landmarks.
 */
export function linkDetectionsToFaces(
  detBoxesPx: ArrayLike<number>, detCount: number,
  faceBoxesNorm: ArrayLike<number>, faceIds: ArrayLike<number>, faceCount: number,
  width: number, height: number, minIou = DEFAULT_TRACKER_OPTIONS.minIou,
): Int32Array {
  const det = Array.from({ length: detCount }, (_, i) => [detBoxesPx[i * 4] / width, detBoxesPx[i * 4 + 1] / height,
    detBoxesPx[i * 4 + 2] / width, detBoxesPx[i * 4 + 3] / height]);
  const faces = Array.from({ length: faceCount }, (_, i) => Array.from({ length: 4 }, (_, k) => faceBoxesNorm[i * 4 + k]));
  const match = matchByIou(faces, det, minIou);
  return Int32Array.from(match, (m) => (m >= 0 ? faceIds[m] : -1));
}
