/** Frame timestamps of an MP4's video track, read with mp4box, as Rerun's video decoder sees them. */
import { createFile, MP4BoxBuffer, type Movie } from "mp4box";

export interface Mp4VideoInfo {
  /** Codec string, e.g. `avc1.42c01e`. */
  codec: string;
  width: number;
  height: number;
  /** Presentation timestamps of every frame in nanoseconds, ascending. */
  frameTimestampsNs: BigInt64Array;
}

/**
 * Parses the MP4 and returns its first video track's frame times, the values `VideoFrameReference`
 * expects. A frame's time is its composition timestamp shifted by the edit list's start
 * (`media_time` of the first edit), in ns. Rerun 0.33.1's own reader
 * (`AssetVideo.read_frame_timestamps_nanos`) agrees on our test clips, whose B-frames make the
 * first composition time non-zero. Throws if the file has no video track.
 */
export function readMp4VideoInfo(bytes: Uint8Array): Mp4VideoInfo {
  const file = createFile();
  let movie: Movie | undefined;
  let error: string | undefined;
  file.onReady = (info) => (movie = info);
  file.onError = (module, message) => (error = `${module}: ${message}`);
  const copy = bytes.slice().buffer as ArrayBuffer;
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, 0));
  file.flush();
  if (!movie) throw new Error(`not a readable MP4${error ? ` (${error})` : ""}`);
  const track = movie.videoTracks[0];
  if (!track) throw new Error("MP4 has no video track");
  const samples = file.getTrackSamplesInfo(track.id);
  const timescale = BigInt(track.timescale);
  const shift = BigInt(editListStart(file.getTrackById(track.id)));
  const ns = BigInt64Array.from(samples, (s) => roundDiv((BigInt(s.cts) - shift) * 1_000_000_000n, timescale)).sort();
  return { codec: track.codec, width: track.video?.width ?? track.track_width, height: track.video?.height ?? track.track_height, frameTimestampsNs: ns };
}

/** Integer division rounding to nearest (half away from zero), as Rerun converts track time to ns. */
function roundDiv(n: bigint, d: bigint): bigint {
  return n >= 0n ? (n + d / 2n) / d : -((-n + d / 2n) / d);
}

/** `media_time` of the first non-empty edit, or 0 without an edit list. */
function editListStart(trak: unknown): number {
  const entries = (trak as { edts?: { elst?: { entries?: Array<{ media_time: number }> } } }).edts?.elst?.entries ?? [];
  const first = entries.find((e) => e.media_time >= 0);
  return first?.media_time ?? 0;
}

/** Shortcut for `readMp4VideoInfo(bytes).frameTimestampsNs`. */
export function readFrameTimestampsNs(bytes: Uint8Array): BigInt64Array {
  return readMp4VideoInfo(bytes).frameTimestampsNs;
}
