// Entity paths of the scene (the seed's layout plus head pose) and its default blueprint.
import { Blueprint, type EyeControls, Horizontal, Spatial2DView, Spatial3DView, Tabs, TimeSeriesView, Vertical } from "../rerun";
import { customViews } from "./customEntities";

export const VIDEO = "video";
export const DETECTOR = "video/detector";
export const LANDMARKER = "video/landmarker";
export const RECONSTRUCTION = "reconstruction";
export const BLENDSHAPES = "blendshapes";
export const HEAD_POSE = "head_pose";

/** Entity roots of one tracked face (or of one detection the landmarker did not confirm). */
export const detectorFace = (key: string) => `${DETECTOR}/faces/${key}`;
export const landmarkerFace = (key: string) => `${LANDMARKER}/faces/${key}`;
export const reconstructionFace = (key: string) => `${RECONSTRUCTION}/faces/${key}`;
export const blendshapesFace = (key: string) => `${BLENDSHAPES}/${key}`;
export const headPoseFace = (key: string) => `${HEAD_POSE}/${key}`;

export const HEAD_POSE_AXES = ["yaw", "pitch", "roll"] as const;

/** The series the seed's time-series view shows; ours until a clip's own moving categories are known. */
export const KEY_BLENDSHAPES = ["eyeBlinkLeft", "eyeBlinkRight", "jawOpen", "mouthSmileLeft", "mouthSmileRight"] as const;

/** How many curves the "Blendshapes" tab opens on, all faces together: six legend lines fit its height. */
export const SHOWN_BLENDSHAPES = 6;

/** One curve of the "Blendshapes" tab: one face's category. */
export interface BlendshapeSeries {
  face: string;
  category: string;
}

export const blendshapePath = (s: BlendshapeSeries) => `${blendshapesFace(s.face)}/${s.category}`;

/** Its legend line once the clip has several faces, named as the video's boxes name the face. */
export const blendshapeLabel = (s: BlendshapeSeries) => `face ${s.face}: ${s.category}`;

/**
 * The key series of the given faces, as many per face as fit `count` lines in all (at least one,
 * for the first `count` faces when there are more faces than lines).
 */
export function keySeries(faces: readonly string[], count = SHOWN_BLENDSHAPES): BlendshapeSeries[] {
  const each = Math.max(1, Math.floor(count / Math.max(1, faces.length)));
  return faces.flatMap((face) => KEY_BLENDSHAPES.slice(0, each).map((category) => ({ face, category }))).slice(0, count);
}

/** What the layout shows; each view that can vary is one field, so a new view is one more field. */
export interface SceneLayout {
  /** The curves the "Blendshapes" tab opens on (default: face "0"'s key series). */
  blendshapes?: readonly BlendshapeSeries[];
  /** The 3D view's start camera (default: the viewer's own). */
  camera?: EyeControls;
  playState?: "paused" | "following";
}

/**
 * The seed's layout, Horizontal(3D reconstruction, Vertical(video, blendshapes)), with tabs under
 * the video: the chosen blendshapes (a legend short enough to read), all 52, and the head pose.
 * Paused by default: a viewer that plays or follows new data while the clip is analysed redraws
 * and seeks its video constantly (measured in headless Chromium on 2 cores: the analysis ran at
 * 2.0 fps following, 4.7 fps paused); the curves still grow, and the user presses play.
 * Video and curves share the height equally, so six legend lines fit beside the curves.
 */
export function sceneBlueprint(layout: SceneLayout = {}): Blueprint {
  const contents = (layout.blendshapes ?? keySeries(["0"])).map((s) => `+ ${blendshapePath(s)}`);
  return new Blueprint(Horizontal([
    Spatial3DView({ origin: RECONSTRUCTION, name: "3D face", eyeControls: layout.camera }),
    Vertical([
      Spatial2DView({ origin: VIDEO, name: "Video" }),
      Tabs([
        TimeSeriesView({ origin: BLENDSHAPES, contents, name: "Blendshapes" }),
        TimeSeriesView({ origin: BLENDSHAPES, name: "All blendshapes" }),
        TimeSeriesView({ origin: HEAD_POSE, name: "Head pose (°)" }),
        ...customViews(), // Python's own series and events (scope.log_series, scope.log_events)
      ], { activeTab: 0 }),
    ], { rowShares: [1, 1] }),
  ], { columnShares: [2, 3] }), { autoViews: false, playState: layout.playState ?? "paused" });
}
