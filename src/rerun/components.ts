/**
 * Components: descriptors, batches and the component types used by our archetypes, each with
 * the Arrow codec Rerun 0.33 expects and a normaliser from friendly JS input.
 */
import { Float32, Float64, Int64, Uint16, Uint32, Uint8 } from "apache-arrow";
import { blobCodec, boolCodec, numericCodec, utf8Codec, type ArrowCodec } from "./arrow";

/** Names one column of a chunk: `Archetype:field`, plus the archetype and component type it belongs to. */
export interface ComponentDescriptor {
  /** Column name, e.g. `Points2D:positions`; a bare key for untyped AnyValues. */
  readonly component: string;
  /** Fully qualified archetype, e.g. `rerun.archetypes.Points2D`. */
  readonly archetype?: string;
  /** Fully qualified component type, e.g. `rerun.components.Position2D`. */
  readonly componentType?: string;
}

/** A run of instances of one component (all instances for one row, or all rows of a column). */
export interface ComponentBatch {
  readonly descriptor: ComponentDescriptor;
  readonly codec: ArrowCodec<unknown>;
  readonly values: unknown;
}

/** What `Recording.log` accepts: one archetype's (or any component set's) batches. */
export interface Archetype {
  readonly batches: readonly ComponentBatch[];
}

/** A component type: its Rerun name, Arrow codec and how to read user input. */
export interface ComponentType<I, V> {
  readonly name: string;
  readonly codec: ArrowCodec<V>;
  readonly from: (input: I) => V;
}

// ---- Input forms ----

/** Packed `0xRRGGBBAA`, or an `[r, g, b]` / `[r, g, b, a]` tuple of 0–255 values. */
export type ColorLike = number | readonly [number, number, number] | readonly [number, number, number, number];
/** Several colours: packed numbers (one per instance), a `Uint32Array`, or a list of `ColorLike`s. */
export type Colors = ColorLike | readonly ColorLike[] | Uint32Array;
/** Vectors, flat (`[x0, y0, x1, y1, …]` or a typed array) or nested (`[[x0, y0], …]`). */
export type Vectors = ArrayLike<number> | readonly ArrayLike<number>[];
export type Numbers = number | ArrayLike<number>;
export type Texts = string | readonly string[];
export type Bools = boolean | readonly boolean[];

/** Packs an RGBA colour (0–255 each) into Rerun's `0xRRGGBBAA`. */
export function rgba(r: number, g: number, b: number, a = 255): number {
  return ((r & 255) * 0x1000000 + ((g & 255) << 16) + ((b & 255) << 8) + (a & 255)) >>> 0;
}

export function packColor(c: ColorLike): number {
  return typeof c === "number" ? c >>> 0 : rgba(c[0], c[1], c[2], c[3] ?? 255);
}

function toColors(input: Colors): Uint32Array {
  if (input instanceof Uint32Array) return input;
  if (typeof input === "number") return Uint32Array.of(input >>> 0);
  const list = input as readonly (number | ArrayLike<number>)[];
  // A single tuple like [255, 0, 0] would be ambiguous with packed numbers, so tuples must be nested.
  return Uint32Array.from(list, (c) => packColor(c as ColorLike));
}

function toFlat<T extends Float32Array | Uint8Array>(ctor: { new (n: number): T; from(a: ArrayLike<number>): T }, width: number, input: Vectors): T {
  if (input instanceof ctor) return input;
  const first = (input as ArrayLike<unknown>)[0];
  if (typeof first === "object" && first !== null) {
    const rows = input as readonly ArrayLike<number>[];
    const out = new ctor(rows.length * width);
    rows.forEach((row, i) => {
      if (row.length !== width) throw new Error(`expected ${width}-vectors, got one of length ${row.length}`);
      for (let k = 0; k < width; k++) out[i * width + k] = row[k];
    });
    return out;
  }
  const flat = ctor.from(input as ArrayLike<number>);
  if (flat.length % width !== 0) throw new Error(`expected a multiple of ${width} numbers, got ${flat.length}`);
  return flat;
}

function numbers<T extends Float32Array | Float64Array | Uint16Array | Uint32Array | Uint8Array>(
  ctor: { new (n: number): T; from(a: ArrayLike<number>): T; of(...n: number[]): T },
): (input: Numbers) => T {
  return (input) => (typeof input === "number" ? ctor.of(input) : input instanceof ctor ? input : ctor.from(input));
}

const texts = (input: Texts): readonly string[] => (typeof input === "string" ? [input] : input);
const bools = (input: Bools): Uint8Array =>
  typeof input === "boolean" ? Uint8Array.of(input ? 1 : 0) : Uint8Array.from(input, (b) => (b ? 1 : 0));
const int64s = (input: number | bigint | ArrayLike<number | bigint>): BigInt64Array =>
  typeof input === "number" || typeof input === "bigint"
    ? BigInt64Array.of(BigInt(input))
    : input instanceof BigInt64Array ? input : BigInt64Array.from(Array.from(input, (v) => BigInt(v)));

