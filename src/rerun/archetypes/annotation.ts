/**
 * AnnotationContext: per-entity class and keypoint metadata (labels, colours, skeleton edges)
 * that Points and Boxes look up through their class and keypoint ids.
 */
import { Field, List, Struct, Uint16, Uint32, Utf8, makeData, type Data } from "apache-arrow";
import { item, listData, objectCodec, structData, utf8Data, validityBitmap } from "../arrow";
import { archetypeBatches, field, packColor, type Archetype, type ColorLike, type ComponentType } from "../components";

/** Label and colour for a class or a keypoint. */
export interface AnnotationInfo {
  id: number;
  label?: string;
  color?: ColorLike;
}

export interface ClassDescription {
  info: AnnotationInfo;
  keypointAnnotations: AnnotationInfo[];
  /** Pairs of keypoint ids joined by a line. */
  keypointConnections: Array<readonly [number, number]>;
}

export interface ClassDescriptionProps {
  /** The class, or just its id. */
  info: AnnotationInfo | number;
  keypointAnnotations?: readonly AnnotationInfo[];
  keypointConnections?: ReadonlyArray<readonly [number, number]>;
}

export function ClassDescription(p: ClassDescriptionProps): ClassDescription {
  return {
    info: typeof p.info === "number" ? { id: p.info } : { ...p.info },
    keypointAnnotations: [...(p.keypointAnnotations ?? [])],
    keypointConnections: [...(p.keypointConnections ?? [])],
  };
}

const nn = (name: string, type: Field["type"]) => new Field(name, type, false);
const INFO_FIELDS = [nn("id", new Uint16()), new Field("label", new Utf8(), true), new Field("color", new Uint32(), true)];
const PAIR_FIELDS = [nn("keypoint0", new Uint16()), nn("keypoint1", new Uint16())];
const DESCRIPTION_FIELDS = [
  nn("info", new Struct(INFO_FIELDS)),
  nn("keypoint_annotations", new List(item(new Struct(INFO_FIELDS)))),
  nn("keypoint_connections", new List(item(new Struct(PAIR_FIELDS)))),
];
const ELEM_FIELDS = [nn("class_id", new Uint16()), nn("class_description", new Struct(DESCRIPTION_FIELDS))];
/** One instance is a whole context: `List<item: non-null Struct{class_id, class_description}>`. */
const CONTEXT_TYPE = new List(item(new Struct(ELEM_FIELDS)));

const u16 = (values: number[]) => makeData({ type: new Uint16(), length: values.length, data: Uint16Array.from(values), nullCount: 0 });

function infoData(infos: readonly AnnotationInfo[]): Data {
  const colors = infos.map((i) => (i.color === undefined ? 0 : packColor(i.color)));
  return structData(INFO_FIELDS, [
    u16(infos.map((i) => i.id)),
    utf8Data(infos.map((i) => i.label ?? null)),
    makeData({
      type: new Uint32(), length: infos.length, data: Uint32Array.from(colors),
      ...validityBitmap(infos.map((i) => i.color !== undefined)),
    }),
  ], infos.length);
}

function offsetsOf(lengths: number[]): Int32Array {
  const out = new Int32Array(lengths.length + 1);
  lengths.forEach((n, i) => (out[i + 1] = out[i] + n));
  return out;
}

/** Arrow data for a run of contexts, each a list of class descriptions. */
function contextsData(contexts: readonly (readonly ClassDescription[])[]): Data {
  const classes = contexts.flat();
  const kpAnn = listData(infoData(classes.flatMap((c) => c.keypointAnnotations)), offsetsOf(classes.map((c) => c.keypointAnnotations.length)));
  const pairs = classes.flatMap((c) => c.keypointConnections);
  const kpConn = listData(
    structData(PAIR_FIELDS, [u16(pairs.map((p) => p[0])), u16(pairs.map((p) => p[1]))], pairs.length),
    offsetsOf(classes.map((c) => c.keypointConnections.length)),
  );
  const description = structData(DESCRIPTION_FIELDS, [infoData(classes.map((c) => c.info)), kpAnn, kpConn], classes.length);
  const elems = structData(ELEM_FIELDS, [u16(classes.map((c) => c.info.id)), description], classes.length);
  return listData(elems, offsetsOf(contexts.map((c) => c.length)));
}

const AnnotationContextComponent: ComponentType<readonly ClassDescription[], readonly (readonly ClassDescription[])[]> = {
  name: "rerun.components.AnnotationContext",
  codec: objectCodec(CONTEXT_TYPE, contextsData),
  from: (classes) => [classes],
};

/** Logs class descriptions for an entity subtree (usually static). */
export function AnnotationContext(classes: ClassDescription | readonly ClassDescription[]): Archetype {
  const list = Array.isArray(classes) ? (classes as readonly ClassDescription[]) : [classes as ClassDescription];
  return archetypeBatches("AnnotationContext", [field("context", AnnotationContextComponent, list)]);
}

