import * as fs from "node:fs";
import * as path from "node:path";
import { codecDisplayName, convertCommand, noVideoTrack, unsupportedCodecError, VideoError } from "./errors";
import { displaySize, outputSize, rotationFromMatrix, validateMaxDim } from "./geometry";
import { sniffContainer } from "./sniff";
import { demuxWebm } from "./webm";

const bytes = (...v: number[]) => Uint8Array.from(v);
const text = (s: string) => new TextEncoder().encode(s);

describe("sniffContainer", () => {
  it.each([
    [bytes(0, 0, 0, 32, ...text("ftypisom")), "mp4"],
    [bytes(0, 0, 0, 8, ...text("wide")), "mp4"],
    [bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f), "webm"],
    [bytes(0x89, ...text("PNG\r\n\x1a\n")), "png"],
    [bytes(0xff, 0xd8, 0xff, 0xe0), "jpeg"],
    [text("hello, this is not a video"), "unknown"],
    [bytes(), "unknown"],
  ])("%#", (b, kind) => expect(sniffContainer(b)).toBe(kind));
});

describe("geometry", () => {
  const fx = 65536;
  it("reads clockwise rotation from the tkhd matrix", () => {
    expect(rotationFromMatrix([fx, 0, 0, 0, fx, 0, 0, 0, 1 << 30])).toBe(0);
    expect(rotationFromMatrix([0, fx, 0, -fx, 0, 0, 0, 0, 1 << 30])).toBe(90);
    expect(rotationFromMatrix([-fx, 0, 0, 0, -fx, 0, 0, 0, 1 << 30])).toBe(180);
    expect(rotationFromMatrix([0, -fx, 0, fx, 0, 0, 0, 0, 1 << 30])).toBe(270);
    expect(rotationFromMatrix(undefined)).toBe(0);
  });

  it("turns and downscales the output size, never upscaling, keeping even sides", () => {
    expect(outputSize(1920, 1080, 0)).toEqual({ width: 1920, height: 1080 });
    expect(outputSize(1920, 1080, 90)).toEqual({ width: 1080, height: 1920 });
    expect(outputSize(1920, 1080, 0, 640)).toEqual({ width: 640, height: 360 });
    expect(outputSize(1920, 1080, 270, 640)).toEqual({ width: 360, height: 640 });
    expect(outputSize(360, 288, 0, 640)).toEqual({ width: 360, height: 288 });
    expect(outputSize(1288, 720, 0, 640)).toEqual({ width: 640, height: 358 });
  });

  it("applies pixel aspect like Chromium", () => {
    expect(displaySize(1280, 720, 171, 170)).toEqual({ width: 1288, height: 720 });
    expect(displaySize(720, 576, 1, 2)).toEqual({ width: 720, height: 1152 });
    expect(displaySize(640, 480)).toEqual({ width: 640, height: 480 });
  });

  it("validates maxDim", () => {
    expect(() => validateMaxDim(0)).toThrow(RangeError);
    expect(() => validateMaxDim(12.5)).toThrow(RangeError);
    expect(() => validateMaxDim(undefined)).not.toThrow();
  });
});

describe("codec errors", () => {
  it("names the codec and gives a runnable ffmpeg line", () => {
    expect(codecDisplayName("hvc1.1.6.L93.90")).toBe("HEVC (H.265)");
    expect(codecDisplayName("avc1.640015")).toBe("H.264 (AVC)");
    expect(codecDisplayName("zzzz.1")).toBe("zzzz");
    const e = unsupportedCodecError("hev1.1.6.L93.B0", "IMG_0001.MOV");
    expect(e).toBeInstanceOf(VideoError);
    expect(e.code).toBe("unsupported-codec");
    expect(e.message).toContain("HEVC");
    expect(e.message).toContain('ffmpeg -i "IMG_0001.MOV" -c:v libx264');
    expect(convertCommand("a.b.webm")).toMatch(/"a\.b_h264\.mp4"$/);
  });

  it("names the audio a file without video holds", () => {
    expect(noVideoTrack(["mp4a.40.2"]).message).toMatch(/no video track, only audio \(AAC, "mp4a\.40\.2"\)/);
    expect(noVideoTrack(["opus"]).message).toContain("only audio (Opus");
    expect(noVideoTrack([]).message).toBe("The file has no video track: there are no faces to find in it.");
    expect(noVideoTrack([]).code).toBe("no-video-track");
  });
});

describe("demuxWebm", () => {
  // EBML helpers: id bytes as given, sizes as 8-byte vints or the 1-byte "unknown" marker.
  const size = (n: number) => [0x01, 0, 0, 0, Math.floor(n / 2 ** 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const el = (id: number[], body: number[]) => [...id, ...size(body.length), ...body];
  const uint = (id: number[], v: number) => el(id, [v]);
  const block = (track: number, rel: number, key: boolean, payload: number[]) =>
    el([0xa3], [0x80 | track, (rel >> 8) & 0xff, rel & 0xff, key ? 0x80 : 0, ...payload]);

  function webm(unknownCluster: boolean): Uint8Array {
    const tracks = el([0x16, 0x54, 0xae, 0x6b], [
      ...el([0xae], [...uint([0xd7], 1), ...uint([0x83], 2), ...el([0x86], [...text("A_OPUS")])]),
      ...el([0xae], [...uint([0xd7], 2), ...uint([0x83], 1), ...el([0x86], [...text("V_VP8")]),
        ...el([0xe0], [...el([0xb0], [0x01, 0x40]), ...el([0xba], [0xf0])])]),
    ]);
    const clusterBody = [...uint([0xe7], 100), ...block(2, 0, true, [1, 2, 3]), ...block(1, 5, true, [9]),
      ...block(2, 40, false, [4]), ...block(2, 80, false, [5])];
    const cluster = unknownCluster ? [0x1f, 0x43, 0xb6, 0x75, 0xff, ...clusterBody] : el([0x1f, 0x43, 0xb6, 0x75], clusterBody);
    return Uint8Array.from([...el([0x1a, 0x45, 0xdf, 0xa3], [0x42, 0x82, 0x84, ...text("webm")]),
      0x18, 0x53, 0x80, 0x67, 0xff, ...tracks, ...cluster]);
  }

  it.each([false, true])("reads the video track's blocks (unknown-size cluster: %s)", (unknown) => {
    const v = demuxWebm(webm(unknown));
    expect(v.codec).toBe("vp8");
    expect([v.codedWidth, v.codedHeight]).toEqual([320, 240]);
    expect(v.samples.map((s) => [s.timestampUs, s.key, Array.from(s.data)])).toEqual([
      [100_000, true, [1, 2, 3]], [140_000, false, [4]], [180_000, false, [5]]]);
    expect(v.samples.map((s) => s.durationUs)).toEqual([40_000, 40_000, 40_000]);
  });

  it("reports a file cut inside the track list as truncated", () => {
    const w = webm(false);
    expect(() => demuxWebm(w.subarray(0, 30))).toThrow(expect.objectContaining({ code: "truncated" }));
  });

  const shared = path.resolve(process.env.FACESCOPE_SHARED ?? path.join(__dirname, "..", "..", "..", "shared"));
  const clip = path.join(shared, "media", "c_noface_tos_belltower_vp8.webm");
  (fs.existsSync(clip) ? it : it.skip)("finds all 48 frames of the shared VP8 clip", () => {
    const v = demuxWebm(new Uint8Array(fs.readFileSync(clip)));
    expect(v.samples).toHaveLength(48);
    expect(v.samples[0].key).toBe(true);
    expect([v.codedWidth, v.codedHeight]).toEqual([960, 400]);
  });
});
