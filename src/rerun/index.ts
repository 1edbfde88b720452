/**
 * facescope's writer of Rerun recordings (RRD, Rerun 0.33) for the browser and Node.
 * Knows nothing about faces: log archetypes on entities and timelines, flush to RRD bytes, and
 * send them to the web viewer (`ViewerChannelSink`) or keep them as a `.rrd` file (`MemorySink`).
 *
 * ```ts
 * const rec = new Recording({ applicationId: "demo" });
 * rec.setTime("frame_idx", { sequence: 0 });
 * rec.log("points", Points2D({ positions: [[0, 0], [1, 1]], radii: 0.5 }));
 * channel.send_rrd(rec.flush()!);
 * ```
 */
export { Recording, type RecordingOptions, type LogOptions, type BlueprintLike } from "./recording";
export { timeColumn, type TimeColumn, type TimeValue, type TimeValues, type Timeline, type TimelineKind } from "./time";
export { columns, type ComponentColumn, type Partition } from "./columns";
export { rgba, type Archetype, type ColorLike, type Colors, type ComponentBatch, type ComponentDescriptor } from "./components";
export { Points2D, Points3D, Boxes2D, ViewCoordinates, Axis, type Points2DProps, type Points3DProps, type Boxes2DGeometry } from "./archetypes/spatial";
export { AnnotationContext, ClassDescription, type AnnotationInfo, type ClassDescriptionProps } from "./archetypes/annotation";
export { Scalars, SeriesLines, SeriesPoints } from "./archetypes/plots";
export { TextLog, TextDocument, type LogLevel } from "./archetypes/text";
export { AnyValues, Clear, type AnyValue } from "./archetypes/generic";
export { Image, EncodedImage, AssetVideo, VideoFrameReference, ColorModel, ChannelDatatype, PixelFormat, type ImageFormat } from "./archetypes/media";
export { readMp4VideoInfo, readFrameTimestampsNs, type Mp4VideoInfo } from "./mp4";
export {
  Blueprint, Horizontal, Vertical, Grid, Tabs, Spatial2DView, Spatial3DView, TimeSeriesView, TextDocumentView, TextLogView,
  type BlueprintPart, type ViewOptions, type ContainerOptions, type BlueprintOptions, type EyeControls,
} from "./blueprint";
export { MemorySink, ViewerChannelSink, type RrdSink, type RrdChannel } from "./sinks";
export { streamContinuation } from "./codec/framing";
export { fileEndOf } from "./fileEnd";
export { inspectRrd, type InspectedRrd, type InspectedChunk } from "./inspect";
