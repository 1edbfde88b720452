import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readMp4VideoInfo } from "../rerun/mp4";
import type { DemuxedVideo } from "./demuxed";
import { demuxMp4 } from "./mp4";
import { remuxToMp4, RemuxError } from "./remux";
import { demuxWebm } from "./webm";

// Real clips: the shared VP8 WebM, and VP9 / H.264 (with B-frames) Matroska files made by ffmpeg
// (a set-up requirement, as for the Python tests) from the shared talking clip.
const shared = path.resolve(process.env.FACESCOPE_SHARED ?? path.join(__dirname, "..", "..", "..", "shared"));
const BELLTOWER = path.join(shared, "media", "c_noface_tos_belltower_vp8.webm");
const TALKING = path.join(shared, "media", "a_talking_grid_s1_bbaf2n.mp4");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "facescope-remux-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function ffmpeg(name: string, ...args: string[]): Uint8Array {
  const out = path.join(tmp, name);
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", TALKING, "-map", "0:v", "-frames:v", "20", ...args, out]);
  return new Uint8Array(fs.readFileSync(out));
}

/** Remuxes, reads the MP4 back with mp4box and checks it carries the same samples at the same times. */
function roundTrip(webm: DemuxedVideo) {
  const mp4 = remuxToMp4(webm);
  const back = demuxMp4(mp4);
  const t0 = Math.min(...webm.samples.map((s) => s.timestampUs));
  expect(back.samples).toHaveLength(webm.samples.length);
  expect(back.samples.map((s) => s.timestampUs)).toEqual(webm.samples.map((s) => s.timestampUs - t0));
  expect(back.samples.map((s) => s.key)).toEqual(webm.samples.map((s) => s.key));
  back.samples.forEach((s, i) => expect(Buffer.compare(Buffer.from(s.data), Buffer.from(webm.samples[i].data))).toBe(0));
  expect([back.codedWidth, back.codedHeight]).toEqual([webm.codedWidth, webm.codedHeight]);
  // The times the scene's frame references use: every frame, in presentation order, in ns.
  const info = readMp4VideoInfo(mp4);
  const sorted = webm.samples.map((s) => s.timestampUs - t0).sort((a, b) => a - b);
  expect(Array.from(info.frameTimestampsNs)).toEqual(sorted.map((t) => BigInt(t) * 1000n));
  return { mp4, back, info };
}

describe("remuxToMp4", () => {
  it("puts every frame of the shared VP8 WebM into a vp08 MP4 at its WebM time", () => {
    const webm = demuxWebm(new Uint8Array(fs.readFileSync(BELLTOWER)));
    const { back, info } = roundTrip(webm);
    expect(back.samples).toHaveLength(48);
    expect(back.codec.startsWith("vp08")).toBe(true);
    expect([info.width, info.height]).toEqual([960, 400]);
    // 24 fps with millisecond WebM times: 41 or 42 ms apart, and the last frame lasts as long as the WebM says.
    const gaps = Array.from(info.frameTimestampsNs.slice(1), (t, i) => Number(t - info.frameTimestampsNs[i]) / 1e6);
    expect(new Set(gaps)).toEqual(new Set([41, 42]));
    expect(back.samples[47].durationUs).toBe(webm.samples[47].durationUs);
  });

  it("writes a VP9 WebM's profile, bit depth and level into vpcC", () => {
    const webm = demuxWebm(ffmpeg("vp9.webm", "-c:v", "libvpx-vp9", "-b:v", "300k", "-pix_fmt", "yuv420p10le"));
    expect(webm.codec.startsWith("vp09")).toBe(true);
    const { back } = roundTrip(webm);
    // Profile 2, level 2 (360×288 = 103 680 luma samples fit its 122 880), 10-bit: the viewer configures its decoder with this.
    expect(back.codec).toBe("vp09.02.20.10");
  });

  it("keeps an H.264 Matroska file's B-frame order: decode order in the file, presentation times from the MKV", () => {
    const mkv = demuxWebm(ffmpeg("h264.mkv", "-c:v", "copy"));
    expect(mkv.codec.startsWith("avc1")).toBe(true);
    const times = mkv.samples.map((s) => s.timestampUs);
    expect(times).not.toEqual([...times].sort((a, b) => a - b)); // the clip really has B-frames
    const { back } = roundTrip(mkv);
    expect(Array.from(back.description ?? [])).toEqual(Array.from(mkv.description ?? [])); // avcC = CodecPrivate
  });

  it("refuses what it cannot remux with a RemuxError naming the reason", () => {
    const base: DemuxedVideo = {
      container: "webm", codec: "hvc1.1.6.L93.90", codedWidth: 64, codedHeight: 64, displayWidth: 64, displayHeight: 64,
      rotation: 0, durationUs: 40_000, samples: [{ data: Uint8Array.of(1, 2, 3), timestampUs: 0, durationUs: 40_000, key: true }],
    };
    expect(() => remuxToMp4(base)).toThrow(RemuxError);
    expect(() => remuxToMp4({ ...base, codec: "avc1.64001e" })).toThrow(/no codec configuration/);
    expect(() => remuxToMp4({ ...base, codec: "vp8" })).toThrow(/not a key frame|start code/);
    expect(() => remuxToMp4({ ...base, codec: "vp8", samples: [] })).toThrow(/no frames/);
  });
});
