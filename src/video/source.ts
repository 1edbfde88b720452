// The video stage's entry point: bytes in, upright frames out, each with its index and exact
// presentation time. Everything that can be known before decoding (container, codec support,
// truncation) is checked in openVideo, so a bad file fails before any model is loaded.
import type { DemuxedVideo, Truncation } from "./demuxed";
import { assertDecodable, decodeVideo } from "./decode";
import { convertCommand, VideoError } from "./errors";
import { outputSize, type Rotation, validateMaxDim } from "./geometry";
import { demuxMp4 } from "./mp4";
import { sniffContainer, STILL_CONTAINERS } from "./sniff";
import { FrameTransformer } from "./transform";
import { demuxWebm } from "./webm";

export interface OpenOptions {
  /** Downscale so the long side is at most this many pixels (never upscales). */
  maxDim?: number;
  /** Stop after this many frames. */
  maxFrames?: number;
  /** Only used in messages (e.g. the suggested ffmpeg command). */
  fileName?: string;
  signal?: AbortSignal;
}

export interface DecodedFrame {
  /** Upright and scaled; the consumer owns it and must close() it as soon as it is used. */
  frame: VideoFrame;
  /** 0-based, presentation order. */
  index: number;
  /** Presentation time in µs (MP4: edit list applied; WebM: the block timestamp). */
  timestampUs: number;
  /** Time spent producing this frame (demux share, decode, rotate/scale), ms. */
  decodeMs: number;
}

export interface VideoSource {
  kind: "mp4" | "webm" | "image";
  /** WebCodecs codec string, or the image type for stills. */
  codec: string;
  /** Size of the frames this source yields (after rotation and maxDim). */
  width: number;
  height: number;
  rotation: Rotation;
  /** Frames that will be yielded (maxFrames applied). */
  frameCount: number;
  durationUs: number;
  /** The encoded track the frames come from (not for stills): a WebM's samples are remuxed from it. */
  encoded?: DemuxedVideo;
  frames(): AsyncGenerator<DecodedFrame>;
}

function validateMaxFrames(maxFrames: number | undefined): void {
  if (maxFrames !== undefined && (!Number.isInteger(maxFrames) || maxFrames < 1)) {
    throw new RangeError(`maxFrames must be a positive integer, got ${maxFrames}`);
  }
}

export async function openVideo(input: Uint8Array | Blob, options: OpenOptions = {}): Promise<VideoSource> {
  validateMaxDim(options.maxDim);
  validateMaxFrames(options.maxFrames);
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(await input.arrayBuffer());
  const name = options.fileName ? `"${options.fileName}"` : "The file";
  if (bytes.length === 0) throw new VideoError("empty", `${name} is empty (0 bytes).`);
  const container = sniffContainer(bytes);
  if (STILL_CONTAINERS.has(container)) return openImage(bytes, container, options);
  let demuxed: DemuxedVideo;
  if (container === "mp4") demuxed = demuxMp4(bytes);
  else if (container === "webm") demuxed = demuxWebm(bytes);
  else if (container === "ogg") {
    // Chromium plays no Ogg video (Theora support is gone): say so rather than "not a video".
    throw new VideoError("unsupported-codec", `${name} is an Ogg file (Theora video), which this browser ` +
      `cannot decode. Convert it to H.264 in MP4, e.g. ${convertCommand(options.fileName)}`);
  } else {
    throw new VideoError("not-a-video", `${name} is not a video or image this tool can read ` +
      "(expected MP4, MOV, WebM/MKV, PNG or JPEG).");
  }
  await assertDecodable(demuxed, options.fileName);
  return fromDemuxed(demuxed, options);
}

function fromDemuxed(video: DemuxedVideo, options: OpenOptions): VideoSource {
  const cut = video.truncation;
  const presentable = cut ? video.samples.filter((s) => s.timestampUs < cut.endUs).length : video.samples.length;
  const frameCount = Math.min(presentable, options.maxFrames ?? Infinity);
  const size = outputSize(video.displayWidth, video.displayHeight, video.rotation, options.maxDim);
  return {
    kind: video.container, codec: video.codec, ...size, rotation: video.rotation, frameCount,
    durationUs: video.durationUs, encoded: video,
    async *frames() {
      const transformer = new FrameTransformer(video.rotation, options.maxDim);
      let index = 0;
      let t0 = performance.now();
      for await (const decoded of decodeVideo(video, options.signal)) {
        // Frames come in presentation order: past the cut (or maxFrames) nothing else is wanted.
        if (index >= frameCount || (cut && decoded.timestamp >= cut.endUs)) { decoded.close(); break; }
        const frame = transformer.apply(decoded);
        const decodeMs = performance.now() - t0;
        yield { frame, index, timestampUs: frame.timestamp, decodeMs };
        index++;
        t0 = performance.now();
      }
      if (options.signal?.aborted) return;
      if (index < frameCount) {
        throw new VideoError("decode-failed", `The decoder produced ${index} of ${frameCount} frames.`);
      }
      // Everything decodable was analysed; the error says where the file stops, and the frames
      // before it stay analysed (AnalysisFailure carries them).
      if (cut && frameCount === presentable) throw truncatedError(index, cut);
    },
  };
}

function truncatedError(index: number, cut: Truncation): VideoError {
  return new VideoError("truncated", `The video is truncated: stopped at frame ${index} ` +
    `(${(cut.endUs / 1e6).toFixed(2)} s) of ${cut.totalFrames}: the file ends early (${cut.fileBytes} bytes). ` +
    "The frames before it are analysed; re-export or re-download the file for the rest.");
}

async function openImage(bytes: Uint8Array, container: string, options: OpenOptions): Promise<VideoSource> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { imageOrientation: "from-image" });
  } catch (e) {
    throw new VideoError("decode-failed", `The ${container.toUpperCase()} image could not be decoded (${String(e)}).`);
  }
  const size = outputSize(bitmap.width, bitmap.height, 0, options.maxDim);
  if (size.width !== bitmap.width || size.height !== bitmap.height) {
    const scaled = await createImageBitmap(bitmap, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: "high" });
    bitmap.close();
    bitmap = scaled;
  }
  const still = bitmap;
  return {
    kind: "image", codec: container, ...size, rotation: 0, frameCount: 1, durationUs: 0,
    async *frames() {
      const t0 = performance.now();
      const frame = new VideoFrame(still, { timestamp: 0 });
      still.close();
      yield { frame, index: 0, timestampUs: 0, decodeMs: performance.now() - t0 };
    },
  };
}
