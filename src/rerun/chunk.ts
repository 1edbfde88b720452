/**
 * A chunk as Rerun 0.33 stores it ("sorbet" 0.1.3): one Arrow record batch for one entity, with
 * the row-id column first, then one index column per timeline, then one `List<item: T>` column per
 * component. Static chunks have no index columns.
 */
import {
  DurationNanosecond, Field, FixedSizeBinary, Int64, RecordBatch, Struct, Schema, TimestampNanosecond, makeData,
  type Data, type DataType,
} from "apache-arrow";
import { listData } from "./arrow";
import type { ArrowCodec } from "./arrow";
import { tuidToHex, type Tuid } from "./codec/tuid";
import type { ComponentDescriptor } from "./components";
import type { Timeline, TimelineKind } from "./time";

export const SORBET_VERSION = "0.1.3";
export const ROW_ID_COLUMN = "rerun.controls.RowId";

/** One component column: every row's instances concatenated, split by `offsets` (rows + 1). */
export interface ChunkComponent {
  readonly descriptor: ComponentDescriptor;
  readonly codec: ArrowCodec<unknown>;
  readonly values: unknown;
  readonly offsets: Int32Array;
  /** Per row: false where the component was not logged (a null cell). Omitted = all present. */
  readonly present?: readonly boolean[];
}

export interface ChunkSpec {
  readonly entityPath: string;
  readonly chunkId: Tuid;
  /** Row ids, 16 big-endian bytes per row (see `codec/tuid`), increasing. */
  readonly rowIds: Uint8Array;
  readonly numRows: number;
  readonly timelines: readonly { readonly timeline: Timeline; readonly values: BigInt64Array }[];
  readonly components: readonly ChunkComponent[];
}

/** Entity paths are absolute and `/`-separated; `a/b`, `/a/b` and `a/b/` name the same entity. */
export function normalizeEntityPath(path: string): string {
  const parts = path.split("/").filter((p) => p.length > 0);
  return `/${parts.join("/")}`;
}

const indexType = (kind: TimelineKind): DataType =>
  kind === "sequence" ? new Int64() : kind === "duration" ? new DurationNanosecond() : new TimestampNanosecond();

const meta = (entries: Record<string, string | undefined>) =>
  new Map(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));

function isSorted(values: BigInt64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1]) return false;
  return true;
}

/** Builds the record batch of one chunk. Throws if a column's length disagrees with `numRows`. */
export function buildChunk(spec: ChunkSpec): RecordBatch {
  const n = spec.numRows;
  if (spec.rowIds.length !== n * 16) throw new Error(`row ids: ${spec.rowIds.length / 16} for ${n} rows`);
  const fields: Field[] = [];
  const children: Data[] = [];

  fields.push(new Field(ROW_ID_COLUMN, new FixedSizeBinary(16), false, meta({
    "rerun:kind": "control",
    "ARROW:extension:name": "rerun.datatypes.TUID",
    "ARROW:extension:metadata": '{"namespace":"row"}',
    "rerun:is_sorted": "true", // ids come from a monotonic generator, in row order
  })));
  children.push(makeData({ type: new FixedSizeBinary(16), length: n, data: spec.rowIds, nullCount: 0 }));

  for (const { timeline, values } of spec.timelines) {
    if (values.length !== n) throw new Error(`timeline ${timeline.name}: ${values.length} values for ${n} rows`);
    const type = indexType(timeline.kind);
    fields.push(new Field(timeline.name, type, true, meta({
      "rerun:kind": "index",
      "rerun:index_name": timeline.name,
      "rerun:is_sorted": isSorted(values) ? "true" : undefined,
    })));
    // Int64, Duration(ns) and Timestamp(ns) all store i64 values in one data buffer.
    children.push(makeData({ type: type as Int64, length: n, data: values, nullCount: 0 }) as Data);
  }

  // Sorted by name, the order Rerun's SDKs write (its chunks keep components in a sorted map).
  const components = [...spec.components].sort((a, b) => (a.descriptor.component < b.descriptor.component ? -1 : 1));
  for (const c of components) {
    if (c.offsets.length !== n + 1) throw new Error(`${c.descriptor.component}: ${c.offsets.length - 1} rows, expected ${n}`);
    const instances = c.codec.toData(c.values);
    if (instances.length !== c.offsets[n]) {
      throw new Error(`${c.descriptor.component}: offsets cover ${c.offsets[n]} instances, data has ${instances.length}`);
    }
    // The list's `item` field is nullable in Rerun's schema even though our instances never are null.
    const column = listData(instances, c.offsets, c.present, true);
    fields.push(new Field(c.descriptor.component, column.type, true, meta({
      "rerun:kind": "data",
      "rerun:component": c.descriptor.component,
      "rerun:archetype": c.descriptor.archetype,
      "rerun:component_type": c.descriptor.componentType,
    })));
    children.push(column);
  }

  const schema = new Schema(fields, meta({
    "sorbet:version": SORBET_VERSION,
    "rerun:id": tuidToHex(spec.chunkId),
    "rerun:entity_path": normalizeEntityPath(spec.entityPath),
  }));
  const struct = makeData({ type: new Struct(fields), length: n, nullCount: 0, children });
  return new RecordBatch(schema, struct as never);
}
