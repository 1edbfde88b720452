/**
 * Every archetype's chunk read back with apache-arrow: schema, field metadata and values.
 * Expected types are the ones Rerun 0.33's Python SDK writes (checked with pyarrow).
 */
import { tableFromIPC } from "apache-arrow";
import {
  AnnotationContext, AnyValues, AssetVideo, Boxes2D, ClassDescription, Clear, EncodedImage, Image, Points2D, Points3D,
  Recording, rgba, Scalars, SeriesLines, SeriesPoints, TextDocument, TextLog, VideoFrameReference, ViewCoordinates,
  type Archetype,
} from "./index";
import { column, describeType, fieldOf, onlyChunk } from "./test-support";

const F32x2 = "List<item?: FixedSizeList[2]<item: Float32>>";
const F32x3 = "List<item?: FixedSizeList[3]<item: Float32>>";
const L = (t: string) => `List<item?: ${t}>`;
const BLOB = "List<item?: List<item: Uint8>>";
const INFO = "Struct<id: Uint16, label?: Utf8, color?: Uint32>";
const CONTEXT = `List<item?: List<item: Struct<class_id: Uint16, class_description: Struct<info: ${INFO}, ` +
  `keypoint_annotations: List<item: ${INFO}>, keypoint_connections: List<item: Struct<keypoint0: Uint16, keypoint1: Uint16>>>>>>`;

type Expect = Record<string, [type: string, componentType: string | undefined, firstRow: unknown]>;

