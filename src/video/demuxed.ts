// What every demuxer hands to the WebCodecs decoder: one video track, its samples in decode order.
import type { Rotation } from "./geometry";

export interface EncodedSample {
  data: Uint8Array;
  /** Presentation time in µs from the start of the clip (edit lists applied). */
  timestampUs: number;
  durationUs: number;
  key: boolean;
}

export interface DemuxedVideo {
  container: "mp4" | "webm";
  /** WebCodecs codec string, e.g. "avc1.64001e", "vp8". */
  codec: string;
  codedWidth: number;
  codedHeight: number;
  /** Size after the pixel aspect ratio (what a player shows and what VideoFrame.display* reports). */
  displayWidth: number;
  displayHeight: number;
  /** Codec configuration record (avcC, hvcC, …) when the codec needs one. */
  description?: Uint8Array;
  rotation: Rotation;
  /** Decode order. */
  samples: EncodedSample[];
  durationUs: number;
  /** Set when the file ends before its index says: the samples above are the complete ones. */
  truncation?: Truncation;
}

export interface Truncation {
  /** Frames the container's index lists. */
  totalFrames: number;
  /** Presentation time of the first frame whose data is missing; frames from here on are dropped. */
  endUs: number;
  fileBytes: number;
}