/** Enum values given by name (case-insensitive) or by their numeric value. */
export function enumFrom<N extends string>(values: Record<N, number>) {
  const byName = new Map(Object.entries<number>(values).map(([k, v]) => [k.toLowerCase(), v]));
  const one = (v: N | number): number => {
    if (typeof v === "number") return v;
    const n = byName.get(v.toLowerCase());
    if (n === undefined) throw new Error(`unknown enum value "${v}"; expected one of ${[...byName.keys()].join(", ")}`);
    return n;
  };
  return (input: N | number | readonly (N | number)[]): Uint8Array =>
    Array.isArray(input) ? Uint8Array.from(input as (N | number)[], one) : Uint8Array.of(one(input as N | number));
}

// ---- Component types ----

/** Defines a component type; bare names get the `rerun.components.` prefix. */
export const componentType = <I, V>(name: string, codec: ArrowCodec<V>, from: (input: I) => V): ComponentType<I, V> => ({
  name: name.includes(".") ? name : `rerun.components.${name}`, codec, from,
});

const f32 = numericCodec<Float32Array>(new Float32());
const u16 = numericCodec<Uint16Array>(new Uint16());
const vec2 = (name: string) => componentType(name, numericCodec<Float32Array>(new Float32(), 2), (v: Vectors) => toFlat(Float32Array, 2, v));
const vec3 = (name: string) => componentType(name, numericCodec<Float32Array>(new Float32(), 3), (v: Vectors) => toFlat(Float32Array, 3, v));
const float32 = (name: string) => componentType(name, f32, numbers(Float32Array));
const text = (name: string) => componentType(name, utf8Codec, texts);
const bool = (name: string) => componentType(name, boolCodec, bools);
const u8enum = <N extends string>(name: string, values: Record<N, number>) =>
  componentType(name, numericCodec<Uint8Array>(new Uint8()), enumFrom(values));

export const Position2D = vec2("Position2D");
export const Position3D = vec3("Position3D");
export const Vector3D = vec3("Vector3D");
export const HalfSize2D = vec2("HalfSize2D");
export const Radius = float32("Radius");
export const DrawOrder = float32("DrawOrder");
export const StrokeWidth = float32("StrokeWidth");
export const MarkerSize = float32("MarkerSize");
export const Opacity = float32("Opacity");
export const Color = componentType("Color", numericCodec<Uint32Array>(new Uint32()), toColors);
export const Text = text("Text");
export const Name = text("Name");
export const MediaType = text("MediaType");
export const TextLogLevel = text("TextLogLevel");
export const EntityPath = text("EntityPath");
export const ShowLabels = bool("ShowLabels");
export const Visible = bool("Visible");
export const ClearIsRecursive = bool("ClearIsRecursive");
export const ClassId = componentType("ClassId", u16, numbers(Uint16Array));
export const KeypointId = componentType("KeypointId", u16, numbers(Uint16Array));
export const Scalar = componentType("Scalar", numericCodec<Float64Array>(new Float64()), numbers(Float64Array));
export const VideoTimestamp = componentType("VideoTimestamp", numericCodec<BigInt64Array>(new Int64()), int64s);
export const Blob = componentType("Blob", blobCodec, (b: Uint8Array | readonly Uint8Array[]) => (b instanceof Uint8Array ? [b] : b));
export const ImageBuffer = componentType("ImageBuffer", blobCodec, (b: Uint8Array) => [b]);
export const ViewCoordinatesXYZ = componentType(
  "ViewCoordinates", numericCodec<Uint8Array>(new Uint8(), 3), (v: Vectors) => toFlat(Uint8Array, 3, v),
);
export const AggregationPolicy = u8enum("AggregationPolicy", {
  Off: 1, Average: 2, Max: 3, Min: 4, MinMax: 5, MinMaxAverage: 6,
});
export const InterpolationMode = u8enum("InterpolationMode", { Linear: 1, StepAfter: 2, StepBefore: 3, StepMid: 4 });
export const MarkerShape = u8enum("MarkerShape", {
  Circle: 1, Diamond: 2, Square: 3, Cross: 4, Plus: 5, Up: 6, Down: 7, Left: 8, Right: 9, Asterisk: 10,
});
export const MagnificationFilter = u8enum("MagnificationFilter", { Nearest: 1, Linear: 2 });

/** One archetype field with its input already converted; undefined input means "not logged". */
export interface FieldValue {
  readonly field: string;
  readonly componentType: string;
  readonly codec: ArrowCodec<unknown>;
  readonly values: unknown;
}

/** Type-checks `input` against the component type and converts it. */
export function field<I, V>(name: string, ctype: ComponentType<I, V>, input: I | undefined): FieldValue | undefined {
  if (input === undefined) return undefined;
  return { field: name, componentType: ctype.name, codec: ctype.codec as ArrowCodec<unknown>, values: ctype.from(input) };
}

/**
 * Builds an archetype's batches from its fields. `archetype` is the short name (`Points2D`) or a
 * qualified name for blueprint archetypes (`rerun.blueprint.archetypes.ViewBlueprint`).
 */
export function archetypeBatches(archetype: string, fields: ReadonlyArray<FieldValue | undefined>): Archetype {
  const qualified = archetype.includes(".") ? archetype : `rerun.archetypes.${archetype}`;
  const short = qualified.slice(qualified.lastIndexOf(".") + 1);
  const batches: ComponentBatch[] = [];
  for (const f of fields) {
    if (!f) continue;
    batches.push({
      descriptor: { component: `${short}:${f.field}`, archetype: qualified, componentType: f.componentType },
      codec: f.codec,
      values: f.values,
    });
  }
  return { batches };
}

