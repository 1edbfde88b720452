// Rotation metadata and output sizing. Pure arithmetic, shared by every frame source.

export type Rotation = 0 | 90 | 180 | 270;

/**
 * Clockwise display rotation from an MP4 track header matrix [a, b, u, c, d, v, x, y, w]
 * (16.16 fixed point for a–d). An iPhone portrait clip stores [0, 1, 0, −1, 0, 0, …] → 90.
 * Non-right angles are rounded to the nearest quarter turn; flips are ignored.
 */
export function rotationFromMatrix(m: ArrayLike<number> | undefined): Rotation {
  if (!m || m.length < 5) return 0;
  const deg = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
  const quarter = (((Math.round(deg / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  return (quarter * 90) as Rotation;
}

export interface Size {
  width: number;
  height: number;
}

/**
 * Size of the analysed image: the decoded size turned by `rotation`, then scaled so its long side
 * is at most `maxDim` (never upscaled). Dimensions are rounded to even numbers, which keeps 4:2:0
 * VideoFrames made from the canvas exact.
 */
export function outputSize(width: number, height: number, rotation: Rotation, maxDim?: number): Size {
  const turned = rotation === 90 || rotation === 270 ? { width: height, height: width } : { width, height };
  const long = Math.max(turned.width, turned.height);
  if (!maxDim || long <= maxDim) return turned;
  const s = maxDim / long;
  const even = (v: number) => Math.max(2, 2 * Math.round((v * s) / 2));
  return { width: even(turned.width), height: even(turned.height) };
}

export function validateMaxDim(maxDim: number | undefined): void {
  if (maxDim !== undefined && (!Number.isInteger(maxDim) || maxDim < 16)) {
    throw new RangeError(`maxDim must be an integer of at least 16 pixels, got ${maxDim}`);
  }
}

/**
 * Display size of non-square pixels, Chromium's way: the dimension that the aspect ratio enlarges
 * grows, the other stays (1280×720 with pixel aspect 171:170 displays as 1288×720).
 */
export function displaySize(width: number, height: number, hSpacing = 1, vSpacing = 1): Size {
  if (!(hSpacing > 0 && vSpacing > 0) || hSpacing === vSpacing) return { width, height };
  return hSpacing > vSpacing
    ? { width: Math.round((width * hSpacing) / vSpacing), height }
    : { width, height: Math.round((height * vSpacing) / hSpacing) };
}
