/**
 * RRD manifests: the per-store index that Rerun 0.33 writes into a file's footer (see
 * `codec/footer.ts` for the bytes). One manifest per store that has data chunks, holding
 * - the store's merged "dataframe" sorbet schema: one field per row-id, timeline and
 *   entity:component column, with the flags Rerun derives (`rerun:is_static`,
 *   `rerun:is_tombstone`, `rerun:is_semantically_empty`) and the SHA-256 of that schema;
 * - a dataframe with one row per chunk: entity, chunk id, static flag, rows, byte offset / size /
 *   uncompressed size of its ArrowMsg body in the file, then per component whether it has static
 *   data, per timeline the chunk's time range, and per (timeline, component) the range and the
 *   number of rows holding the component. Column names, order, types and metadata follow
 *   `re_log_encoding`'s RrdManifestBuilder; a missing range is null, a missing count 0.
 * Rerun's reader uses it to load a file without scanning it (`RrdReader.store()`), and
 * `rerun rrd verify` checks that every offset lands on the ArrowMsg of the chunk id it names.
 */
import {
  Bool, type DataType, Field, FixedSizeBinary, type Int64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, Uint64, Utf8,
  type Data,
} from "apache-arrow";
import type { EncodedManifest } from "./codec/footer";
import { sha256 } from "./codec/hashes";
import { recordBatchToIpc } from "./codec/ipc";
import type { StoreId } from "./codec/messages";
import { ROW_ID_COLUMN } from "./chunk";

interface Descriptor {
  archetype?: string;
  component: string;
  componentType?: string;
}

/** What the manifest keeps of one chunk: a few numbers, not the data. */
interface ChunkRow {
  entityPath: string;
  chunkId: Uint8Array;
  isStatic: boolean;
  numRows: number;
  offset: number;
  size: number;
  uncompressedSize: number;
  /** timeline → [min, max] over all rows. */
  times: Map<string, readonly [bigint, bigint]>;
  /** `${timeline}\0${descriptor key}` → [min, max] over rows holding the component (null: none), count. */
  perComponent: Map<string, { range: readonly [bigint, bigint] | null; rows: number }>;
  /** Descriptor keys present in a static chunk. */
  staticComponents: Set<string>;
}

interface ColumnInfo {
  field: Field;
  isStatic: boolean;
  empty: boolean;
}

