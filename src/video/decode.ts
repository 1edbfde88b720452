// WebCodecs decoding of a demuxed track as an async iterator of VideoFrames in presentation order.
// Backpressure both ways: at most a few chunks queued in the decoder and a few decoded frames
// waiting for the consumer, because decoders run out of frame buffers when frames are held.
import type { DemuxedVideo } from "./demuxed";
import { unsupportedCodecError, VideoError } from "./errors";

const MAX_QUEUED_CHUNKS = 4;
const MAX_PENDING_FRAMES = 3;

export function decoderConfig(video: DemuxedVideo): VideoDecoderConfig {
  return {
    codec: video.codec,
    codedWidth: video.codedWidth,
    codedHeight: video.codedHeight,
    ...(video.description ? { description: video.description as Uint8Array<ArrayBuffer> } : {}),
  };
}

/** Throws an "unsupported-codec" VideoError (with an ffmpeg line) when the browser cannot decode it. */
export async function assertDecodable(video: DemuxedVideo, fileName?: string): Promise<void> {
  if (typeof VideoDecoder === "undefined") {
    throw new VideoError("unsupported-codec", "This browser has no WebCodecs VideoDecoder; use a recent Chrome, Edge or Firefox.");
  }
  let supported = false;
  try {
    supported = (await VideoDecoder.isConfigSupported(decoderConfig(video))).supported === true;
  } catch {
    supported = false; // a malformed codec string throws instead of answering
  }
  if (!supported) throw unsupportedCodecError(video.codec, fileName);
}

export async function* decodeVideo(video: DemuxedVideo, signal?: AbortSignal): AsyncGenerator<VideoFrame> {
  const pending: VideoFrame[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  const poke = () => { const w = wake; wake = undefined; w?.(); };
  const decoder = new VideoDecoder({
    output: (f) => { pending.push(f); poke(); },
    error: (e) => { failure = e; poke(); },
  });
  decoder.addEventListener("dequeue", poke);
  signal?.addEventListener("abort", poke);
  decoder.configure(decoderConfig(video));

  let next = 0;
  let flushed = false;
  let flushing = false;
  try {
    for (;;) {
      if (signal?.aborted) throw new VideoError("aborted", "Analysis was cancelled.");
      if (failure) {
        throw new VideoError("decode-failed", `The video could not be decoded at frame ${next}: ${String(failure)}`);
      }
      while (next < video.samples.length && decoder.decodeQueueSize < MAX_QUEUED_CHUNKS && pending.length < MAX_PENDING_FRAMES) {
        const s = video.samples[next++];
        decoder.decode(new EncodedVideoChunk({
          type: s.key ? "key" : "delta", timestamp: s.timestampUs, duration: s.durationUs, data: s.data as Uint8Array<ArrayBuffer>,
        }));
      }
      if (next === video.samples.length && !flushing) {
        flushing = true;
        decoder.flush().then(() => { flushed = true; poke(); }, (e) => { failure ??= e; poke(); });
      }
      const frame = pending.shift();
      if (frame) {
        yield frame;
        continue;
      }
      if (flushed) return;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    for (const f of pending.splice(0)) f.close();
    decoder.removeEventListener("dequeue", poke);
    if (decoder.state !== "closed") decoder.close();
  }
}
