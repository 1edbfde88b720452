// The nine facial-feature classes of the seed's annotation context, each with its connections.
// tasks-vision ships the connection sets for eight of them; it has no nose set, so the nose edges
// (the face-mesh nose contour, 25 edges) are listed here.
import { FaceLandmarker } from "@mediapipe/tasks-vision";
import { NUM_LANDMARKS } from "../results/types";

export type Edge = readonly [number, number];

const NOSE: readonly Edge[] = [
  [168, 6], [6, 197], [197, 195], [195, 5], [5, 4], [4, 1], [1, 19], [19, 94], [94, 2], [98, 97],
  [97, 2], [2, 326], [326, 327], [327, 294], [294, 278], [278, 344], [344, 440], [440, 275], [275, 4],
  [4, 45], [45, 220], [220, 115], [115, 48], [48, 64], [64, 98],
];

const edges = (connections: ReadonlyArray<{ start: number; end: number }>): Edge[] =>
  connections.map((c) => [c.start, c.end] as const);

export interface LandmarkClass {
  id: number;
  label: string;
  /** RGB, so each feature reads at a glance in the 2D and 3D views. */
  color: readonly [number, number, number];
  edges: readonly Edge[];
}

/** In the seed's order: the class ids are the indices. Left/right are the subject's. */
const CLASSES: ReadonlyArray<Omit<LandmarkClass, "id">> = [
  { label: "lips", color: [235, 87, 87], edges: edges(FaceLandmarker.FACE_LANDMARKS_LIPS) },
  { label: "left eye", color: [86, 204, 242], edges: edges(FaceLandmarker.FACE_LANDMARKS_LEFT_EYE) },
  { label: "left iris", color: [47, 128, 237], edges: edges(FaceLandmarker.FACE_LANDMARKS_LEFT_IRIS) },
  { label: "left eyebrow", color: [242, 201, 76], edges: edges(FaceLandmarker.FACE_LANDMARKS_LEFT_EYEBROW) },
  { label: "right eye", color: [111, 207, 151], edges: edges(FaceLandmarker.FACE_LANDMARKS_RIGHT_EYE) },
  { label: "right eyebrow", color: [242, 153, 74], edges: edges(FaceLandmarker.FACE_LANDMARKS_RIGHT_EYEBROW) },
  { label: "right iris", color: [39, 174, 96], edges: edges(FaceLandmarker.FACE_LANDMARKS_RIGHT_IRIS) },
  { label: "face oval", color: [200, 200, 200], edges: edges(FaceLandmarker.FACE_LANDMARKS_FACE_OVAL) },
  { label: "nose", color: [187, 107, 217], edges: NOSE },
];
export const LANDMARK_CLASSES: readonly LandmarkClass[] = CLASSES.map((c, id) => ({ id, ...c }));

/**
 * A landmark's class is the class whose connections use it; landmarks in no connection keep
 * class 0, as in the seed. Later classes win where sets share a landmark.
 */
export function landmarkClassIds(classes: readonly LandmarkClass[] = LANDMARK_CLASSES): Uint16Array {
  const ids = new Uint16Array(NUM_LANDMARKS);
  for (const c of classes) for (const [a, b] of c.edges) ids[a] = ids[b] = c.id;
  return ids;
}

/** The six BlazeFace keypoints: eyes, nose tip, mouth, ear tragions (the subject's left/right). */
export const DETECTOR_KEYPOINT_LABELS = ["right eye", "left eye", "nose tip", "mouth", "right ear", "left ear"] as const;
export const DETECTOR_CONNECTIONS: readonly Edge[] = [[0, 1], [1, 2], [2, 0], [2, 3], [0, 4], [1, 5]];
