// A small copy of the frame for the FaceDetector. BlazeFace (short range) looks at a 128×128
// letterboxed tensor, yet tasks-vision uploads and converts every input at full size (texImage2D
// into its WebGL canvas, which is software GL in headless Chromium): at 1280×720 that costs ~15 ms
// per call, more than the model itself. We sample the frame down in the worker, from its native
// planes (I420/NV12 or RGBA-like; any other format keeps the full frame), and hand MediaPipe the
// small RGBA image.
//
// Same tensor as before: MediaPipe samples its input bilinearly at the pixel centres of the
// 128-pixel letterbox. With the long side at 3 × 128 the small image's pixel centres fall exactly
// under those sample points, and each of its pixels is itself a bilinear sample of the frame at the
// same spot, so the tensor is the one the full frame gives (up to 8-bit rounding of the
// intermediate). Boxes come back in the small image's integer pixels and are scaled to the
// frame's; keypoints are normalised and need nothing.
// Pure arithmetic on typed arrays (the worker does the VideoFrame copy), so jest tests it.

/** Long side of the detector's copy: an odd multiple (3) of BlazeFace short-range's 128 input. */
export const DETECTOR_LONG_SIDE = 384;

export interface Size {
  width: number;
  height: number;
}

/** Size of the detector's copy of a width×height frame, or null when the frame is small enough as it is. */
export function detectorInputSize(width: number, height: number, longSide = DETECTOR_LONG_SIDE): Size | null {
  const long = Math.max(width, height);
  if (long <= longSide) return null;
  const s = longSide / long;
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/** Pixel formats we sample from (VideoFrame.format values). */
export type SampledFormat = "I420" | "I420A" | "NV12" | "RGBA" | "RGBX" | "BGRA" | "BGRX";

export function isSampledFormat(format: string | null): format is SampledFormat {
  return format === "I420" || format === "I420A" || format === "NV12" || format === "RGBA" || format === "RGBX" ||
    format === "BGRA" || format === "BGRX";
}

export interface Plane {
  offset: number;
  stride: number;
}

export interface SourceImage {
  format: SampledFormat;
  /** The frame's bytes as VideoFrame.copyTo() wrote them (visible rect only). */
  data: Uint8Array;
  planes: Plane[];
  /** Visible size in coded pixels (what copyTo wrote). */
  width: number;
  height: number;
  /** YUV → RGB: luma weights of R and B, and whether the YUV values use the full 0–255 range. */
  kr?: number;
  kb?: number;
  fullRange?: boolean;
}

/** Kr, Kb of a VideoColorSpace matrix; Chromium treats unknown (null) as BT.601, like smpte170m. */
export function lumaWeights(matrix: string | null | undefined): { kr: number; kb: number } {
  if (matrix === "bt709") return { kr: 0.2126, kb: 0.0722 };
  if (matrix === "bt2020-ncl") return { kr: 0.2627, kb: 0.0593 };
  return { kr: 0.299, kb: 0.114 }; // bt470bg, smpte170m, unknown
}

/** Per output column (or row): the two source indices and the weight of the second (GL_LINEAR, clamp to edge). */
function taps(outSize: number, srcSize: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(outSize), i1 = new Int32Array(outSize), w = new Float32Array(outSize);
  const scale = srcSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const x = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), srcSize - 1);
    const f = Math.floor(x);
    i0[o] = f;
    i1[o] = Math.min(f + 1, srcSize - 1);
    w[o] = x - f;
  }
  return { i0, i1, w };
}

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v + 0.5) | 0;

/**
 * Bilinear samples of `src` at the pixel centres of an out.width × out.height image covering the
 * same picture, as RGBA (alpha 255). Each YUV tap takes the chroma of its 2×2 block (libyuv's
 * I420 → ARGB), as GL_LINEAR would blend the texels Chromium converts.
 */
