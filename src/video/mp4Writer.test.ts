import { readMp4VideoInfo } from "../rerun/mp4";
import { demuxMp4 } from "./mp4";
import { Mp4Writer, vpcCPayload } from "./mp4Writer";

// An avcC record: version 1, Constrained Baseline level 3.1, 4-byte NAL lengths, one SPS, one PPS.
const SPS = Uint8Array.of(0x67, 0x42, 0xe0, 0x1f, 0x8c, 0x8d, 0x40, 0x50, 0x1e, 0xd0);
const PPS = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
const AVCC = Uint8Array.of(1, 0x42, 0xe0, 0x1f, 0xff, 0xe1, 0, SPS.length, ...SPS, 1, 0, PPS.length, ...PPS);

/** Camera-like times: a start far from zero and uneven intervals, as MediaStreamTrackProcessor gives them. */
const CAMERA_US = [21654747000, 21654785000, 21654825300, 21654869900, 21654905600, 21654944900, 21654985500];

function sample(i: number): Uint8Array {
  return Uint8Array.from({ length: 50 + i * 7 }, (_, k) => (i * 31 + k) & 0xff);
}

function written(times = CAMERA_US, keyEvery = 3) {
  const writer = new Mp4Writer({ format: "avc1", width: 640, height: 480, description: AVCC });
  times.forEach((t, i) => writer.add({ data: sample(i), timestampUs: t, key: i % keyEvery === 0 }));
  return { writer, mp4: writer.finish() };
}

describe("Mp4Writer", () => {
  it("writes an MP4 that mp4box demuxes back to the same samples, key flags and times (from 0)", () => {
    const { mp4, writer } = written();
    const video = demuxMp4(mp4);
    expect(video.codec).toBe("avc1.42e01f");
    expect([video.codedWidth, video.codedHeight, video.rotation]).toEqual([640, 480, 0]);
    expect(Array.from(video.description ?? [])).toEqual(Array.from(AVCC));
    expect(video.samples.map((s) => s.timestampUs)).toEqual(CAMERA_US.map((t) => t - CAMERA_US[0]));
    expect(writer.timesUs).toEqual(CAMERA_US.map((t) => t - CAMERA_US[0]));
    expect(video.samples.map((s) => s.key)).toEqual(CAMERA_US.map((_, i) => i % 3 === 0));
    video.samples.forEach((s, i) => expect(Array.from(s.data)).toEqual(Array.from(sample(i))));
    // The last sample lasts as long as the one before it.
    expect(video.samples.map((s) => s.durationUs)).toEqual([38000, 40300, 44600, 35700, 39300, 40600, 40600]);
  });

  it("gives Rerun's frame times (rerun/mp4.ts) equal to the microseconds it was given", () => {
    const { mp4 } = written();
    const info = readMp4VideoInfo(mp4);
    expect(Array.from(info.frameTimestampsNs)).toEqual(CAMERA_US.map((t) => BigInt(t - CAMERA_US[0]) * 1000n));
    expect([info.width, info.height]).toEqual([640, 480]);
  });

  it("leaves out the sync-sample table when every sample is a key frame, and writes VP9 entries", () => {
    const writer = new Mp4Writer({ format: "vp09", width: 320, height: 240, description: Uint8Array.of(0, 31, 0x82, 1, 1, 1, 0, 0) });
    [0, 33333, 66666].forEach((t, i) => writer.add({ data: sample(i), timestampUs: t, key: true }));
    const video = demuxMp4(writer.finish(40000));
    expect(video.codec.startsWith("vp09")).toBe(true);
    expect(video.samples.map((s) => [s.timestampUs, s.durationUs, s.key])).toEqual([[0, 33333, true], [33333, 33333, true], [66666, 40000, true]]);
  });

  it("refuses what the format cannot say: a first frame that is not a key frame, times going back, nothing", () => {
    const writer = new Mp4Writer({ format: "avc1", width: 640, height: 480, description: AVCC });
    expect(() => writer.add({ data: sample(0), timestampUs: 0, key: false })).toThrow(/key frame/);
    writer.add({ data: sample(0), timestampUs: 100, key: true });
    expect(() => writer.add({ data: sample(1), timestampUs: 50, key: false })).toThrow(/backwards/);
    expect(() => new Mp4Writer({ format: "avc1", width: 640, height: 480, description: AVCC }).finish()).toThrow(/no samples/);
    expect(() => new Mp4Writer({ format: "avc1", width: 0, height: 480, description: AVCC })).toThrow(/size/);
  });

  it("writes B-frame order as decode order with ctts and an edit list, so mp4box and Rerun's rule read the given times", () => {
    // I P B B P B B in decode order, 40 ms frames starting at 1 s: presentation order I B B P B B P.
    const pts = [0, 3, 1, 2, 6, 4, 5].map((k) => 1_000_000 + k * 40_000);
    const writer = new Mp4Writer({ format: "avc1", width: 640, height: 480, description: AVCC, reordered: true });
    pts.forEach((t, i) => writer.add({ data: sample(i), timestampUs: t, key: i === 0 }));
    const mp4 = writer.finish();
    const video = demuxMp4(mp4); // applies the edit list
    expect(video.samples.map((s) => s.timestampUs)).toEqual(pts.map((t) => t - 1_000_000));
    video.samples.forEach((s, i) => expect(Array.from(s.data)).toEqual(Array.from(sample(i))));
    // Rerun ignores edit lists and starts at the earliest composition time: same times.
    expect(Array.from(readMp4VideoInfo(mp4).frameTimestampsNs)).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => BigInt(k * 40_000_000)));
    const text = Buffer.from(mp4).toString("latin1");
    expect(text.includes("ctts") && text.includes("elst")).toBe(true);
  });

  it("writes neither ctts nor an edit list when nothing is reordered", () => {
    const writer = new Mp4Writer({ format: "avc1", width: 640, height: 480, description: AVCC, reordered: true });
    CAMERA_US.forEach((t, i) => writer.add({ data: sample(i), timestampUs: t, key: i === 0 }));
    const text = Buffer.from(writer.finish()).toString("latin1");
    expect(text.includes("ctts") || text.includes("elst")).toBe(false);
  });

  it("writes VP8 and AV1 sample entries that mp4box recognises", () => {
    const vp8 = new Mp4Writer({ format: "vp08", width: 320, height: 240,
      description: vpcCPayload({ profile: 0, level: 0, bitDepth: 8, chromaSubsampling: 1, fullRange: false }) });
    vp8.add({ data: sample(0), timestampUs: 0, key: true });
    expect(demuxMp4(vp8.finish()).codec.startsWith("vp08")).toBe(true);
    // av1C: marker/version 1, seq_profile 0 / level 8 (4.0), 8-bit 4:2:0.
    const av1 = new Mp4Writer({ format: "av01", width: 320, height: 240, description: Uint8Array.of(0x81, 0x08, 0x0c, 0x00) });
    av1.add({ data: sample(0), timestampUs: 0, key: true });
    expect(demuxMp4(av1.finish()).codec).toMatch(/^av01\.0\.08M\.08/);
  });
});