const cases: Array<[string, Archetype, Expect]> = [
  ["Points2D", Points2D({
    positions: [[10, 20], [30, 40]], radii: 3, colors: [[255, 0, 0], 0x00ff00ff], labels: ["a", "b"], showLabels: true,
    drawOrder: 2, classIds: [0, 1], keypointIds: [4, 5],
  }), {
    "Points2D:positions": [F32x2, "Position2D", [[10, 20], [30, 40]]],
    "Points2D:radii": [L("Float32"), "Radius", [3]],
    "Points2D:colors": [L("Uint32"), "Color", [0xff0000ff, 0x00ff00ff]],
    "Points2D:labels": [L("Utf8"), "Text", ["a", "b"]],
    "Points2D:show_labels": [L("Bool"), "ShowLabels", [true]],
    "Points2D:draw_order": [L("Float32"), "DrawOrder", [2]],
    "Points2D:class_ids": [L("Uint16"), "ClassId", [0, 1]],
    "Points2D:keypoint_ids": [L("Uint16"), "KeypointId", [4, 5]],
  }],
  ["Points3D", Points3D({ positions: Float32Array.of(1, 2, 3, 4, 5, 6), classIds: [7, 7], keypointIds: [0, 1], radii: [0.5, 1] }), {
    "Points3D:positions": [F32x3, "Position3D", [[1, 2, 3], [4, 5, 6]]],
    "Points3D:class_ids": [L("Uint16"), "ClassId", [7, 7]],
    "Points3D:keypoint_ids": [L("Uint16"), "KeypointId", [0, 1]],
    "Points3D:radii": [L("Float32"), "Radius", [0.5, 1]],
  }],
  ["Boxes2D from XYWH", Boxes2D({ xywh: [[10, 20, 30, 40]], labels: "face", classIds: 3 }), {
    "Boxes2D:centers": [F32x2, "Position2D", [[25, 40]]],
    "Boxes2D:half_sizes": [F32x2, "HalfSize2D", [[15, 20]]],
    "Boxes2D:labels": [L("Utf8"), "Text", ["face"]],
    "Boxes2D:class_ids": [L("Uint16"), "ClassId", [3]],
  }],
  ["Boxes2D from XYXY", Boxes2D({ xyxy: [10, 20, 40, 60, 0, 0, 2, 2] }), {
    "Boxes2D:centers": [F32x2, "Position2D", [[25, 40], [1, 1]]],
    "Boxes2D:half_sizes": [F32x2, "HalfSize2D", [[15, 20], [1, 1]]],
  }],
  ["Boxes2D from centres and sizes", Boxes2D({ centers: [[5, 5]], sizes: [[4, 2]], radii: 0.5, drawOrder: 1 }), {
    "Boxes2D:centers": [F32x2, "Position2D", [[5, 5]]],
    "Boxes2D:half_sizes": [F32x2, "HalfSize2D", [[2, 1]]],
    "Boxes2D:radii": [L("Float32"), "Radius", [0.5]],
    "Boxes2D:draw_order": [L("Float32"), "DrawOrder", [1]],
  }],
  ["AnnotationContext", AnnotationContext([
    ClassDescription({ info: { id: 1, label: "lips", color: [255, 0, 0] }, keypointAnnotations: [{ id: 0, label: "a" }], keypointConnections: [[0, 1]] }),
    ClassDescription({ info: 2 }),
  ]), {
    "AnnotationContext:context": [CONTEXT, "AnnotationContext", [[
      { class_id: 1, class_description: {
        info: { id: 1, label: "lips", color: 0xff0000ff },
        keypoint_annotations: [{ id: 0, label: "a", color: null }],
        keypoint_connections: [{ keypoint0: 0, keypoint1: 1 }],
      } },
      { class_id: 2, class_description: { info: { id: 2, label: null, color: null }, keypoint_annotations: [], keypoint_connections: [] } },
    ]]],
  }],
  ["ViewCoordinates", ViewCoordinates("RDF"), {
    "ViewCoordinates:xyz": ["List<item?: FixedSizeList[3]<item: Uint8>>", "ViewCoordinates", [[3, 2, 5]]],
  }],
  ["Scalars", Scalars([0.25, 2]), { "Scalars:scalars": [L("Float64"), "Scalar", [0.25, 2]] }],
  ["SeriesLines", SeriesLines({ colors: [[1, 2, 3]], widths: 2, names: "s", visibleSeries: true, aggregationPolicy: "MinMax", interpolationMode: "StepMid" }), {
    "SeriesLines:colors": [L("Uint32"), "Color", [rgba(1, 2, 3)]],
    "SeriesLines:widths": [L("Float32"), "StrokeWidth", [2]],
    "SeriesLines:names": [L("Utf8"), "Name", ["s"]],
    "SeriesLines:visible_series": [L("Bool"), "Visible", [true]],
    "SeriesLines:aggregation_policy": [L("Uint8"), "AggregationPolicy", [5]],
    "SeriesLines:interpolation_mode": [L("Uint8"), "InterpolationMode", [4]],
  }],
  ["SeriesPoints", SeriesPoints({ markers: ["Circle", "Asterisk"], markerSizes: [3, 4], names: ["a", "b"], colors: [1, 2] }), {
    "SeriesPoints:markers": [L("Uint8"), "MarkerShape", [1, 10]],
    "SeriesPoints:marker_sizes": [L("Float32"), "MarkerSize", [3, 4]],
    "SeriesPoints:names": [L("Utf8"), "Name", ["a", "b"]],
    "SeriesPoints:colors": [L("Uint32"), "Color", [1, 2]],
  }],
  ["AnyValues", AnyValues({ score: 0.5, index: 3n, name: "x", ok: true, many: Float32Array.of(1, 2) }), {
    score: [L("Float64"), undefined, [0.5]],
    index: [L("Int64"), undefined, [3n]],
    name: [L("Utf8"), undefined, ["x"]],
    ok: [L("Bool"), undefined, [true]],
    many: [L("Float32"), undefined, [1, 2]],
  }],
  ["Clear", Clear({ recursive: true }), { "Clear:is_recursive": [L("Bool"), "ClearIsRecursive", [true]] }],
  ["TextLog", TextLog("hello", { level: "WARN", color: [0, 0, 255] }), {
    "TextLog:text": [L("Utf8"), "Text", ["hello"]],
    "TextLog:level": [L("Utf8"), "TextLogLevel", ["WARN"]],
    "TextLog:color": [L("Uint32"), "Color", [0x0000ffff]],
  }],
  ["TextDocument", TextDocument("# Hi", { mediaType: "text/markdown" }), {
    "TextDocument:text": [L("Utf8"), "Text", ["# Hi"]],
    "TextDocument:media_type": [L("Utf8"), "MediaType", ["text/markdown"]],
  }],
  ["Image", Image({ bytes: Uint8Array.of(1, 2, 3, 4, 5, 6), width: 2, height: 1, colorModel: "BGR", opacity: 0.5, magnificationFilter: "Linear" }), {
    "Image:buffer": [BLOB, "ImageBuffer", [[1, 2, 3, 4, 5, 6]]],
    "Image:format": [
      L("Struct<width: Uint32, height: Uint32, pixel_format?: Uint8, color_model?: Uint8, channel_datatype?: Uint8>"), "ImageFormat",
      [{ width: 2, height: 1, pixel_format: null, color_model: 4, channel_datatype: 6 }],
    ],
    "Image:opacity": [L("Float32"), "Opacity", [0.5]],
    "Image:magnification_filter": [L("Uint8"), "MagnificationFilter", [2]],
  }],
  ["EncodedImage", EncodedImage({ blob: Uint8Array.of(0xff, 0xd8, 0xff, 0xe0) }), {
    "EncodedImage:blob": [BLOB, "Blob", [[0xff, 0xd8, 0xff, 0xe0]]],
    "EncodedImage:media_type": [L("Utf8"), "MediaType", ["image/jpeg"]],
  }],
  ["AssetVideo", AssetVideo({ blob: Uint8Array.of(0, 0, 0, 0x18) }), {
    "AssetVideo:blob": [BLOB, "Blob", [[0, 0, 0, 0x18]]],
    "AssetVideo:media_type": [L("Utf8"), "MediaType", ["video/mp4"]],
  }],
  ["VideoFrameReference", VideoFrameReference({ seconds: 0.04, videoReference: "video" }), {
    "VideoFrameReference:timestamp": [L("Int64"), "VideoTimestamp", [40_000_000n]],
    "VideoFrameReference:video_reference": [L("Utf8"), "EntityPath", ["video"]],
  }],
];

