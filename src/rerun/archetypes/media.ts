/** Pixel data: raw images, encoded images, whole video files and references to their frames. */
import { Field, Struct, Uint32, Uint8, makeData, type Data } from "apache-arrow";
import { objectCodec, structData, validityBitmap } from "../arrow";
import {
  archetypeBatches, Blob, DrawOrder, EntityPath, field, ImageBuffer, MagnificationFilter, MediaType, Opacity,
  VideoTimestamp, type Archetype, type ComponentType,
} from "../components";

/** Rerun's ColorModel values. */
export const ColorModel = { L: 1, RGB: 2, RGBA: 3, BGR: 4, BGRA: 5 } as const;
/** Rerun's ChannelDatatype values. */
export const ChannelDatatype = {
  U8: 6, I8: 7, U16: 8, I16: 9, U32: 10, I32: 11, U64: 12, I64: 13, F16: 33, F32: 34, F64: 35,
} as const;
/** Rerun's PixelFormat values for chroma-subsampled formats (used instead of a colour model). */
export const PixelFormat = { NV12: 26, YUY2: 27 } as const;

export interface ImageFormat {
  width: number;
  height: number;
  colorModel?: keyof typeof ColorModel;
  channelDatatype?: keyof typeof ChannelDatatype;
  pixelFormat?: keyof typeof PixelFormat;
}

const FORMAT_FIELDS = [
  new Field("width", new Uint32(), false),
  new Field("height", new Uint32(), false),
  new Field("pixel_format", new Uint8(), true),
  new Field("color_model", new Uint8(), true),
  new Field("channel_datatype", new Uint8(), true),
];

function optionalU8(values: readonly (number | undefined)[]): Data {
  return makeData({
    type: new Uint8(), length: values.length, data: Uint8Array.from(values, (v) => v ?? 0),
    ...validityBitmap(values.map((v) => v !== undefined)),
  });
}

const ImageFormatComponent: ComponentType<ImageFormat, readonly ImageFormat[]> = {
  name: "rerun.components.ImageFormat",
  codec: objectCodec(new Struct(FORMAT_FIELDS), (formats: readonly ImageFormat[]) =>
    structData(FORMAT_FIELDS, [
      makeData({ type: new Uint32(), length: formats.length, data: Uint32Array.from(formats, (f) => f.width), nullCount: 0 }),
      makeData({ type: new Uint32(), length: formats.length, data: Uint32Array.from(formats, (f) => f.height), nullCount: 0 }),
      optionalU8(formats.map((f) => (f.pixelFormat ? PixelFormat[f.pixelFormat] : undefined))),
      optionalU8(formats.map((f) => (f.colorModel ? ColorModel[f.colorModel] : undefined))),
      optionalU8(formats.map((f) => (f.pixelFormat ? undefined : ChannelDatatype[f.channelDatatype ?? "U8"]))),
    ], formats.length)),
  from: (f) => [f],
};

interface Layered {
  opacity?: number;
  drawOrder?: number;
  magnificationFilter?: "Nearest" | "Linear";
}

/**
 * Raw pixels, e.g. `Image({ bytes, width, height, colorModel: "RGB" })`. `bytes` holds the samples
 * row-major, interleaved, in the channel datatype's native little-endian layout.
 */
export function Image(p: ImageFormat & Layered & { bytes: Uint8Array }): Archetype {
  const { bytes, opacity, drawOrder, magnificationFilter, ...format } = p;
  return archetypeBatches("Image", [
    field("buffer", ImageBuffer, bytes),
    field("format", ImageFormatComponent, format),
    field("opacity", Opacity, opacity),
    field("draw_order", DrawOrder, drawOrder),
    field("magnification_filter", MagnificationFilter, magnificationFilter),
  ]);
}

/** Media type of common image files from their first bytes. */
export function sniffImageMediaType(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return undefined;
}

/**
 * An image file (PNG, JPEG, …) decoded by the viewer. The media type is sniffed when omitted.
 * Log it on a timeline, not static: the 0.33 web viewer plays EncodedImages as an image sequence,
 * and a static one (its sample at time i64::MIN) blocks the page for 10+ s again and again once
 * a view shows it (measured in headless Chromium; Rerun's own SDK output does the same).
 */
export function EncodedImage(p: Layered & { blob: Uint8Array; mediaType?: string }): Archetype {
  return archetypeBatches("EncodedImage", [
    field("blob", Blob, p.blob),
    field("media_type", MediaType, p.mediaType ?? sniffImageMediaType(p.blob)),
    field("opacity", Opacity, p.opacity),
    field("draw_order", DrawOrder, p.drawOrder),
    field("magnification_filter", MagnificationFilter, p.magnificationFilter),
  ]);
}

/**
 * A whole video file, decoded by the viewer (MP4 with H.264/AV1/VP9…). Log it static and point
 * `VideoFrameReference`s at it; `readFrameTimestampsNs` (mp4.ts) gives valid frame times.
 */
export function AssetVideo(p: { blob: Uint8Array; mediaType?: string }): Archetype {
  return archetypeBatches("AssetVideo", [
    field("blob", Blob, p.blob),
    field("media_type", MediaType, p.mediaType ?? "video/mp4"),
  ]);
}

/**
 * Shows the video frame presented at `nanoseconds` (or `seconds`) into the video. The video is the
 * AssetVideo on `videoReference`, or on this entity when omitted.
 */
export function VideoFrameReference(
  p: ({ nanoseconds: bigint | number | BigInt64Array } | { seconds: number | ArrayLike<number> }) &
    { videoReference?: string; opacity?: number; drawOrder?: number },
): Archetype {
  const ns = "nanoseconds" in p
    ? p.nanoseconds
    : typeof p.seconds === "number"
      ? BigInt(Math.round(p.seconds * 1e9))
      : BigInt64Array.from(Array.from(p.seconds, (s) => BigInt(Math.round(s * 1e9))));
  return archetypeBatches("VideoFrameReference", [
    field("timestamp", VideoTimestamp, ns),
    field("video_reference", EntityPath, p.videoReference),
    field("opacity", Opacity, p.opacity),
    field("draw_order", DrawOrder, p.drawOrder),
  ]);
}
