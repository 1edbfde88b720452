// Results → the seed's Rerun entities. Frames are buffered and logged as columns (one chunk per
// entity per commit), so a batch of frames costs a few dozen chunks, not thousands of rows.
import { BLENDSHAPE_NAMES } from "../results/blendshapes";
import { type FrameResult, NUM_BLENDSHAPES, NUM_KEYPOINTS, NUM_LANDMARKS } from "../results/types";
import {
  AnnotationContext, AnyValues, AssetVideo, Boxes2D, ClassDescription, Clear, EncodedImage, Points2D, Points3D,
  type Recording, Scalars, SeriesLines, VideoFrameReference, ViewCoordinates, columns, timeColumn, type TimeColumn,
} from "../rerun";
import {
  DETECTOR, HEAD_POSE_AXES, LANDMARKER, RECONSTRUCTION, VIDEO, type BlendshapeSeries, blendshapeLabel, blendshapePath,
  blendshapesFace, detectorFace, headPoseFace, landmarkerFace, reconstructionFace, sceneBlueprint,
} from "./entities";
import { DETECTOR_CONNECTIONS, DETECTOR_KEYPOINT_LABELS, LANDMARK_CLASSES, landmarkClassIds } from "./landmarkClasses";
import { FULL_DENSITY, keeps, type SceneDensity } from "./density";
import { BlendshapeSpread, CHOICE_AFTER_FRAMES } from "./blendshapeSpread";
import { FRAME_BOX, fitCamera, LandmarkBounds, sameEye } from "./startCamera";
import type { SceneLayout } from "./entities";
import { Presence } from "./presence";

/** What the 2D view shows under the overlays. */
export type SceneAsset =
  | { kind: "video"; bytes: Uint8Array; mediaType: string; frameTimestampsNs: BigInt64Array }
  | { kind: "image"; bytes: Uint8Array; mediaType?: string };

export interface SceneVideo {
  asset?: SceneAsset;
  /** Pixel size of the shown picture: 2D overlays are drawn in these coordinates. */
  width: number;
  height: number;
}

/** A frame's place on the timelines: frame_idx and time (µs). */
export interface FrameTime {
  index: number;
  timestampUs: number;
}

interface Slot {
  frame: FrameResult;
  i: number;
}

/** Where a still's one analysed frame sits on the timelines (and so its picture). */
export const STILL_TIME: FrameTime = { index: 0, timestampUs: 0 };

const range = (n: number) => Uint16Array.from({ length: n }, (_, i) => i);

export class FaceScene {
  private pending: FrameResult[] = [];
  private readonly faces = new Presence();
  private readonly detections = new Presence();
  private readonly styled = new Set<string>();
  private readonly classIds = landmarkClassIds();
  /** Every analysed face's scores and points (thinned frames too): they choose the layout. */
  private readonly spread = new BlendshapeSpread();
  private readonly bounds = new LandmarkBounds();
  /** Until faces are seen: a camera on the whole picture, so no face opens cut off. */
  private layout: SceneLayout = { camera: fitCamera(FRAME_BOX) };
  private chosen = false;
  /** Blendshape series logged with a name that says their face. */
  private readonly named = new Set<string>();

  constructor(private readonly rec: Recording, private readonly video: SceneVideo,
    readonly density: SceneDensity = FULL_DENSITY) {}