const descKey = (d: Descriptor) => `${d.archetype ?? ""}\u0000${d.component}\u0000${d.componentType ?? ""}`;
/** Rerun's order of `ComponentDescriptor`s (a derived Ord: archetype, component, type; None first). */
const descOrder = (a: Descriptor, b: Descriptor) => {
  const k = (d: Descriptor) => [d.archetype === undefined ? 0 : 1, d.archetype ?? "", d.component, d.componentType === undefined ? 0 : 1, d.componentType ?? ""];
  const [x, y] = [k(a), k(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
};
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `RawRrdManifest::compute_column_name` without an entity: `timeline:Archetype:field:suffix`, sanitised. */
function columnName(prefix: string | undefined, desc: Descriptor | undefined, suffix: string): string {
  const shortArchetype = desc?.archetype?.split(".").pop();
  const field = desc && shortArchetype && desc.component.startsWith(`${shortArchetype}:`)
    ? desc.component.slice(shortArchetype.length + 1) : desc?.component;
  const name = [prefix, shortArchetype, field, suffix].filter((s) => s).join(":");
  return name.replace(/[, \-.\\]/g, "_").replace(/^_+/, "");
}

const CLEAR_RECURSIVE: Descriptor = { archetype: "rerun.archetypes.Clear", component: "Clear:is_recursive", componentType: "rerun.components.ClearIsRecursive" };
const meta = (entries: Record<string, string | undefined>) =>
  new Map(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));
const descMeta = (d: Descriptor) => ({ "rerun:component_type": d.componentType, "rerun:archetype": d.archetype, "rerun:component": d.component });

/** Builds the manifest of one store from the chunks as they are written. */
export class ManifestBuilder {
  private rows: ChunkRow[] = [];
  private columns = new Map<string, ColumnInfo>();
  private timelines = new Map<string, DataType>();
  private descriptors = new Map<string, Descriptor>();

  constructor(readonly storeId: StoreId) {}

  get chunkCount(): number {
    return this.rows.length;
  }

  /** Adds one chunk: its record batch and where its ArrowMsg body sits in the file. */
  add(batch: RecordBatch, chunkId: Uint8Array, span: { offset: number; size: number; uncompressedSize: number }): void {
    const entityPath = batch.schema.metadata.get("rerun:entity_path") ?? "/";
    const isStatic = !batch.schema.fields.some((f) => f.metadata.get("rerun:kind") === "index");
    const row: ChunkRow = {
      entityPath, chunkId, isStatic, numRows: batch.numRows, ...span,
      times: new Map(), perComponent: new Map(), staticComponents: new Set(),
    };
    const children = batch.data.children;
    const timeCols: Array<[string, BigInt64Array]> = [];
    const compCols: Array<[Descriptor, Data]> = [];
    batch.schema.fields.forEach((f, i) => {
      const kind = f.metadata.get("rerun:kind");
      if (kind === "control") this.column(ROW_ID_COLUMN, () => new Field(ROW_ID_COLUMN, f.type, false, meta({
        "ARROW:extension:metadata": f.metadata.get("ARROW:extension:metadata"),
        "ARROW:extension:name": f.metadata.get("ARROW:extension:name"), "rerun:kind": "control",
      })), false, false);
      else if (kind === "index") {
        this.timelines.set(f.name, f.type);
        timeCols.push([f.name, children[i].values as BigInt64Array]);
        this.column(f.name, () => new Field(f.name, f.type, true, meta({ "rerun:index_name": f.name, "rerun:kind": "index" })), false, false);
      } else {
        const d: Descriptor = { archetype: f.metadata.get("rerun:archetype"), component: f.metadata.get("rerun:component") ?? f.name, componentType: f.metadata.get("rerun:component_type") };
        this.descriptors.set(descKey(d), d);
        const data = children[i];
        const offsets = data.valueOffsets as Int32Array;
        compCols.push([d, data]);
        this.column(`${entityPath}:${d.component}`, () => new Field(`${entityPath}:${d.component}`, f.type, true, meta({
          ...descMeta(d), "rerun:entity_path": entityPath, "rerun:kind": "data",
        })), isStatic, offsets[data.length] === offsets[0]);
        if (isStatic) row.staticComponents.add(descKey(d));
      }
    });
    for (const [name, values] of timeCols) {
      if (values.length) row.times.set(name, minMax(values, () => true));
      for (const [d, data] of compCols) {
        const valid = (r: number) => data.getValid(r);
        let rows = 0;
        for (let r = 0; r < data.length; r++) if (valid(r)) rows++;
        row.perComponent.set(`${name}\u0000${descKey(d)}`, { range: rows ? minMax(values, valid) : null, rows });
      }
    }
    this.rows.push(row);
  }

  /** Merges a column into the store's sorbet schema (flags: static if any chunk is, empty if all are). */
  private column(name: string, make: () => Field, isStatic: boolean, empty: boolean): void {
    const known = this.columns.get(name);
    if (known) {
      known.isStatic ||= isStatic;
      known.empty &&= empty;
    } else {
      this.columns.set(name, { field: make(), isStatic, empty });
    }
  }

  /** The store's sorbet schema, fields sorted by name (Rerun leaves the order unspecified). */
  sorbetSchema(): Schema {
    const fields = [...this.columns.entries()].sort(([a], [b]) => byName(a, b)).map(([, c]) => {
      if (c.field.metadata.get("rerun:kind") !== "data") return c.field;
      const m = new Map(c.field.metadata);
      const d: Descriptor = { archetype: m.get("rerun:archetype"), component: m.get("rerun:component")!, componentType: m.get("rerun:component_type") };
      if (c.isStatic) m.set("rerun:is_static", "true");
      if (descKey(d) === descKey(CLEAR_RECURSIVE)) m.set("rerun:is_tombstone", "true");
      if (c.empty) m.set("rerun:is_semantically_empty", "true");
      return new Field(c.field.name, c.field.type, true, m);
    });
    return new Schema(fields);
  }

  /** The manifest dataframe: one row per chunk added, columns in Rerun's order. */
  dataframe(): RecordBatch {
    const n = this.rows.length;
    const fields: Field[] = [];
    const data: Data[] = [];
    const push = (field: Field, d: Data) => {
      fields.push(field);
      data.push(d);
    };
    const utf8 = new TextEncoder();
    const paths = this.rows.map((r) => utf8.encode(r.entityPath));
    const offsets = new Int32Array(n + 1);
    paths.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.length));
    const pathBytes = new Uint8Array(offsets[n]);
    paths.forEach((p, i) => pathBytes.set(p, offsets[i]));
    push(new Field("chunk_entity_path", new Utf8(), false), makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: pathBytes, nullCount: 0 }));
    const ids = new Uint8Array(n * 16);
    this.rows.forEach((r, i) => ids.set(r.chunkId, i * 16));
    push(new Field("chunk_id", new FixedSizeBinary(16), false), makeData({ type: new FixedSizeBinary(16), length: n, data: ids, nullCount: 0 }));
    push(new Field("chunk_is_static", new Bool(), false), bools(this.rows.map((r) => r.isStatic)));
    const u64 = (name: string, values: number[], nullable = false) => push(new Field(name, new Uint64(), nullable), makeData({
      type: new Uint64(), length: n, data: BigUint64Array.from(values, (v) => BigInt(v)), nullCount: 0,
    }));
    u64("chunk_num_rows", this.rows.map((r) => r.numRows));
    u64("chunk_byte_offset", this.rows.map((r) => r.offset));
    u64("chunk_byte_size", this.rows.map((r) => r.size));
    u64("chunk_byte_size_uncompressed", this.rows.map((r) => r.uncompressedSize));

    // Every component seen (static or not) gets a has_static_data column.
    const descs = [...this.descriptors.values()].sort(descOrder);
    for (const d of descs) {
      push(new Field(columnName(undefined, d, "has_static_data"), new Bool(), false, meta({ "rerun:index": "rerun:static", ...descMeta(d) })),
        bools(this.rows.map((r) => r.staticComponents.has(descKey(d)))));
    }
    const timelines = [...this.timelines.keys()].sort(byName);
    for (const t of timelines) {
      const type = this.timelines.get(t)!;
      for (const [suffix, at] of [["start", 0], ["end", 1]] as const) {
        push(new Field(columnName(t, undefined, suffix), type, true, meta({ "rerun:index": t })),
          times(type, this.rows.map((r) => r.times.get(t)?.[at] ?? null)));
      }
    }
    for (const t of timelines) {
      const type = this.timelines.get(t)!;
      for (const d of descs) {
        const key = `${t}\u0000${descKey(d)}`;
        if (!this.rows.some((r) => r.perComponent.has(key))) continue;
        const m = meta({ "rerun:index": t, ...descMeta(d) });
        for (const [suffix, at] of [["start", 0], ["end", 1]] as const) {
          push(new Field(columnName(t, d, suffix), type, true, m), times(type, this.rows.map((r) => r.perComponent.get(key)?.range?.[at] ?? null)));
        }
        push(new Field(columnName(t, d, "num_rows"), new Uint64(), true, m), makeData({
          type: new Uint64(), length: n, data: BigUint64Array.from(this.rows, (r) => BigInt(r.perComponent.get(key)?.rows ?? 0)), nullCount: 0,
        }));
      }
    }
    const struct = makeData({ type: new Struct(fields), length: n, nullCount: 0, children: data });
    return new RecordBatch(new Schema(fields), struct as never);
  }

  /** The manifest with its Arrow parts encoded, ready for `encodeFileEnd`. */
  encode(): EncodedManifest {
    const schema = this.sorbetSchema();
    return {
      storeId: this.storeId,
      sorbetSchemaIpc: schemaIpc(schema),
      sorbetSchemaSha256: sha256(schemaIpc(schema, false)),
      dataIpc: recordBatchToIpc(this.dataframe()),
    };
  }
}

