/** Helpers for the jest suites: read a flushed stream back and describe Arrow columns plainly. */
import { DataType, Vector, type Field, type Table } from "apache-arrow";
import { inspectRrd, type InspectedChunk } from "./inspect";

/** Compact, exact description of an Arrow type: child names, `?` for nullable, element types. */
export function describeType(t: DataType): string {
  const f = (field: Field) => `${field.name}${field.nullable ? "?" : ""}: ${describeType(field.type)}`;
  if (DataType.isList(t)) return `List<${f(t.children[0])}>`;
  if (DataType.isFixedSizeList(t)) return `FixedSizeList[${t.listSize}]<${f(t.children[0])}>`;
  if (DataType.isStruct(t)) return `Struct<${t.children.map(f).join(", ")}>`;
  return String(t);
}

/** Converts Arrow values (vectors, struct rows, typed arrays) into plain JS for `toEqual`. */
export function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Vector) return Array.from(v as Iterable<unknown>, plain);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, plain);
  if (typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
    return Object.fromEntries(Object.entries((v as { toJSON(): object }).toJSON()).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** Every row of one column, as plain JS. */
export function column(table: Table, name: string): unknown[] {
  const vec = table.getChild(name);
  if (!vec) throw new Error(`no column ${name}; have ${table.schema.fields.map((x) => x.name).join(", ")}`);
  return Array.from({ length: vec.length }, (_, i) => plain(vec.get(i)));
}

export function fieldOf(table: Table, name: string): Field {
  const field = table.schema.fields.find((x) => x.name === name);
  if (!field) throw new Error(`no field ${name}`);
  return field;
}

/** The chunks of a stream for one entity of the recording store (kind 1). */
export function chunksFor(bytes: Uint8Array, entityPath: string): InspectedChunk[] {
  return inspectRrd(bytes).chunks.filter((c) => c.entityPath === entityPath && c.message.storeId.kind === 1);
}

/** The only chunk for an entity; fails if there is not exactly one. */
export function onlyChunk(bytes: Uint8Array, entityPath: string): InspectedChunk {
  const chunks = chunksFor(bytes, entityPath);
  if (chunks.length !== 1) throw new Error(`${chunks.length} chunks for ${entityPath}`);
  return chunks[0];
}
