// Typed failures of the video stage. `code` is for programs (tests, the widget's error panel, the
// kernel); `message` is for people and says what to do where there is something to do.

export type VideoErrorCode =
  | "empty"              // zero bytes
  | "not-a-video"        // no known container signature
  | "truncated"          // a container whose data stops early (or whose index never arrives)
  | "no-video-track"     // a valid container with audio only, for instance
  | "unsupported-codec"  // this browser cannot decode the track (HEVC in Chromium)
  | "decode-failed"      // the decoder rejected the data mid-stream
  | "aborted";           // the caller's AbortSignal fired

export class VideoError extends Error {
  override name = "VideoError";
  constructor(readonly code: VideoErrorCode, message: string) {
    super(message);
  }
}

/** The ffmpeg line we suggest for anything the browser cannot decode: H.264 in MP4 plays everywhere. */
export function convertCommand(fileName = "input.mp4"): string {
  const base = fileName.replace(/\.[^./\\]*$/, "") || "output";
  return `ffmpeg -i "${fileName}" -c:v libx264 -pix_fmt yuv420p -crf 18 -c:a aac "${base}_h264.mp4"`;
}

/** "no-video-track", naming what the file holds instead (audio codecs as RFC 6381 strings). */
export function noVideoTrack(audioCodecs: readonly string[]): VideoError {
  const audio = audioCodecs.map((c) => `${AUDIO_NAMES.find(([re]) => re.test(c))?.[1] ?? c.split(".")[0]}, "${c}"`);
  return new VideoError("no-video-track", audio.length
    ? `The file has no video track, only audio (${audio.join("; ")}): there are no faces to find in it.`
    : "The file has no video track: there are no faces to find in it.");
}

const AUDIO_NAMES: [RegExp, string][] = [
  [/^mp4a\.40/, "AAC"], [/^mp4a\.6b|^mp3/, "MP3"], [/^opus|^Opus/, "Opus"], [/^vorbis/, "Vorbis"],
  [/^ac-3/, "AC-3"], [/^ec-3/, "E-AC-3"], [/^alac/, "ALAC"], [/^flac|^fLaC/, "FLAC"],
];

const CODEC_NAMES: [RegExp, string][] = [
  [/^(hvc1|hev1)/, "HEVC (H.265)"],
  [/^(avc1|avc3)/, "H.264 (AVC)"],
  [/^vp09|^vp9/i, "VP9"],
  [/^vp8/i, "VP8"],
  [/^av01/, "AV1"],
  [/^(mp4v|mp4v\.)/, "MPEG-4 Part 2"],
  [/^(apch|apcn|apcs|apco|ap4h)/, "Apple ProRes"],
  [/^(dvh1|dvhe)/, "Dolby Vision"],
];

/** Human name for a WebCodecs/RFC 6381 codec string, e.g. "hvc1.1.6.L93.90" → "HEVC (H.265)". */
export function codecDisplayName(codec: string): string {
  for (const [re, name] of CODEC_NAMES) if (re.test(codec)) return name;
  return codec.split(".")[0] || "unknown";
}

export function unsupportedCodecError(codec: string, fileName?: string): VideoError {
  return new VideoError(
    "unsupported-codec",
    `This video is encoded as ${codecDisplayName(codec)} (codec "${codec}"), which this browser cannot decode. ` +
      `Convert it to H.264 first, for example:\n  ${convertCommand(fileName)}`,
  );
}
