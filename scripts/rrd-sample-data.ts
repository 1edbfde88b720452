/**
 * The sample recording: every archetype the writer supports, on two timelines (`frame_idx`
 * sequence, `time` duration), with a blueprint. Pure (no I/O) so the CLI, the browser harness and
 * tests can all build it. Values are exact binary fractions so a Python twin can reproduce them
 * bit for bit. tests/rrd/test_rrd_python.py mirrors this file; change both together.
 */
import {
  AnnotationContext, AnyValues, AssetVideo, Blueprint, Boxes2D, ClassDescription, Clear, columns, EncodedImage,
  Grid, Horizontal, Image, MemorySink, Points2D, Points3D, readFrameTimestampsNs, Recording, Scalars, SeriesLines,
  SeriesPoints, Spatial2DView, Spatial3DView, Tabs, TextDocument, TextDocumentView, TextLog, TextLogView, timeColumn,
  TimeSeriesView, Vertical, VideoFrameReference, ViewCoordinates,
} from "../src/rerun";

export const SAMPLE_APP_ID = "facescope_rrd_sample";
export const SAMPLE_RECORDING_ID = "facescope-sample";
/** Points per frame in the point clouds. */
export const SAMPLE_POINTS = 5;
/** Frames that carry a TextLog line. */
export const SAMPLE_LOG_FRAMES = [0, 25, 50];
/** Fixed blueprint ids so the Python twin can build the identical layout. */
export const SAMPLE_IDS = {
  root: "00000000-0000-4000-8000-000000000001",
  left: "00000000-0000-4000-8000-000000000002",
  tabs: "00000000-0000-4000-8000-000000000003",
  grid: "00000000-0000-4000-8000-000000000004",
  video: "00000000-0000-4000-8000-000000000011",
  images: "00000000-0000-4000-8000-000000000012",
  encoded: "00000000-0000-4000-8000-000000000017",
  imageTabs: "00000000-0000-4000-8000-000000000005",
  scene: "00000000-0000-4000-8000-000000000013",
  plots: "00000000-0000-4000-8000-000000000014",
  log: "00000000-0000-4000-8000-000000000015",
  readme: "00000000-0000-4000-8000-000000000016",
};

export interface SampleInputs {
  /** An H.264 MP4 (logged whole as AssetVideo). */
  video: Uint8Array;
  /** A JPEG or PNG (logged as EncodedImage). */
  image: Uint8Array;
}

export interface SampleInfo {
  frames: number;
  /** Last value per timeline (first is 0 on both). */
  lastFrameIdx: number;
  lastTimeNs: bigint;
}

export function sampleBlueprint(): Blueprint {
  const id = SAMPLE_IDS;
  return new Blueprint(Horizontal([
    Vertical([
      Spatial2DView({ origin: "/video", name: "Video", id: id.video }),
      // The encoded image sits in a background tab: it is logged static, and the 0.33 viewer
      // freezes the page while a view shows a static EncodedImage (measured in headless Chromium;
      // see EncodedImage in src/rerun/archetypes/media.ts).
      Tabs([
        Spatial2DView({ origin: "/images/raw", name: "Raw image", id: id.images }),
        Spatial2DView({ origin: "/images/encoded", name: "Encoded image", id: id.encoded }),
      ], { activeTab: 0, id: id.imageTabs }),
    ], { rowShares: [3, 1], id: id.left }),
    Tabs([
      Spatial3DView({ origin: "/reconstruction", name: "Scene", id: id.scene }),
      TimeSeriesView({ origin: "/scalars", contents: ["+ $origin/**", "- /scalars/hidden"], name: "Plots", id: id.plots }),
    ], { activeTab: 0, id: id.tabs }),
    Grid([
      TextLogView({ origin: "/log", name: "Log", id: id.log }),
      TextDocumentView({ origin: "/readme", name: "Readme", id: id.readme }),
    ], { gridColumns: 1, id: id.grid }),
  ], { columnShares: [2, 1, 1], id: id.root }), { autoLayout: false, autoViews: false });
}

const CLASSES = [
  ClassDescription({ info: { id: 1, label: "eye", color: [255, 64, 64] }, keypointConnections: [[0, 1], [1, 2]] }),
  ClassDescription({
    info: { id: 2, label: "mouth", color: [64, 255, 64] },
    keypointAnnotations: [{ id: 0, label: "left corner" }, { id: 1, label: "right corner", color: [0, 0, 255, 128] }],
    keypointConnections: [[0, 1]],
  }),
];
export const SAMPLE_CLASS_IDS = [1, 1, 1, 2, 2];
export const SAMPLE_KEYPOINT_IDS = [0, 1, 2, 0, 1];

