// Writes encoded video samples into a plain, non-fragmented MP4: ftyp, mdat with every sample in
// one chunk, then moov. The samples come from the camera's encoder (recorder.ts) or from a demuxed
// WebM/Matroska file (remux.ts). This module owns the byte format of the files facescope writes;
// reading MP4 stays with mp4box (mp4.ts, rerun/mp4.ts).
//
// The track's timescale is 1 MHz, so a sample's presentation time in the file is exactly the µs
// timestamp it was added with (minus the earliest one): the analysis timeline and the video the
// viewer plays agree to the microsecond. Samples are added in decode order. When presentation
// order differs (H.264 B-frames in a Matroska file), decode times are the sorted presentation
// times, the `ctts` box holds each sample's offset from them, and an edit list starts the
// presentation at the first frame; without reordering neither box is written.

export interface Mp4TrackConfig {
  /**
   * Sample entry type and its configuration record in `description`: "avc1" (H.264, avcC),
   * "vp08"/"vp09" (VP8/VP9, a vpcC payload: `vpcCPayload`) or "av01" (AV1, av1C).
   */
  format: "avc1" | "vp08" | "vp09" | "av01";
  width: number;
  height: number;
  /** The codec configuration record (VideoEncoder's `decoderConfig.description` for H.264). */
  description: Uint8Array;
  /**
   * Samples come in decode order and their presentation times may go back (B-frames). Off for
   * the camera, whose encoder never reorders: there a time going back is a bug and throws.
   */
  reordered?: boolean;
}

/** What goes into a vpcC box (VP Codec ISO Media File Format Binding §2.2), after version/flags. */
export interface VpcConfig {
  profile: number;
  /** VP9 level × 10 (e.g. 31 for 3.1); 0 for VP8. */
  level: number;
  bitDepth: number;
  /** 0: 4:2:0 vertical, 1: 4:2:0 colocated with luma, 2: 4:2:2, 3: 4:4:4. */
  chromaSubsampling: number;
  fullRange: boolean;
  /** ISO/IEC 23091-2 code points; 2 = unspecified. */
  colourPrimaries?: number;
  transferCharacteristics?: number;
  matrixCoefficients?: number;
}

export function vpcCPayload(c: VpcConfig): Uint8Array {
  return Uint8Array.of(c.profile, c.level, (c.bitDepth << 4) | (c.chromaSubsampling << 1) | (c.fullRange ? 1 : 0),
    c.colourPrimaries ?? 2, c.transferCharacteristics ?? 2, c.matrixCoefficients ?? 2, 0, 0); // no codec init data
}

export interface Mp4Sample {
  data: Uint8Array;
  /** Presentation time, µs; non-decreasing from one sample to the next unless the track is `reordered`. */
  timestampUs: number;
  key: boolean;
}

/** Timescale of the movie and the track: 1 tick = 1 µs. */
export const MP4_TIMESCALE = 1_000_000;
/** A lone (or last) sample lasts this long when nothing follows it to measure by (30 fps). */
const DEFAULT_DURATION_US = 33_333;
const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

/** Sample timing as the tables say it: decode-time steps, and composition offsets when reordered. */
interface Timing {
  /** stts: per sample (decode order), the step to the next decode time; the last is its duration. */
  durations: number[];
  /** ctts: per sample, presentation − decode time, ≥ 0; null when every sample's is 0. */
  offsets: number[] | null;
  /** Media time at which presentation starts (the largest reordering delay); 0 without reordering. */
  delay: number;
  total: number;
}

/** Collects samples and returns the finished file. The earliest sample starts the file at time 0. */
export class Mp4Writer {
  private readonly samples: Mp4Sample[] = [];
  private bytes = 0;
  private minUs = Infinity;

