// Keeps a live video: VideoFrames → WebCodecs VideoEncoder (H.264 where the browser can encode it,
// else VP9) → an MP4 file (mp4Writer.ts) that the Rerun viewer plays under the landmarks.
import { Mp4Writer, vpcCPayload, type Mp4TrackConfig } from "./mp4Writer";

/** A key frame this often: the viewer decodes from the last key frame when it seeks. */
export const KEY_FRAME_EVERY = 30;

/** H.264 profile/level strings to try (Constrained Baseline: no B-frames), by frame size in macroblocks. */
export function h264Codec(width: number, height: number): string {
  const mbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  if (mbs <= 3600) return "avc1.42e01f"; // level 3.1: up to 1280×720
  if (mbs <= 8192) return "avc1.42e028"; // level 4.0: up to 1920×1080
  return "avc1.42e033"; // level 5.1
}

/** vpcC payload for 8-bit 4:2:0 VP9 profile 0 (BT.709, limited range), level 3.1. */
const VP9_CODEC = "vp09.00.31.08";
const VP9_CONFIG = vpcCPayload({
  profile: 0, level: 31, bitDepth: 8, chromaSubsampling: 1, fullRange: false,
  colourPrimaries: 1, transferCharacteristics: 1, matrixCoefficients: 1,
});

interface Choice {
  config: VideoEncoderConfig;
  format: Mp4TrackConfig["format"];
}

async function chooseEncoder(width: number, height: number, fps: number): Promise<Choice | null> {
  if (typeof VideoEncoder === "undefined") return null;
  const common = { width, height, framerate: fps, bitrate: Math.max(500_000, Math.round(width * height * fps * 0.15)),
    latencyMode: "realtime" as const };
  const candidates: Choice[] = [
    { format: "avc1", config: { ...common, codec: h264Codec(width, height), avc: { format: "avc" } } },
    { format: "vp09", config: { ...common, codec: VP9_CODEC } },
  ];
  for (const c of candidates) {
    try {
      if ((await VideoEncoder.isConfigSupported(c.config)).supported) return c;
    } catch {
      // a codec string this browser does not know: try the next
    }
  }
  return null;
}

export interface RecordedVideo {
  mp4: Uint8Array;
  codec: string;
  /** Presentation times of the samples, µs from the first. */
  timesUs: number[];
}

/** Encodes the frames it is given (in order) and writes them into an MP4 when finished. */
export class Mp4Recorder {
  private writer: Mp4Writer | null = null;
  private failure: Error | null = null;
  private frames = 0;

  private constructor(private readonly encoder: VideoEncoder, private readonly choice: Choice) {}

  /** A recorder for frames of this size, or null when the browser can encode neither H.264 nor VP9. */
  static async create(width: number, height: number, fps = 30): Promise<Mp4Recorder | null> {
    const choice = await chooseEncoder(width, height, fps);
    if (!choice) return null;
    let recorder: Mp4Recorder | null = null;
    const encoder = new VideoEncoder({
      output: (chunk, meta) => recorder?.output(chunk, meta),
      error: (e) => {
        if (recorder) recorder.failure ??= new Error(`the video encoder failed: ${e.message}`);
      },
    });
    recorder = new Mp4Recorder(encoder, choice);
    encoder.configure(choice.config);
    return recorder;
  }

  get codec(): string {
    return this.choice.config.codec;
  }

  /** Frames waiting in the encoder: the caller drops frames when this grows. */
  get queueSize(): number {
    return this.encoder.state === "configured" ? this.encoder.encodeQueueSize : 0;
  }

  /** The encoder's failure, if it failed (the recording then stops growing). */
  get error(): Error | null {
    return this.failure;
  }

  /** Encodes `frame` (the caller still owns it and closes it); its timestamp is the sample's time. */
  encode(frame: VideoFrame): void {
    if (this.failure || this.encoder.state !== "configured") return;
    this.encoder.encode(frame, { keyFrame: this.frames % KEY_FRAME_EVERY === 0 });
    this.frames++;
  }

  /** Flushes the encoder and returns the MP4, or null when nothing was encoded. */
  async finish(): Promise<RecordedVideo | null> {
    try {
      if (this.encoder.state === "configured") await this.encoder.flush();
    } catch (e) {
      this.failure ??= new Error(`the video encoder failed: ${String(e)}`);
    } finally {
      if (this.encoder.state !== "closed") this.encoder.close();
    }
    if (!this.writer?.sampleCount) return null;
    return { mp4: this.writer.finish(), codec: this.codec, timesUs: this.writer.timesUs };
  }

  close(): void {
    if (this.encoder.state !== "closed") this.encoder.close();
  }

  private output(chunk: EncodedVideoChunk, meta?: EncodedVideoChunkMetadata): void {
    if (!this.writer) {
      const description = meta?.decoderConfig?.description;
      const { width, height } = this.choice.config;
      const bytes = this.choice.format === "vp09" ? VP9_CONFIG
        : description ? copyBytes(description) : null;
      if (!bytes) {
        this.failure ??= new Error("the H.264 encoder gave no decoder configuration (avcC)");
        return;
      }
      this.writer = new Mp4Writer({ format: this.choice.format, width, height, description: bytes });
    }
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    try {
      this.writer.add({ data, timestampUs: chunk.timestamp, key: chunk.type === "key" });
    } catch (e) {
      this.failure ??= e as Error;
    }
  }
}

function copyBytes(source: AllowSharedBufferSource): Uint8Array {
  if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
  const view = source as ArrayBufferView;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}
