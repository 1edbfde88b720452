// A demuxed WebM/Matroska video track rewritten as an MP4 without re-encoding: the Rerun viewer
// plays MP4 assets only, and copying the encoded samples keeps every frame bit-exact at a cost of
// milliseconds. Rerun 0.33 reads avc1, vp08, vp09 and av01 sample entries (re_video's MP4 demuxer,
// decoded with WebCodecs in the web viewer): every codec Chromium decodes from WebM/MKV except HEVC,
// which Chromium on Linux does not decode anyway.
import type { DemuxedVideo } from "./demuxed";
import { Mp4Writer, vpcCPayload, type Mp4TrackConfig } from "./mp4Writer";
import { vp8Config, vp9Config } from "./vpx";

/** Why a track cannot be remuxed; the caller shows the overlays without the video. */
export class RemuxError extends Error {
  override name = "RemuxError";
}

function trackConfig(video: DemuxedVideo): Mp4TrackConfig {
  const size = { width: video.codedWidth, height: video.codedHeight };
  const first = video.samples[0]?.data ?? new Uint8Array(0);
  const codec = video.codec.split(".")[0];
  // Matroska's CodecPrivate for H.264 and AV1 is the avcC / av1C record an MP4 sample entry holds.
  const record = (name: string) => {
    if (!video.description?.length) throw new RemuxError(`the ${name} track has no codec configuration (CodecPrivate)`);
    return video.description;
  };
  // Samples are in decode order; H.264 may reorder them (B-frames), the others never do.
  switch (codec) {
    case "vp8": return { format: "vp08", ...size, description: vpcCPayload(vp8Config(first)) };
    case "vp09": return { format: "vp09", ...size, description: vpcCPayload(vp9Config(first, size.width, size.height)) };
    case "avc1": return { format: "avc1", ...size, description: record("H.264"), reordered: true };
    case "av01": return { format: "av01", ...size, description: record("AV1") };
    default: throw new RemuxError(`${video.codec} video cannot be put into an MP4 the viewer plays`);
  }
}

/** The track's samples, unchanged, in an MP4 whose frame times are the track's (from its first frame). */
export function remuxToMp4(video: DemuxedVideo): Uint8Array {
  if (!video.samples.length) throw new RemuxError("the track has no frames");
  const writer = new Mp4Writer(trackConfig(video));
  for (const s of video.samples) writer.add({ data: s.data, timestampUs: s.timestampUs, key: s.key });
  // The last frame shows as long as the demuxer says (the gap before it, for WebM).
  const last = video.samples.reduce((a, s) => (s.timestampUs >= a.timestampUs ? s : a));
  return writer.finish(last.durationUs);
}
