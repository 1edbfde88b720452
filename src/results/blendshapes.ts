// The 52 blendshape categories in the order the FaceLandmarker emits them (face_blendshapes_graph's
// kBlendshapeNames). Index 0 is `_neutral`, which MediaPipe says to ignore; it is kept so column i of
// a blendshape array is always category i. Left/Right are the subject's, not the viewer's.
export const BLENDSHAPE_NAMES = [
  "_neutral", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
  "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight",
  "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight", "eyeLookOutLeft",
  "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft", "eyeSquintRight",
  "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight", "mouthClose",
  "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft", "mouthFrownRight", "mouthFunnel",
  "mouthLeft", "mouthLowerDownLeft", "mouthLowerDownRight", "mouthPressLeft", "mouthPressRight",
  "mouthPucker", "mouthRight", "mouthRollLower", "mouthRollUpper", "mouthShrugLower",
  "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight", "mouthStretchLeft", "mouthStretchRight",
  "mouthUpperUpLeft", "mouthUpperUpRight", "noseSneerLeft", "noseSneerRight",
] as const;

export type BlendshapeName = (typeof BLENDSHAPE_NAMES)[number];

const INDEX = new Map<string, number>(BLENDSHAPE_NAMES.map((n, i) => [n, i]));

/** Column of a category in a blendshape row; throws on an unknown name so typos fail loudly. */
export function blendshapeIndex(name: BlendshapeName | string): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`unknown blendshape category "${name}"`);
  return i;
}
