// Writes encoded video samples (WebCodecs EncodedVideoChunks) into a plain, non-fragmented MP4:
// ftyp, mdat with every sample in one chunk, then moov. This module owns the byte format of the
// files facescope writes; reading MP4 stays with mp4box (mp4.ts, rerun/mp4.ts).
//
// The track's timescale is 1 MHz, so a sample's presentation time in the file is exactly the µs
// timestamp it was added with (minus the first sample's): the analysis timeline and the video the
// viewer plays agree to the microsecond. Samples must arrive in presentation order with no
// reordering (no B-frames: the camera encoder runs in realtime mode), so no ctts/edit list is needed.

export interface Mp4TrackConfig {
  /** Sample entry type: "avc1" (H.264, `description` = avcC) or "vp09" (VP9, `description` = vpcC payload). */
  format: "avc1" | "vp09";
  width: number;
  height: number;
  /** The codec configuration record (VideoEncoder's `decoderConfig.description` for H.264). */
  description: Uint8Array;
}

export interface Mp4Sample {
  data: Uint8Array;
  /** Presentation time, µs; non-decreasing from one sample to the next. */
  timestampUs: number;
  key: boolean;
}

/** Timescale of the movie and the track: 1 tick = 1 µs. */
export const MP4_TIMESCALE = 1_000_000;
/** A lone (or last) sample lasts this long when nothing follows it to measure by (30 fps). */
const DEFAULT_DURATION_US = 33_333;
const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

/** Collects samples and returns the finished file. The first sample starts the file at time 0. */
export class Mp4Writer {
  private readonly samples: Mp4Sample[] = [];
  private bytes = 0;

  constructor(private readonly track: Mp4TrackConfig) {
    if (!(track.width > 0 && track.height > 0)) throw new RangeError(`bad video size ${track.width}×${track.height}`);
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** Presentation times (µs from the first sample) of the samples so far, in order. */
  get timesUs(): number[] {
    const t0 = this.samples[0]?.timestampUs ?? 0;
    return this.samples.map((s) => s.timestampUs - t0);
  }

  add(sample: Mp4Sample): void {
    const last = this.samples[this.samples.length - 1];
    if (!last && !sample.key) throw new Error("an MP4 track must start with a key frame");
    if (last && sample.timestampUs < last.timestampUs) {
      throw new Error(`sample times must not go backwards (${sample.timestampUs} µs after ${last.timestampUs} µs)`);
    }
    this.samples.push(sample);
    this.bytes += sample.data.length;
  }

  /** The MP4 file. `lastDurationUs` is how long the final sample shows (default: the previous interval). */
  finish(lastDurationUs?: number): Uint8Array {
    if (!this.samples.length) throw new Error("no samples to write");
    const times = this.timesUs;
    const durations = times.map((t, i) => (i + 1 < times.length ? times[i + 1] - t : 0));
    durations[durations.length - 1] = Math.max(1, Math.round(lastDurationUs ?? (durations.length > 1 ? durations[durations.length - 2] : DEFAULT_DURATION_US)));
    const total = durations.reduce((a, d) => a + d, 0);

    const ftyp = box("ftyp", ascii("isom"), u32(0x200), ascii("isom"), ascii("iso2"), ascii(this.track.format), ascii("mp41"));
    const mdatHeader = 8;
    if (ftyp.length + mdatHeader + this.bytes > 0xffffffff) throw new Error("the recording is too large for one MP4 (4 GiB)");
    const dataOffset = ftyp.length + mdatHeader;
    const moov = this.moov(durations, total, dataOffset);

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

  private moov(durations: number[], total: number, dataOffset: number): Uint8Array {
    const { width, height } = this.track;
    const n = this.samples.length;
    const mvhd = fullBox("mvhd", 1, 0, u64(0), u64(0), u32(MP4_TIMESCALE), u64(total), u32(0x00010000), u16(0x0100),
      zeros(10), ...UNITY_MATRIX.map(u32), zeros(24), u32(2));
    const tkhd = fullBox("tkhd", 1, 3, u64(0), u64(0), u32(1), zeros(4), u64(total), zeros(8), u16(0), u16(0), u16(0), zeros(2),
      ...UNITY_MATRIX.map(u32), u32(width * 65536), u32(height * 65536));
    const mdhd = fullBox("mdhd", 1, 0, u64(0), u64(0), u32(MP4_TIMESCALE), u64(total), u16(0x55c4), u16(0)); // "und"
    const hdlr = fullBox("hdlr", 0, 0, u32(0), ascii("vide"), zeros(12), ascii("facescope video\0"));
    const vmhd = fullBox("vmhd", 0, 1, zeros(8));
    const dinf = box("dinf", fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 1)));
    const stbl = box("stbl", this.stsd(), stts(durations), stss(this.samples),
      fullBox("stsc", 0, 0, u32(1), u32(1), u32(n), u32(1)), // one chunk holding every sample
      fullBox("stsz", 0, 0, u32(0), u32(n), ...this.samples.map((s) => u32(s.data.length))),
      fullBox("stco", 0, 0, u32(1), u32(dataOffset)));
    const trak = box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", vmhd, dinf, stbl)));
    return box("moov", mvhd, trak);
  }

  private stsd(): Uint8Array {
    const { format, width, height, description } = this.track;
    const config = format === "avc1" ? box("avcC", description) : fullBox("vpcC", 1, 0, description);
    const entry = box(format, zeros(6), u16(1), zeros(16), u16(width), u16(height), u32(0x00480000), u32(0x00480000),
      zeros(4), u16(1), zeros(32), u16(0x0018), u16(0xffff), config);
    return fullBox("stsd", 0, 0, u32(1), entry);
  }
}

/** Run-length coded sample durations. */
function stts(durations: number[]): Uint8Array {
  const runs: Array<[number, number]> = [];
  for (const d of durations) {
    const last = runs[runs.length - 1];
    if (last && last[1] === d) last[0]++;
    else runs.push([1, d]);
  }
  return fullBox("stts", 0, 0, u32(runs.length), ...runs.flatMap(([count, d]) => [u32(count), u32(d)]));
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