export function sampleRgba(src: SourceImage, out: Size): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(out.width * out.height * 4);
  const xs = taps(out.width, src.width);
  const ys = taps(out.height, src.height);
  const d = src.data;
  const f = src.format;
  if (f === "RGBA" || f === "RGBX" || f === "BGRA" || f === "BGRX") {
    const { offset, stride } = src.planes[0];
    const r = f[0] === "R" ? 0 : 2, b = 2 - r;
    let o = 0;
    for (let y = 0; y < out.height; y++) {
      const row0 = offset + ys.i0[y] * stride, row1 = offset + ys.i1[y] * stride, wy = ys.w[y];
      for (let x = 0; x < out.width; x++) {
        const a = xs.i0[x] * 4, c = xs.i1[x] * 4, wx = xs.w[x];
        const w00 = (1 - wx) * (1 - wy), w10 = wx * (1 - wy), w01 = (1 - wx) * wy, w11 = wx * wy;
        const p00 = row0 + a, p10 = row0 + c, p01 = row1 + a, p11 = row1 + c;
        rgba[o] = clamp8(d[p00 + r] * w00 + d[p10 + r] * w10 + d[p01 + r] * w01 + d[p11 + r] * w11);
        rgba[o + 1] = clamp8(d[p00 + 1] * w00 + d[p10 + 1] * w10 + d[p01 + 1] * w01 + d[p11 + 1] * w11);
        rgba[o + 2] = clamp8(d[p00 + b] * w00 + d[p10 + b] * w10 + d[p01 + b] * w01 + d[p11 + b] * w11);
        rgba[o + 3] = 255;
        o += 4;
      }
    }
    return rgba;
  }
  // YUV: Y plane, then U and V planes (I420) or one interleaved UV plane (NV12).
  const { kr = 0.299, kb = 0.114, fullRange = false } = src;
  const kg = 1 - kr - kb;
  const ys0 = fullRange ? 1 : 255 / 219, yOff = fullRange ? 0 : 16, cs = fullRange ? 1 : 255 / 224;
  const rv = cs * 2 * (1 - kr), gu = (cs * 2 * kb * (1 - kb)) / kg, gv = (cs * 2 * kr * (1 - kr)) / kg, bu = cs * 2 * (1 - kb);
  const Y = src.planes[0];
  const nv12 = f === "NV12";
  const U = src.planes[1];
  const V = nv12 ? { offset: U.offset + 1, stride: U.stride } : src.planes[2];
  const cStep = nv12 ? 2 : 1;
  // Chroma sample of each tap: the nearest 2×2 block's (column offsets in the chroma planes).
  const cx0 = Int32Array.from(xs.i0, (x) => (x >> 1) * cStep), cx1 = Int32Array.from(xs.i1, (x) => (x >> 1) * cStep);
  let o = 0;
  for (let y = 0; y < out.height; y++) {
    const wy = ys.w[y];
    const yr0 = Y.offset + ys.i0[y] * Y.stride, yr1 = Y.offset + ys.i1[y] * Y.stride;
    const ur0 = U.offset + (ys.i0[y] >> 1) * U.stride, ur1 = U.offset + (ys.i1[y] >> 1) * U.stride;
    const vr0 = V.offset + (ys.i0[y] >> 1) * V.stride, vr1 = V.offset + (ys.i1[y] >> 1) * V.stride;
    for (let x = 0; x < out.width; x++) {
      const x0 = xs.i0[x], x1 = xs.i1[x], wx = xs.w[x];
      const a = cx0[x], c = cx1[x];
      // Blend Y, U and V bilinearly, then convert once: the same as blending converted taps
      // (the conversion is affine) except where a tap would clip.
      const yTop = d[yr0 + x0] + (d[yr0 + x1] - d[yr0 + x0]) * wx;
      const yBot = d[yr1 + x0] + (d[yr1 + x1] - d[yr1 + x0]) * wx;
      const uTop = d[ur0 + a] + (d[ur0 + c] - d[ur0 + a]) * wx;
      const uBot = d[ur1 + a] + (d[ur1 + c] - d[ur1 + a]) * wx;
      const vTop = d[vr0 + a] + (d[vr0 + c] - d[vr0 + a]) * wx;
      const vBot = d[vr1 + a] + (d[vr1 + c] - d[vr1 + a]) * wx;
      const yy = (yTop + (yBot - yTop) * wy - yOff) * ys0;
      const u = uTop + (uBot - uTop) * wy - 128;
      const v = vTop + (vBot - vTop) * wy - 128;
      rgba[o] = clamp8(yy + rv * v);
      rgba[o + 1] = clamp8(yy - gu * u - gv * v);
      rgba[o + 2] = clamp8(yy + bu * u);
      rgba[o + 3] = 255;
      o += 4;
    }
  }
  return rgba;
}

/** Detector boxes (x, y, w, h rows) from the small image's pixels to the frame's, in place. */
export function scaleBoxes(boxesPx: Float32Array, from: Size, to: Size): void {
  const sx = to.width / from.width, sy = to.height / from.height;
  for (let i = 0; i < boxesPx.length; i += 4) {
    boxesPx[i] *= sx;
    boxesPx[i + 1] *= sy;
    boxesPx[i + 2] *= sx;
    boxesPx[i + 3] *= sy;
  }
}