/** IPC stream of a schema alone; without the end-of-stream marker it is what Rerun hashes. */
export function schemaIpc(schema: Schema, endOfStream = true): Uint8Array {
  const bytes = tableToIPC(new Table(schema), "stream");
  return endOfStream ? bytes : bytes.subarray(0, bytes.length - 8);
}

function minMax(values: BigInt64Array, keep: (row: number) => boolean): readonly [bigint, bigint] {
  let min = 0n, max = 0n, first = true;
  for (let r = 0; r < values.length; r++) {
    if (!keep(r)) continue;
    const v = values[r];
    if (first || v < min) min = v;
    if (first || v > max) max = v;
    first = false;
  }
  return [min, max];
}

function bitmap(flags: readonly boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(flags.length / 8));
  flags.forEach((f, i) => {
    if (f) bits[i >> 3] |= 1 << (i & 7);
  });
  return bits;
}

function bools(flags: readonly boolean[]): Data {
  return makeData({ type: new Bool(), length: flags.length, data: bitmap(flags), nullCount: 0 });
}

/** A time column (Int64, Duration or Timestamp; all i64 values); null where a chunk has no range. */
function times(type: DataType, values: ReadonlyArray<bigint | null>): Data {
  const nulls = values.filter((v) => v === null).length;
  return makeData({
    // Int64, Duration(ns) and Timestamp(ns) share one i64 data buffer; typed as Int64 for makeData.
    type: type as Int64, length: values.length, data: BigInt64Array.from(values, (v) => v ?? 0n),
    nullCount: nulls, nullBitmap: nulls ? bitmap(values.map((v) => v !== null)) : undefined,
  }) as Data;
}
