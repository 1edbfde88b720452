// What an MP4's vpcC box must say about a VP8/VP9 stream, read from its first key frame. WebM
// files rarely carry it (their CodecPrivate is optional), and a wrong bit depth or profile in the
// MP4 would give the viewer's decoder a wrong codec string, so it comes from the bitstream itself.
import type { VpcConfig } from "./mp4Writer";

class Bits {
  private at = 0;
  constructor(private readonly b: Uint8Array) {}
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++, this.at++) {
      const byte = this.b[this.at >> 3];
      if (byte === undefined) throw new Error("the VP9 frame header is cut short");
      v = (v << 1) | ((byte >> (7 - (this.at & 7))) & 1);
    }
    return v;
  }
}

/** VP9 color_space (spec §7.2.2) → ISO/IEC 23091-2 matrix coefficients, as vpcC wants them. */
const VP9_MATRIX = [2, 6, 1, 6, 7, 9, 2, 0];

/** VP9 levels (× 10) by the largest picture, in luma samples, each allows (VP9 levels table). */
const VP9_LEVELS: Array<[number, number]> = [
  [36_864, 10], [73_728, 11], [122_880, 20], [245_760, 21], [552_960, 30], [983_040, 31],
  [2_228_224, 40], [8_912_896, 50], [35_651_584, 60],
];

/** The smallest VP9 level whose picture size fits (rates are not known here; players do not check them). */
export function vp9Level(width: number, height: number): number {
  const samples = width * height;
  return VP9_LEVELS.find(([max]) => samples <= max)?.[1] ?? 62;
}

/** vpcC fields of a VP9 stream from its first key frame's uncompressed header (VP9 spec §6.2). */
export function vp9Config(keyFrame: Uint8Array, width: number, height: number): VpcConfig {
  const r = new Bits(keyFrame);
  if (r.read(2) !== 2) throw new Error("not a VP9 frame (bad frame marker)");
  const profile = r.read(1) | (r.read(1) << 1);
  if (profile === 3) r.read(1);
  if (r.read(1)) throw new Error("the first VP9 frame repeats an earlier one, not a key frame");
  if (r.read(1) !== 0) throw new Error("the first VP9 frame is not a key frame");
  r.read(2); // show_frame, error_resilient_mode
  if (r.read(24) !== 0x498342) throw new Error("the VP9 key frame has no sync code");
  const bitDepth = profile >= 2 ? (r.read(1) ? 12 : 10) : 8;
  const colorSpace = r.read(3);
  let fullRange = true;
  let subX = 0, subY = 0; // RGB is always 4:4:4
  if (colorSpace !== 7) {
    fullRange = r.read(1) === 1;
    if (profile === 1 || profile === 3) {
      subX = r.read(1);
      subY = r.read(1);
    } else {
      subX = subY = 1;
    }
  }
  // vpcC: 1 = 4:2:0 (chroma sited with luma, VP9's default), 2 = 4:2:2, 3 = 4:4:4.
  const chromaSubsampling = subX && subY ? 1 : subX ? 2 : 3;
  return {
    profile, level: vp9Level(width, height), bitDepth, chromaSubsampling, fullRange,
    matrixCoefficients: VP9_MATRIX[colorSpace],
  };
}

/** vpcC fields of a VP8 stream: its version (profile) from the first key frame's frame tag. VP8 is 8-bit 4:2:0. */
export function vp8Config(keyFrame: Uint8Array): VpcConfig {
  const tag = keyFrame[0];
  if (tag === undefined || (tag & 1) !== 0) throw new Error("the first VP8 frame is not a key frame");
  if (keyFrame[3] !== 0x9d || keyFrame[4] !== 0x01 || keyFrame[5] !== 0x2a) throw new Error("the VP8 key frame has no start code");
  // Colour space and clamping sit in the bool-coded part of the header; VP8 is BT.601 video range.
  return { profile: (tag >> 1) & 7, level: 0, bitDepth: 8, chromaSubsampling: 1, fullRange: false, matrixCoefficients: 6 };
}
