/**
 * Arrow array construction for component data. A *codec* turns a run of component instances (in a
 * compact JS form: a flat typed array, a string list, …) into an Arrow `Data` of the instance type.
 * Child-field names and nullability follow Rerun 0.33 exactly (`item`, non-null unless stated).
 */
import {
  Bool, type Data, Field, FixedSizeList, type Float32, type Float64, type Int32, type Int64, List, Struct, type Uint16, type Uint32, Uint8, Utf8,
  makeData, type DataType,
} from "apache-arrow";

/** Typed arrays accepted as component storage. */
export type NumericArray = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array | Int32Array | BigInt64Array;

/** Describes how instances of one Arrow type are held in JS and turned into Arrow data. */
export interface ArrowCodec<V> {
  readonly type: DataType;
  count(values: V): number;
  concat(parts: readonly V[]): V;
  toData(values: V): Data;
}

const utf8 = new TextEncoder();

/** Non-null `item` field, the child of every Rerun list/fixed-size-list datatype. */
export const item = (type: DataType, nullable = false) => new Field("item", type, nullable);

/** Concatenates typed arrays of one kind. */
export function concatTyped<T extends NumericArray>(parts: readonly T[]): T {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const p of parts) total += p.length;
  const ctor = parts[0].constructor as new (n: number) => T;
  const out = new ctor(total);
  let at = 0;
  for (const p of parts) {
    (out as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(p, at);
    at += p.length;
  }
  return out;
}

/** Arrow validity bitmap (LSB first) from per-slot booleans; null when all are valid. */
export function validityBitmap(valid: ArrayLike<boolean>): { nullBitmap?: Uint8Array; nullCount: number } {
  let nullCount = 0;
  const bitmap = new Uint8Array((valid.length + 7) >> 3);
  for (let i = 0; i < valid.length; i++) {
    if (valid[i]) bitmap[i >> 3] |= 1 << (i & 7);
    else nullCount++;
  }
  return nullCount === 0 ? { nullCount } : { nullBitmap: bitmap, nullCount };
}

/** Bit-packed Arrow booleans from 0/1 bytes. */
export function packBits(values: Uint8Array): Uint8Array {
  const out = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i]) out[i >> 3] |= 1 << (i & 7);
  return out;
}

export function utf8Data(strings: readonly (string | null)[]): Data<Utf8> {
  const encoded = strings.map((s) => (s === null ? new Uint8Array() : utf8.encode(s)));
  const offsets = new Int32Array(strings.length + 1);
  for (let i = 0; i < encoded.length; i++) offsets[i + 1] = offsets[i] + encoded[i].length;
  const data = new Uint8Array(offsets[strings.length]);
  encoded.forEach((e, i) => data.set(e, offsets[i]));
  return makeData({
    type: new Utf8(), length: strings.length, valueOffsets: offsets, data,
    ...validityBitmap(strings.map((s) => s !== null)),
  });
}

/** `List<item>` data from per-row offsets (length rows+1) and the concatenated child. */
export function listData(child: Data, offsets: Int32Array, valid?: ArrayLike<boolean>, nullableItem = false): Data<List> {
  return makeData({
    type: new List(item(child.type, nullableItem)), length: offsets.length - 1, valueOffsets: offsets, child,
    ...(valid ? validityBitmap(valid) : { nullCount: 0 }),
  });
}

export function structData(fields: Field[], children: Data[], length: number, valid?: ArrayLike<boolean>): Data<Struct> {
  return makeData({ type: new Struct(fields), length, children, ...(valid ? validityBitmap(valid) : { nullCount: 0 }) });
}

type PrimitiveType = Float32 | Float64 | Uint8 | Uint16 | Uint32 | Int32 | Int64;

/** Numbers (optionally fixed-size tuples of `width` numbers) held flat in a typed array. */
export function numericCodec<V extends NumericArray>(type: PrimitiveType, width = 1): ArrowCodec<V> {
  const child = (values: V) =>
    makeData({ type: type as Float32, length: values.length, data: values as never, nullCount: 0 }) as Data;
  return {
    type: width === 1 ? type : new FixedSizeList(width, item(type)),
    count: (values) => values.length / width,
    concat: concatTyped,
    toData: (values) => {
      if (width === 1) return child(values);
      if (values.length % width !== 0) throw new Error(`expected a multiple of ${width} numbers, got ${values.length}`);
      return makeData({ type: new FixedSizeList(width, item(type)), length: values.length / width, child: child(values), nullCount: 0 });
    },
  };
}

/** Booleans held as 0/1 bytes. */
export const boolCodec: ArrowCodec<Uint8Array> = {
  type: new Bool(),
  count: (v) => v.length,
  concat: concatTyped,
  toData: (v) => makeData({ type: new Bool(), length: v.length, data: packBits(v), nullCount: 0 }),
};

export const utf8Codec: ArrowCodec<readonly string[]> = {
  type: new Utf8(),
  count: (v) => v.length,
  concat: (parts) => parts.flat(),
  toData: (v) => utf8Data(v),
};

/** Byte blobs (`List<item: non-null UInt8>`): one instance is a whole file or buffer. */
export const blobCodec: ArrowCodec<readonly Uint8Array[]> = {
  type: new List(item(new Uint8())),
  count: (v) => v.length,
  concat: (parts) => parts.flat(),
  toData: (blobs) => {
    const offsets = new Int32Array(blobs.length + 1);
    blobs.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
    const bytes = concatTyped(blobs.length ? [...blobs] : [new Uint8Array()]);
    return listData(makeData({ type: new Uint8(), length: bytes.length, data: bytes, nullCount: 0 }), offsets);
  },
};

/** Instances that are JS objects (structs, nested lists), converted by a component-specific builder. */
export function objectCodec<T>(type: DataType, build: (items: readonly T[]) => Data): ArrowCodec<readonly T[]> {
  return { type, count: (v) => v.length, concat: (parts) => parts.flat(), toData: build };
}

