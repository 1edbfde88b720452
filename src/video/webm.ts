// A small WebM/Matroska demuxer: the first video track's blocks as EncodedSamples for WebCodecs.
// mp4box cannot read WebM, and a <video> element only gives frames by seeking (slow, and frame
// exactness depends on guessing the frame grid); demuxing ourselves yields every frame with its
// exact timestamp at decoder speed. Handles unknown-size Segments/Clusters (MediaRecorder output).
import type { DemuxedVideo, EncodedSample } from "./demuxed";
import { noVideoTrack, VideoError } from "./errors";

const ID = {
  Segment: 0x18538067, Info: 0x1549a966, TimecodeScale: 0x2ad7b1, Tracks: 0x1654ae6b,
  TrackEntry: 0xae, TrackNumber: 0xd7, TrackType: 0x83, CodecID: 0x86, CodecPrivate: 0x63a2,
  Video: 0xe0, PixelWidth: 0xb0, PixelHeight: 0xba, Cluster: 0x1f43b675, Timecode: 0xe7,
  SimpleBlock: 0xa3, BlockGroup: 0xa0, Block: 0xa1, ReferenceBlock: 0xfb,
} as const;

// Masters we step into rather than skip; the linear walk then sees their children in order.
const DESCEND = new Set<number>([ID.Segment, ID.Info, ID.Tracks, ID.TrackEntry, ID.Video, ID.Cluster]);

interface TrackInfo {
  number: number; type: number; codecId: string; codecPrivate?: Uint8Array; width: number; height: number;
}

class Reader {
  constructor(readonly b: Uint8Array, public pos = 0) {}
  get done(): boolean { return this.pos >= this.b.length; }

  /** A variable-length integer; `keepMarker` for element ids. Undefined when it runs off the end. */
  vint(keepMarker: boolean): { value: number; unknown: boolean } | undefined {
    const first = this.b[this.pos];
    if (first === undefined || first === 0) return undefined;
    const len = Math.clz32(first) - 23;
    if (this.pos + len > this.b.length) return undefined;
    let value = keepMarker ? first : first & (0xff >> len);
    let allOnes = value === (0xff >> len);
    for (let i = 1; i < len; i++) {
      const byte = this.b[this.pos + i];
      value = value * 256 + byte;
      allOnes &&= byte === 0xff;
    }
    this.pos += len;
    return { value, unknown: !keepMarker && allOnes };
  }
}

function uint(b: Uint8Array): number {
  return b.reduce((v, x) => v * 256 + x, 0);
}

function codecString(t: TrackInfo): { codec: string; description?: Uint8Array } {
  switch (t.codecId) {
    case "V_VP8": return { codec: "vp8" };
    case "V_VP9": return { codec: "vp09.00.10.08" };
    case "V_AV1": return { codec: "av01.0.08M.08", description: t.codecPrivate };
    case "V_MPEG4/ISO/AVC": {
      const p = t.codecPrivate;
      const hex = (i: number) => (p?.[i] ?? 0).toString(16).padStart(2, "0");
      return { codec: `avc1.${hex(1)}${hex(2)}${hex(3)}`, description: p };
    }
    case "V_MPEGH/ISO/HEVC": return { codec: "hvc1.1.6.L93.90", description: t.codecPrivate };
    default: return { codec: t.codecId };
  }
}

