// Stable face ids across frames by box overlap (IoU) and, across short gaps, by position. It never
// looks at what a face looks like: ids say "the same box-shaped region kept moving", which is all
// MediaPipe's model card allows (no identity recognition). Retired ids are never reused.
//
// Why a face keeps its id across a short gap (#16): the landmarker drops a face for a frame or two
// (a turn of the head, motion blur, a hand) while the face keeps moving, so on its return its box
// may no longer overlap the box it left, and IoU alone gave it a new id. A face that is back within
// `maxGapUs` of presentation time (timestamps, not frame counts: any fps, skipped camera frames),
// near where it left (centre within `maxReturnShift` face sizes, size within ×2), is taken to be the
// same one. Faces seen in the previous frame are matched first, by overlap, so a returning face
// cannot take the id of a face in view, nor an id another face took over by overlap meanwhile; and
// a face in view is not pulled onto the stale box of one hidden behind it (two faces crossing).

export interface TrackerOptions {
  /** Minimum IoU for a box to continue a track. */
  minIou: number;
  /** Longest gap, in µs of presentation time, from a track's last box to one that continues it. */
  maxGapUs: number;
  /** How far a face may be from where it vanished, as centre distance over its old box's larger side. */
  maxReturnShift: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = { minIou: 0.3, maxGapUs: 500_000, maxReturnShift: 1 };

/** A returning face whose size (√(w·h)) changed by more than this factor is another face. */
const MAX_RETURN_SCALE = 2;

type Box = [number, number, number, number];

interface Track {
  id: number;
  box: Box;
  /** Timestamp (µs) and update number of the last frame the track had a box in. */
  lastSeenUs: number;
  lastFrame: number;
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

/**
 * How well a box returning after a gap fits a lost track: centre distance over the old box's larger
 * side, or Infinity when it is too far or too different in size (or not finite).
 */
export function returnDistance(old: ArrayLike<number>, box: ArrayLike<number>, maxShift: number): number {
  const size = Math.max(old[2], old[3]);
  const scale = Math.sqrt((box[2] * box[3]) / (old[2] * old[3]));
  const d = Math.hypot(box[0] + box[2] / 2 - old[0] - old[2] / 2, box[1] + box[3] / 2 - old[1] - old[3] / 2) / size;
  return d <= maxShift && scale <= MAX_RETURN_SCALE && scale >= 1 / MAX_RETURN_SCALE ? d : Infinity;
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 0;
  private frame = 0;
  private readonly options: TrackerOptions;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  /**
   * Assigns ids to this frame's boxes (flat x, y, w, h × n); call once per frame, in frame order,
   * frames without faces included, with the frame's presentation timestamp in µs.
   */
  update(boxes: ArrayLike<number>, count: number, timestampUs: number): Int32Array {
    const { minIou, maxGapUs, maxReturnShift } = this.options;
    this.frame++;
    this.tracks = this.tracks.filter((t) => !(timestampUs - t.lastSeenUs > maxGapUs));
    const current = Array.from({ length: count }, (_, j) =>
      [boxes[j * 4], boxes[j * 4 + 1], boxes[j * 4 + 2], boxes[j * 4 + 3]] as Box);
    // Faces in the previous frame first, by overlap. Then boxes left over against tracks absent
    // from the previous frame, by distance: nearest first, ties to the older track then the earlier
    // box, so ids are deterministic.
    const fresh = this.tracks.flatMap((t, i) => (t.lastFrame === this.frame - 1 ? [i] : []));
    const match = matchByIou(fresh.map((i) => this.tracks[i].box), current, minIou).map((m) => (m >= 0 ? fresh[m] : -1));
    const taken = new Set<number>(); // lost tracks given back this frame
    const pairs: [number, number, number][] = [];
    this.tracks.forEach((t, i) => {
      if (t.lastFrame === this.frame - 1) return; // in view last frame: overlap or nothing
      current.forEach((box, j) => {
        if (match[j] !== -1) return;
        const d = returnDistance(t.box, box, maxReturnShift);
        if (d < Infinity) pairs.push([d, i, j]);
      });
    });
    pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
    for (const [, i, j] of pairs) {
      if (taken.has(i) || match[j] !== -1) continue;
      taken.add(i);
      match[j] = i;
    }
    const ids = new Int32Array(count);
    current.forEach((box, j) => {
      let track = match[j] >= 0 ? this.tracks[match[j]] : undefined;
      if (!track) {
        track = { id: this.nextId++, box, lastSeenUs: timestampUs, lastFrame: this.frame };
        this.tracks.push(track);
      }
      track.box = box;
      track.lastSeenUs = timestampUs;
      track.lastFrame = this.frame;
      ids[j] = track.id;
    });
    return ids;
  }

  /** Ids that a later frame may still continue (seen within `maxGapUs` of the last update). */
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