/** Writes the sample into `rec`; returns what a reader should find. */
export function logSample(rec: Recording, inputs: SampleInputs): SampleInfo {
  const pts = readFrameTimestampsNs(inputs.video);
  const n = pts.length;
  const frameIdx = Array.from({ length: n }, (_, i) => i);
  const times = () => [timeColumn("frame_idx", { sequence: frameIdx }), timeColumn("time", { durationNs: pts })];

  rec.sendBlueprint(sampleBlueprint());

  // Static context.
  rec.log("video", AssetVideo({ blob: inputs.video }), { static: true });
  rec.log("video/landmarks", AnnotationContext(CLASSES), { static: true });
  rec.log("reconstruction", [ViewCoordinates("RDF"), AnnotationContext(CLASSES)], { static: true });
  rec.log("scalars/wave", SeriesLines({ colors: [[255, 128, 0]], widths: 2, names: "wave", aggregationPolicy: "Average" }), { static: true });
  rec.log("scalars/steps", SeriesPoints({ colors: [[0, 128, 255]], markers: "Diamond", markerSizes: 4, names: "steps" }), { static: true });
  rec.log("readme", TextDocument("# facescope sample\n\nEvery archetype of the **TS writer**.", { mediaType: "text/markdown" }), { static: true });
  const raw = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 20) % 256);
  rec.log("images/raw", Image({ bytes: raw, width: 4, height: 3, colorModel: "RGB" }), { static: true });
  rec.log("images/encoded", EncodedImage({ blob: inputs.image }), { static: true });

  // Columnar: one chunk per entity for the whole clip.
  rec.sendColumns("video", times(), columns(VideoFrameReference({ nanoseconds: pts }), { rows: n }));
  const p2 = new Float32Array(n * SAMPLE_POINTS * 2);
  const p3 = new Float32Array(n * SAMPLE_POINTS * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < SAMPLE_POINTS; k++) {
      const j = i * SAMPLE_POINTS + k;
      p2.set([100 + 40 * k + i, 120 + 10 * k], 2 * j);
      p3.set([k * 0.25, (i % 8) * 0.125, 1 + k * 0.5], 3 * j);
    }
  }
  const repeat = (ids: number[]) => Array.from({ length: n }, () => ids).flat();
  rec.sendColumns("video/landmarks", times(), [
    ...columns(Points2D({ positions: p2, classIds: repeat(SAMPLE_CLASS_IDS), keypointIds: repeat(SAMPLE_KEYPOINT_IDS) }), { rows: n }),
    ...columns(Points2D({ radii: new Float32Array(n).fill(3) }), { rows: n }),
  ]);
  rec.sendColumns("reconstruction/points", times(), columns(Points3D({ positions: p3, classIds: repeat(SAMPLE_CLASS_IDS), keypointIds: repeat(SAMPLE_KEYPOINT_IDS) }), { rows: n }));
  rec.sendColumns("scalars/wave", times(), columns(Scalars(frameIdx.map((i) => Math.abs((i % 16) - 8) / 8)), { rows: n }));
  rec.sendColumns("scalars/steps", times(), columns(Scalars(frameIdx.map((i) => Math.floor(i / 10) * 0.25)), { rows: n }));

  // Row by row, the way a live analysis logs.
  for (let i = 0; i < n; i++) {
    rec.setTime("frame_idx", { sequence: i });
    rec.setTime("time", { durationNs: pts[i] });
    rec.log("video/face", [
      Boxes2D({ xywh: [[100 + i, 80, 160, 200]], labels: "face" }),
      AnyValues({ score: 0.5 + (i % 4) * 0.125, index: BigInt(i) }),
    ]);
    if (SAMPLE_LOG_FRAMES.includes(i)) rec.log("log", TextLog(`frame ${i}`, { level: i === 0 ? "INFO" : "DEBUG" }));
    if (i === n - 5) rec.log("video/landmarks", Clear({ recursive: true }));
  }
  return { frames: n, lastFrameIdx: n - 1, lastTimeNs: pts[n - 1] };
}

/** The sample as the bytes of an `.rrd` file (one flush, then the footer). */
export function buildSample(inputs: SampleInputs, options: { recordingId?: string } = {}): { bytes: Uint8Array; info: SampleInfo } {
  const rec = new Recording({ applicationId: SAMPLE_APP_ID, recordingId: options.recordingId ?? SAMPLE_RECORDING_ID, source: "facescope rrd sample" });
  const sink = new MemorySink();
  rec.addSink(sink);
  const info = logSample(rec, inputs);
  rec.flush();
  rec.end();
  return { bytes: sink.bytes(), info };
}