describe.each(cases)("%s", (name, archetype, expected) => {
  const rec = new Recording({ applicationId: "test" });
  rec.setTime("frame_idx", { sequence: 7 });
  rec.setTime("time", { duration: 0.25 });
  rec.log("some/entity", archetype);
  const chunk = onlyChunk(rec.flush()!, "/some/entity");
  const table = chunk.table;
  const archName = name.split(" ")[0];

  test("columns are exactly the row id, the two timelines and the expected components", () => {
    expect(table.schema.fields.map((f) => f.name).sort()).toEqual(
      ["rerun.controls.RowId", "frame_idx", "time", ...Object.keys(expected)].sort(),
    );
    expect(table.schema.fields[0].name).toBe("rerun.controls.RowId");
    expect(table.numRows).toBe(1);
  });

  test.each(Object.entries(expected))("%s: type, metadata and value", (component, [type, componentType, value]) => {
    const field = fieldOf(table, component);
    expect(describeType(field.type)).toBe(type);
    expect(field.nullable).toBe(true);
    const meta = Object.fromEntries(field.metadata);
    const typed = componentType === undefined ? {} : {
      "rerun:archetype": `rerun.archetypes.${archName}`,
      "rerun:component_type": `rerun.components.${componentType}`,
    };
    expect(meta).toEqual({ "rerun:kind": "data", "rerun:component": component, ...typed });
    const cell = column(table, component)[0];
    if (typeof value === "number" || (Array.isArray(value) && typeof value[0] === "number" && describeType(field.type).includes("Float32"))) {
      expect((cell as number[]).map((x) => Math.fround(x as number))).toEqual((value as number[]).map(Math.fround));
    } else {
      expect(cell).toEqual(value);
    }
  });

  test("payload is a standalone Arrow IPC stream", () => {
    expect(tableFromIPC(chunk.message.payload).numRows).toBe(1);
  });
});