  constructor(private readonly track: Mp4TrackConfig) {
    if (!(track.width > 0 && track.height > 0)) throw new RangeError(`bad video size ${track.width}×${track.height}`);
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** Presentation times (µs from the earliest sample) of the samples so far, in the order added. */
  get timesUs(): number[] {
    return this.samples.map((s) => s.timestampUs - this.minUs);
  }

  add(sample: Mp4Sample): void {
    const last = this.samples[this.samples.length - 1];
    if (!last && !sample.key) throw new Error("an MP4 track must start with a key frame");
    if (last && !this.track.reordered && sample.timestampUs < last.timestampUs) {
      throw new Error(`sample times must not go backwards (${sample.timestampUs} µs after ${last.timestampUs} µs)`);
    }
    this.samples.push(sample);
    this.bytes += sample.data.length;
    this.minUs = Math.min(this.minUs, sample.timestampUs);
  }

  /** The MP4 file. `lastDurationUs` is how long the final frame shows (default: the previous interval). */
  finish(lastDurationUs?: number): Uint8Array {
    if (!this.samples.length) throw new Error("no samples to write");
    const timing = this.timing(lastDurationUs);

    const ftyp = box("ftyp", ascii("isom"), u32(0x200), ascii("isom"), ascii("iso2"), ascii(this.track.format), ascii("mp41"));
    const mdatHeader = 8;
    if (ftyp.length + mdatHeader + this.bytes > 0xffffffff) throw new Error("the recording is too large for one MP4 (4 GiB)");
    const dataOffset = ftyp.length + mdatHeader;
    const moov = this.moov(timing, dataOffset);

    const out = new Uint8Array(ftyp.length + mdatHeader + this.bytes + moov.length);
    out.set(ftyp, 0);
    new DataView(out.buffer).setUint32(ftyp.length, mdatHeader + this.bytes);
    out.set(ascii("mdat"), ftyp.length + 4);
    let at = dataOffset;
    for (const s of this.samples) {
      out.set(s.data, at);
      at += s.data.length;
    }
    out.set(moov, at);
    return out;
  }

  private timing(lastDurationUs: number | undefined): Timing {
    const times = this.timesUs;
    // Decode times are the presentation times in ascending order: the i-th sample decoded gets the
    // i-th earliest time, so decode times never pass presentation times by more than `delay`.
    const sorted = [...times].sort((a, b) => a - b);
    const durations = sorted.map((t, i) => (i + 1 < sorted.length ? sorted[i + 1] - t : 0));
    durations[durations.length - 1] = Math.max(1, Math.round(lastDurationUs ?? (durations.length > 1 ? durations[durations.length - 2] : DEFAULT_DURATION_US)));
    const total = durations.reduce((a, d) => a + d, 0);
    const delay = times.reduce((m, t, i) => Math.max(m, sorted[i] - t), 0);
    if (delay === 0) return { durations, offsets: null, delay, total }; // presentation order = decode order
    // Offsets shifted by `delay` stay ≥ 0 (ctts version 0, which every reader knows); the edit list
    // takes the shift off again, and Rerun's reader (which ignores edit lists) starts its times at
    // the earliest composition time, which is `delay` too: both read the times we were given.
    return { durations, offsets: times.map((t, i) => t + delay - sorted[i]), delay, total };
  }

  private moov({ durations, offsets, delay, total }: Timing, dataOffset: number): Uint8Array {
    const { width, height } = this.track;
    const n = this.samples.length;
    const mvhd = fullBox("mvhd", 1, 0, u64(0), u64(0), u32(MP4_TIMESCALE), u64(total), u32(0x00010000), u16(0x0100),
      zeros(10), ...UNITY_MATRIX.map(u32), zeros(24), u32(2));
    const tkhd = fullBox("tkhd", 1, 3, u64(0), u64(0), u32(1), zeros(4), u64(total), zeros(8), u16(0), u16(0), u16(0), zeros(2),
      ...UNITY_MATRIX.map(u32), u32(width * 65536), u32(height * 65536));
    // One edit: the whole track, from media time `delay` (movie and media timescales are the same).
    const edts = delay > 0 ? box("edts", fullBox("elst", 1, 0, u32(1), u64(total), u64(delay), u16(1), u16(0))) : new Uint8Array(0);
    const mdhd = fullBox("mdhd", 1, 0, u64(0), u64(0), u32(MP4_TIMESCALE), u64(total), u16(0x55c4), u16(0)); // "und"
    const hdlr = fullBox("hdlr", 0, 0, u32(0), ascii("vide"), zeros(12), ascii("facescope video\0"));
    const vmhd = fullBox("vmhd", 0, 1, zeros(8));
    const dinf = box("dinf", fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 1)));
    const stbl = box("stbl", this.stsd(), runs("stts", durations), offsets ? runs("ctts", offsets) : new Uint8Array(0),
      stss(this.samples),
      fullBox("stsc", 0, 0, u32(1), u32(1), u32(n), u32(1)), // one chunk holding every sample
      fullBox("stsz", 0, 0, u32(0), u32(n), ...this.samples.map((s) => u32(s.data.length))),
      fullBox("stco", 0, 0, u32(1), u32(dataOffset)));
    const trak = box("trak", tkhd, edts, box("mdia", mdhd, hdlr, box("minf", vmhd, dinf, stbl)));
    return box("moov", mvhd, trak);
  }

  private stsd(): Uint8Array {
    const { format, width, height, description } = this.track;
    const config = format === "avc1" ? box("avcC", description)
      : format === "av01" ? box("av1C", description)
      : fullBox("vpcC", 1, 0, description);
    const entry = box(format, zeros(6), u16(1), zeros(16), u16(width), u16(height), u32(0x00480000), u32(0x00480000),
      zeros(4), u16(1), zeros(32), u16(0x0018), u16(0xffff), config);
    return fullBox("stsd", 0, 0, u32(1), entry);
  }
}

/** A run-length coded per-sample table: stts (durations) or ctts (composition offsets, version 0). */
function runs(type: "stts" | "ctts", values: number[]): Uint8Array {
  const out: Array<[number, number]> = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[1] === v) last[0]++;
    else out.push([1, v]);
  }
  return fullBox(type, 0, 0, u32(out.length), ...out.flatMap(([count, v]) => [u32(count), u32(v)]));
}

/** Key frames, 1-based (left out when every sample is one, as the format allows). */
function stss(samples: Mp4Sample[]): Uint8Array {
  const keys = samples.flatMap((s, i) => (s.key ? [i + 1] : []));
  if (keys.length === samples.length) return new Uint8Array(0);
  return fullBox("stss", 0, 0, u32(keys.length), ...keys.map(u32));
}

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(ascii(type), 4);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function fullBox(type: string, version: number, flags: number, ...parts: Uint8Array[]): Uint8Array {
  return box(type, u32(((version & 0xff) << 24) | (flags & 0xffffff)), ...parts);
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function zeros(n: number): Uint8Array {
  return new Uint8Array(n);
}

function u16(v: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, v);
  return b;
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}

function u64(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(Math.round(v)));
  return b;
}
