// Entity paths of the scene (the seed's layout plus head pose) and its default blueprint.
import { Blueprint, Horizontal, Spatial2DView, Spatial3DView, Tabs, TimeSeriesView, Vertical } from "../rerun";
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

/** The series the seed's time-series view shows by default. */
export const KEY_BLENDSHAPES = ["eyeBlinkLeft", "eyeBlinkRight", "jawOpen", "mouthSmileLeft", "mouthSmileRight"] as const;

/**
 * The seed's layout, Horizontal(3D reconstruction, Vertical(video, blendshapes)), with the head
 * pose as a second tab beside the blendshapes. `faceKeys` picks whose key series are shown.
 * Paused by default: a viewer that plays or follows new data while the clip is analysed redraws
 * and seeks its video constantly (measured in headless Chromium on 2 cores: the analysis ran at
 * 2.0 fps following, 4.7 fps paused); the curves still grow, and the user presses play.
 */
export function sceneBlueprint(faceKeys: readonly string[], playState: "paused" | "following" = "paused"): Blueprint {
  const keys = faceKeys.length ? faceKeys : ["0"];
  const contents = keys.flatMap((k) => KEY_BLENDSHAPES.map((name) => `+ ${blendshapesFace(k)}/${name}`));
  return new Blueprint(Horizontal([
    Spatial3DView({ origin: RECONSTRUCTION, name: "3D face" }),
    Vertical([
      Spatial2DView({ origin: VIDEO, name: "Video" }),
      Tabs([
        TimeSeriesView({ origin: BLENDSHAPES, contents, name: "Blendshapes" }),
        TimeSeriesView({ origin: HEAD_POSE, name: "Head pose (°)" }),
        ...customViews(), // Python's own series and events (scope.log_series, scope.log_events)
      ], { activeTab: 0 }),
    ], { rowShares: [3, 2] }),
  ], { columnShares: [2, 3] }), { autoViews: false, playState });
}