  /** Static parts: annotation contexts, view coordinates, the video asset and the blueprint. */
  begin(): void {
    const landmarkContext = AnnotationContext(LANDMARK_CLASSES.map((c) =>
      ClassDescription({ info: { id: c.id, label: c.label, color: c.color }, keypointConnections: c.edges })));
    this.rec.log(LANDMARKER, landmarkContext, { static: true });
    this.rec.log(RECONSTRUCTION, [landmarkContext, ViewCoordinates("RDF")], { static: true });
    this.rec.log(DETECTOR, AnnotationContext(ClassDescription({
      info: { id: 0, label: "face" },
      keypointAnnotations: DETECTOR_KEYPOINT_LABELS.map((label, id) => ({ id, label })),
      keypointConnections: DETECTOR_CONNECTIONS,
    })), { static: true });
    const asset = this.video.asset;
    if (asset?.kind === "video") this.rec.log(VIDEO, AssetVideo({ blob: asset.bytes, mediaType: asset.mediaType }), { static: true });
    if (asset?.kind === "image") {
      // At the still's one time point, never static: the 0.33 viewer plays an EncodedImage as a
      // one-sample image sequence, and a static sample (time i64::MIN) blocks the page's main
      // thread for 10+ s again and again once a view shows it (Rerun's own SDK output too).
      const image = EncodedImage({ blob: asset.bytes, mediaType: asset.mediaType });
      this.rec.sendColumns(VIDEO, times([STILL_TIME]), columns(image, { rows: 1 }));
    }
    this.rec.sendBlueprint(sceneBlueprint(this.layout));
  }

  add(result: FrameResult): void {
    const { faces } = result;
    for (let i = 0; i < faces.count; i++) {
      this.spread.add(String(faces.ids[i]), faces.blendshapes.subarray(i * NUM_BLENDSHAPES, (i + 1) * NUM_BLENDSHAPES));
      this.bounds.add(faces.landmarksNorm.subarray(i * NUM_LANDMARKS * 3, (i + 1) * NUM_LANDMARKS * 3));
    }
    if (keeps(result.index, this.density.framesEvery)) this.pending.push(result);
  }

  /** The layout this clip calls for so far: its moving blendshapes, a camera on its faces. */
  get currentLayout(): SceneLayout {
    const box = this.bounds.box;
    return { blendshapes: this.spread.top(), camera: box ? fitCamera(box) : fitCamera(FRAME_BOX) };
  }

  get pendingFrames(): number {
    return this.pending.length;
  }

  /** Logs the buffered frames; the caller decides when to flush the recording. */
  commit(): void {
    const frames = this.pending;
    this.pending = [];
    if (!frames.length) return;
    const faceSlots = new Map<string, Slot[]>();
    const detectionSlots = new Map<string, Slot[]>();
    for (const frame of frames) {
      const faceKeys = Array.from(frame.faces.ids, String);
      faceKeys.forEach((k, i) => push(faceSlots, k, { frame, i }));
      const detKeys = Array.from(frame.detections.faceIds, (id, j) => (id >= 0 ? String(id) : `d${j}`));
      detKeys.forEach((k, i) => push(detectionSlots, k, { frame, i }));
      this.clearGone(frame, this.faces.update(faceKeys), [landmarkerFace, reconstructionFace, blendshapesFace, headPoseFace]);
      this.clearGone(frame, this.detections.update(detKeys), [detectorFace]);
    }
    this.logVideoFrames(frames);
    for (const [key, slots] of faceSlots) this.logFace(key, slots);
    for (const [key, slots] of detectionSlots) this.logDetection(key, slots);
    // Once ~2 s of a face exist, the layout opens on what moves (sent with this commit's flush).
    if (!this.chosen && this.spread.rows >= CHOICE_AFTER_FRAMES) {
      this.chosen = true;
      this.sendLayout(this.currentLayout);
    }
  }

  /**
   * For a video that is complete only at the end (the camera): logs the asset and every analysed
   * frame's reference into it. `sample` is the frame's position in the asset (its frame_idx may
   * differ when frames were recorded without being analysed).
   */
  attachVideo(asset: Extract<SceneAsset, { kind: "video" }>, frames: ReadonlyArray<FrameTime & { sample: number }>): void {
    this.video.asset = asset;
    this.rec.log(VIDEO, AssetVideo({ blob: asset.bytes, mediaType: asset.mediaType }), { static: true });
    if (frames.length) this.logVideoFrames(frames);
  }