export function demuxWebm(bytes: Uint8Array): DemuxedVideo {
  const r = new Reader(bytes);
  let timecodeScaleNs = 1_000_000;
  const tracks: TrackInfo[] = [];
  let current: TrackInfo | undefined;
  let clusterTime = 0;
  let truncated = false;
  const blocks: { track: number; time: number; key: boolean; data: Uint8Array }[] = [];

  const readBlock = (payload: Uint8Array, simple: boolean, hasReference: boolean) => {
    const br = new Reader(payload);
    const track = br.vint(false);
    if (!track || br.pos + 3 > payload.length) return;
    const rel = (payload[br.pos] << 24) >> 16 | payload[br.pos + 1]; // signed 16-bit
    const flags = payload[br.pos + 2];
    if (flags & 0x06) throw new VideoError("decode-failed", "Laced video blocks in WebM are not supported.");
    blocks.push({
      track: track.value, time: clusterTime + rel,
      key: simple ? (flags & 0x80) !== 0 : !hasReference,
      data: payload.subarray(br.pos + 3),
    });
  };

  while (!r.done) {
    const id = r.vint(true);
    const size = r.vint(false);
    if (!id || !size) { truncated = true; break; }
    if (DESCEND.has(id.value) || (size.unknown && id.value !== ID.BlockGroup)) {
      if (id.value === ID.TrackEntry) {
        current = { number: 0, type: 0, codecId: "", width: 0, height: 0 };
        tracks.push(current);
      }
      continue; // children follow immediately; unknown sizes need no end marker this way
    }
    const end = r.pos + size.value;
    if (end > bytes.length) { truncated = true; break; }
    const payload = bytes.subarray(r.pos, end);
    switch (id.value) {
      case ID.TimecodeScale: timecodeScaleNs = uint(payload); break;
      case ID.TrackNumber: if (current) current.number = uint(payload); break;
      case ID.TrackType: if (current) current.type = uint(payload); break;
      case ID.CodecID: if (current) current.codecId = new TextDecoder().decode(payload).replace(/\0+$/, ""); break;
      case ID.CodecPrivate: if (current) current.codecPrivate = payload.slice(); break;
      case ID.PixelWidth: if (current) current.width = uint(payload); break;
      case ID.PixelHeight: if (current) current.height = uint(payload); break;
      case ID.Timecode: clusterTime = uint(payload); break;
      case ID.SimpleBlock: readBlock(payload, true, false); break;
      case ID.BlockGroup: {
        const g = new Reader(payload);
        let block: Uint8Array | undefined;
        let hasReference = false;
        while (!g.done) {
          const cid = g.vint(true), csize = g.vint(false);
          if (!cid || !csize) break;
          if (cid.value === ID.Block) block = payload.subarray(g.pos, g.pos + csize.value);
          if (cid.value === ID.ReferenceBlock) hasReference = true;
          g.pos += csize.value;
        }
        if (block) readBlock(block, false, hasReference);
        break;
      }
    }
    r.pos = end;
  }

  const video = tracks.find((t) => t.type === 1);
  if (!video) {
    if (truncated && tracks.length === 0) throw new VideoError("truncated", "The WebM file ends before its track list.");
    throw noVideoTrack(tracks.filter((t) => t.type === 2).map((t) => t.codecId.replace(/^A_/, "").toLowerCase()));
  }
  const toUs = (t: number) => Math.round((t * timecodeScaleNs) / 1000);
  const own = blocks.filter((b) => b.track === video.number);
  if (truncated && own.length > 0) own.pop(); // the last block may be cut short
  if (own.length === 0) {
    throw new VideoError(truncated ? "truncated" : "decode-failed", "The WebM file has no video frames" +
      (truncated ? " (it is truncated)." : "."));
  }
  // Durations from the next frame in presentation order; the last one repeats the previous gap.
  const times = own.map((b) => b.time).sort((a, b) => a - b);
  const next = new Map<number, number>();
  times.forEach((t, i) => next.set(t, times[i + 1] ?? t + (i > 0 ? t - times[i - 1] : 1)));
  const samples: EncodedSample[] = own.map((b) => ({
    data: b.data,
    timestampUs: toUs(b.time),
    durationUs: toUs((next.get(b.time) ?? b.time) - b.time),
    key: b.key,
  }));
  const { codec, description } = codecString(video);
  return {
    // DisplayWidth/Height (non-square pixels) are rare in WebM and not read: display = coded.
    container: "webm", codec, description, codedWidth: video.width, codedHeight: video.height,
    displayWidth: video.width, displayHeight: video.height,
    rotation: 0, samples,
    durationUs: Math.max(...samples.map((s) => s.timestampUs + s.durationUs)),
  };
}
