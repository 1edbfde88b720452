/** Spatial archetypes: points, 2D boxes and view coordinates. */
import {
  archetypeBatches, ClassId, Color, DrawOrder, field, HalfSize2D, KeypointId, Position2D, Position3D, Radius, ShowLabels,
  Text, ViewCoordinatesXYZ, type Archetype, type Colors, type Numbers, type Texts, type Vectors,
} from "../components";

/** Fields shared by point clouds. All fields are optional so partial archetypes can be sent as columns. */
interface PointsProps {
  /** Radii in scene units; negative values are UI points. One value applies to all points. */
  radii?: Numbers;
  colors?: Colors;
  labels?: Texts;
  showLabels?: boolean;
  /** Per point class, resolved through the entity's AnnotationContext. */
  classIds?: Numbers;
  /** Per point keypoint id within its class (keypoint connections are drawn between these). */
  keypointIds?: Numbers;
}

export interface Points2DProps extends PointsProps {
  /** `[x, y]` pairs, flat or nested. */
  positions?: Vectors;
  drawOrder?: number;
}

export function Points2D(p: Points2DProps): Archetype {
  return archetypeBatches("Points2D", [
    field("positions", Position2D, p.positions),
    field("radii", Radius, p.radii),
    field("colors", Color, p.colors),
    field("labels", Text, p.labels),
    field("show_labels", ShowLabels, p.showLabels),
    field("draw_order", DrawOrder, p.drawOrder),
    field("class_ids", ClassId, p.classIds),
    field("keypoint_ids", KeypointId, p.keypointIds),
  ]);
}

export interface Points3DProps extends PointsProps {
  /** `[x, y, z]` triples, flat or nested. */
  positions?: Vectors;
}

export function Points3D(p: Points3DProps): Archetype {
  return archetypeBatches("Points3D", [
    field("positions", Position3D, p.positions),
    field("radii", Radius, p.radii),
    field("colors", Color, p.colors),
    field("labels", Text, p.labels),
    field("show_labels", ShowLabels, p.showLabels),
    field("class_ids", ClassId, p.classIds),
    field("keypoint_ids", KeypointId, p.keypointIds),
  ]);
}

/** How to read the rectangles given to `Boxes2D`; Rerun itself stores centres and half sizes. */
export type Boxes2DGeometry =
  | { centers: Vectors; halfSizes: Vectors }
  | { centers: Vectors; sizes: Vectors }
  /** `[x, y, width, height]` with (x, y) the minimum corner. */
  | { xywh: Vectors }
  /** `[xmin, ymin, xmax, ymax]`. */
  | { xyxy: Vectors };

export interface Boxes2DStyle {
  /** Line radii. */
  radii?: Numbers;
  colors?: Colors;
  labels?: Texts;
  showLabels?: boolean;
  drawOrder?: number;
  classIds?: Numbers;
}

const flat4 = (v: Vectors): Float32Array => {
  const first = (v as ArrayLike<unknown>)[0];
  const out = typeof first === "object" && first !== null
    ? Float32Array.from((v as readonly ArrayLike<number>[]).flatMap((r) => Array.from(r)))
    : Float32Array.from(v as ArrayLike<number>);
  if (out.length % 4 !== 0) throw new Error(`expected 4 numbers per box, got ${out.length} numbers`);
  return out;
};

/** Converts any supported geometry to Rerun's flat centres and half sizes. */
export function boxCentersAndHalfSizes(g: Boxes2DGeometry): { centers: Vectors; halfSizes: Vectors } {
  if ("halfSizes" in g) return g;
  if ("sizes" in g) return { centers: g.centers, halfSizes: Position2D.from(g.sizes).map((s) => s / 2) };
  const r = flat4("xywh" in g ? g.xywh : g.xyxy);
  const centers = new Float32Array(r.length / 2);
  const halfSizes = new Float32Array(r.length / 2);
  for (let i = 0; i < r.length / 4; i++) {
    const [a, b, c, d] = [r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3]];
    const [w, h] = "xywh" in g ? [c, d] : [c - a, d - b];
    centers[2 * i] = a + w / 2;
    centers[2 * i + 1] = b + h / 2;
    halfSizes[2 * i] = Math.abs(w) / 2;
    halfSizes[2 * i + 1] = Math.abs(h) / 2;
  }
  return { centers, halfSizes };
}

/** 2D boxes, e.g. `Boxes2D({ xywh: [[10, 20, 100, 80]], labels: "face" })`. */
export function Boxes2D(p: Boxes2DGeometry & Boxes2DStyle): Archetype {
  const { centers, halfSizes } = boxCentersAndHalfSizes(p);
  return archetypeBatches("Boxes2D", [
    field("half_sizes", HalfSize2D, halfSizes),
    field("centers", Position2D, centers),
    field("colors", Color, p.colors),
    field("radii", Radius, p.radii),
    field("labels", Text, p.labels),
    field("show_labels", ShowLabels, p.showLabels),
    field("draw_order", DrawOrder, p.drawOrder),
    field("class_ids", ClassId, p.classIds),
  ]);
}

/** Axis directions for `ViewCoordinates`. */
export const Axis = { Up: 1, Down: 2, Right: 3, Left: 4, Forward: 5, Back: 6 } as const;
type AxisLetter = "U" | "D" | "R" | "L" | "F" | "B";
const LETTER: Record<AxisLetter, number> = { U: 1, D: 2, R: 3, L: 4, F: 5, B: 6 };

/**
 * How X, Y and Z point, e.g. `ViewCoordinates("RDF")` (X right, Y down, Z forward: the camera
 * and image convention) or `ViewCoordinates([Axis.Right, Axis.Up, Axis.Back])`.
 */
export function ViewCoordinates(xyz: `${AxisLetter}${AxisLetter}${AxisLetter}` | readonly [number, number, number]): Archetype {
  const axes = typeof xyz === "string" ? [...xyz].map((c) => LETTER[c as AxisLetter]) : [...xyz];
  return archetypeBatches("ViewCoordinates", [field("xyz", ViewCoordinatesXYZ, [axes])]);
}