  /**
   * Commits what is left and re-sends the blueprint if the whole clip chose otherwise than its
   * first seconds (other categories, more faces, a camera that moved): a new blueprint resets the
   * user's view, so it is sent only when it shows something different.
   */
  finish(): void {
    this.commit();
    if (!this.spread.rows) return;
    const layout = this.currentLayout;
    const paths = (l: SceneLayout) => l.blendshapes?.map(blendshapePath).join();
    if (paths(layout) === paths(this.layout) && sameEye(layout.camera, this.layout.camera)) {
      this.nameSeries(layout.blendshapes ?? []); // a face that came later: the legend now says whose curves
      return;
    }
    this.sendLayout(layout);
  }

  private sendLayout(layout: SceneLayout): void {
    this.layout = layout;
    this.nameSeries(layout.blendshapes ?? []);
    this.rec.sendBlueprint(sceneBlueprint(layout));
  }

  /**
   * With several faces, the shown series get names that say whose they are: the viewer's legend
   * otherwise names a series by its entity path's last part (blendshapes/1/jawOpen: "jawOpen"), and
   * adds the face only when two shown series share a category. Static, so the whole timeline
   * carries the name; only the shown ones, a few chunks instead of 52 per face.
   */
  private nameSeries(series: readonly BlendshapeSeries[]): void {
    if (this.spread.faceKeys.length < 2) return;
    for (const s of series) {
      const path = blendshapePath(s);
      if (this.named.has(path)) continue;
      this.rec.log(path, SeriesLines({ names: [blendshapeLabel(s)] }), { static: true });
      this.named.add(path);
    }
  }

  private clearGone(frame: FrameResult, gone: string[], roots: Array<(k: string) => string>): void {
    if (!gone.length) return;
    this.setTime(frame);
    for (const key of gone) for (const root of roots) this.rec.log(root(key), Clear({ recursive: true }));
  }

  private setTime(frame: FrameResult): void {
    this.rec.setTime("frame_idx", { sequence: frame.index });
    this.rec.setTime("time", { duration: frame.timestampUs / 1e6 });
  }

  private logVideoFrames(frames: ReadonlyArray<FrameTime & { sample?: number }>): void {
    const asset = this.video.asset;
    if (asset?.kind !== "video") return;
    const ns = BigInt64Array.from(frames, (f) => asset.frameTimestampsNs[f.sample ?? f.index] ?? BigInt(Math.round(f.timestampUs * 1000)));
    this.rec.sendColumns(VIDEO, times(frames), columns(VideoFrameReference({ nanoseconds: ns }), { rows: frames.length }));
  }

