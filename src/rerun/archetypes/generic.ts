/** Archetypes without a fixed schema: arbitrary named values, and clearing entities. */
import { Float32, Float64, Int32, Int64, Uint16, Uint32, Uint8 } from "apache-arrow";
import { boolCodec, numericCodec, utf8Codec, type ArrowCodec, type NumericArray } from "../arrow";
import { archetypeBatches, ClearIsRecursive, field, type Archetype, type ComponentBatch } from "../components";

/** A value for `AnyValues`. The Arrow type follows the JS type; see `AnyValues`. */
export type AnyValue =
  | number | bigint | string | boolean
  | readonly number[] | readonly bigint[] | readonly string[] | readonly boolean[]
  | NumericArray;

const TYPED: ReadonlyArray<readonly [new (...a: never[]) => NumericArray, () => ArrowCodec<NumericArray>]> = [
  [Float64Array, () => numericCodec(new Float64())],
  [Float32Array, () => numericCodec(new Float32())],
  [BigInt64Array, () => numericCodec(new Int64())],
  [Int32Array, () => numericCodec(new Int32())],
  [Uint32Array, () => numericCodec(new Uint32())],
  [Uint16Array, () => numericCodec(new Uint16())],
  [Uint8Array, () => numericCodec(new Uint8())],
];

function anyBatch(key: string, value: AnyValue): ComponentBatch {
  const descriptor = { component: key };
  for (const [ctor, codec] of TYPED) {
    if (value instanceof ctor) return { descriptor, codec: codec() as ArrowCodec<unknown>, values: value };
  }
  const list = (Array.isArray(value) ? value : [value]) as readonly unknown[];
  const first = list[0];
  if (typeof first === "string") return { descriptor, codec: utf8Codec as ArrowCodec<unknown>, values: list };
  if (typeof first === "boolean") return { descriptor, codec: boolCodec as ArrowCodec<unknown>, values: Uint8Array.from(list as boolean[], Number) };
  if (typeof first === "bigint") return { descriptor, codec: numericCodec(new Int64()) as ArrowCodec<unknown>, values: BigInt64Array.from(list as bigint[]) };
  if (typeof first === "number" || list.length === 0) {
    return { descriptor, codec: numericCodec(new Float64()) as ArrowCodec<unknown>, values: Float64Array.from(list as number[]) };
  }
  throw new Error(`AnyValues: unsupported value for "${key}"`);
}

/**
 * Arbitrary named values shown in the viewer's selection panel. Types follow JS, not guessing:
 * number → Float64, bigint → Int64, string → Utf8, boolean → Bool, arrays of those likewise, and
 * typed arrays keep their element type. Use a bigint for an integer (`index: 3n`).
 */
export function AnyValues(values: Record<string, AnyValue>): Archetype {
  return { batches: Object.entries(values).map(([k, v]) => anyBatch(k, v)) };
}

/** Clears an entity (and with `recursive`, its whole subtree) from this time on. */
export function Clear(options: { recursive: boolean }): Archetype {
  return archetypeBatches("Clear", [field("is_recursive", ClearIsRecursive, options.recursive)]);
}