  private logFace(key: string, slots: Slot[]): void {
    const n = slots.length;
    const t = times(slots.map((s) => s.frame));
    const { width: W, height: H } = this.video;
    const p2 = new Float32Array(n * NUM_LANDMARKS * 2);
    const p3 = new Float32Array(n * NUM_LANDMARKS * 3);
    const scores = new Float32Array(n * NUM_BLENDSHAPES);
    const pose = new Float32Array(n * 3);
    slots.forEach(({ frame, i }, row) => {
      const lm = frame.faces.landmarksNorm.subarray(i * NUM_LANDMARKS * 3, (i + 1) * NUM_LANDMARKS * 3);
      p3.set(lm, row * NUM_LANDMARKS * 3);
      for (let k = 0; k < NUM_LANDMARKS; k++) {
        p2[(row * NUM_LANDMARKS + k) * 2] = lm[k * 3] * W;
        p2[(row * NUM_LANDMARKS + k) * 2 + 1] = lm[k * 3 + 1] * H;
      }
      scores.set(frame.faces.blendshapes.subarray(i * NUM_BLENDSHAPES, (i + 1) * NUM_BLENDSHAPES), row * NUM_BLENDSHAPES);
      pose.set(frame.faces.headPoseDeg.subarray(i * 3, i * 3 + 3), row * 3);
    });
    const landmarks = `${landmarkerFace(key)}/landmarks`;
    const face3d = reconstructionFace(key);
    if (!this.styled.has(landmarks)) {
      // Ids and radii never change: logged once, statically, and joined with every frame's positions.
      const ids = range(NUM_LANDMARKS);
      this.rec.log(landmarks, Points2D({ keypointIds: ids, classIds: this.classIds, radii: 2 }), { static: true });
      this.rec.log(face3d, Points3D({ keypointIds: ids, classIds: this.classIds, radii: 0.002 }), { static: true });
      this.styled.add(landmarks);
    }
    this.rec.sendColumns(landmarks, t, columns(Points2D({ positions: p2 }), { rows: n }));
    this.rec.sendColumns(face3d, t, columns(Points3D({ positions: p3 }), { rows: n }));
    for (let c = 0; c < NUM_BLENDSHAPES; c++) {
      const series = Float32Array.from({ length: n }, (_, row) => scores[row * NUM_BLENDSHAPES + c]);
      this.rec.sendColumns(`${blendshapesFace(key)}/${BLENDSHAPE_NAMES[c]}`, t, columns(Scalars(series), { rows: n }));
    }
    HEAD_POSE_AXES.forEach((axis, a) => {
      const series = Float32Array.from({ length: n }, (_, row) => pose[row * 3 + a]);
      this.rec.sendColumns(`${headPoseFace(key)}/${axis}`, t, columns(Scalars(series), { rows: n }));
    });
  }

  private logDetection(key: string, slots: Slot[]): void {
    const n = slots.length;
    const t = times(slots.map((s) => s.frame));
    const { width: W, height: H } = this.video;
    const boxes = new Float32Array(n * 4);
    const points = new Float32Array(n * NUM_KEYPOINTS * 2);
    const scores = new Float32Array(n);
    const index = new Int32Array(n);
    slots.forEach(({ frame, i }, row) => {
      const d = frame.detections;
      const sx = W / frame.width;
      const sy = H / frame.height;
      boxes[row * 4] = d.boxesPx[i * 4] * sx;
      boxes[row * 4 + 1] = d.boxesPx[i * 4 + 1] * sy;
      boxes[row * 4 + 2] = d.boxesPx[i * 4 + 2] * sx;
      boxes[row * 4 + 3] = d.boxesPx[i * 4 + 3] * sy;
      for (let k = 0; k < NUM_KEYPOINTS; k++) {
        points[(row * NUM_KEYPOINTS + k) * 2] = d.keypointsNorm[(i * NUM_KEYPOINTS + k) * 2] * W;
        points[(row * NUM_KEYPOINTS + k) * 2 + 1] = d.keypointsNorm[(i * NUM_KEYPOINTS + k) * 2 + 1] * H;
      }
      scores[row] = d.scores[i];
      index[row] = i;
    });
    const root = detectorFace(key);
    const label = key.startsWith("d") ? "face (no landmarks)" : `face ${key}`;
    if (!this.styled.has(root)) {
      this.rec.log(`${root}/keypoints`, Points2D({ keypointIds: range(NUM_KEYPOINTS), radii: 3 }), { static: true });
      this.styled.add(root);
    }
    this.rec.sendColumns(`${root}/bbox`, t, [
      ...columns(Boxes2D({ xywh: boxes, labels: Array(n).fill(label) }), { rows: n }),
      ...columns(AnyValues({ index, score: scores }), { rows: n }),
    ]);
    this.rec.sendColumns(`${root}/keypoints`, t, columns(Points2D({ positions: points }), { rows: n }));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function times(frames: readonly FrameTime[]): TimeColumn[] {
  return [
    timeColumn("frame_idx", { sequence: frames.map((f) => f.index) }),
    timeColumn("time", { duration: frames.map((f) => f.timestampUs / 1e6) }),
  ];
}
