/**
 * Collects logged rows into chunks. Rows for the same entity, static flag and set of timelines
 * share a chunk until flushed; a component whose Arrow type changes starts a new chunk. Columnar
 * sends become a chunk of their own immediately.
 */
import { packTuidRange, packTuids, type Tuid } from "./codec/tuid";
import type { ChunkComponent, ChunkSpec } from "./chunk";
import { normalizeEntityPath } from "./chunk";
import type { ComponentBatch, ComponentDescriptor } from "./components";
import type { ArrowCodec } from "./arrow";
import type { TimeColumn, Timeline } from "./time";
import { type TuidGenerator, tuids as sharedTuids } from "./tuid";

/** A chunk ready to encode, plus whether it holds static data. */
export interface PendingChunk extends ChunkSpec {
  readonly isStatic: boolean;
}

/** One component across many rows: all instances concatenated plus the instance count per row. */
export interface ComponentColumn {
  readonly descriptor: ComponentDescriptor;
  readonly codec: ArrowCodec<unknown>;
  readonly values: unknown;
  readonly lengths: Int32Array;
}

interface OpenComponent {
  descriptor: ComponentDescriptor;
  codec: ArrowCodec<unknown>;
  typeKey: string;
  /** Per row; undefined where the row did not log this component. */
  parts: unknown[];
}

interface OpenChunk {
  entityPath: string;
  isStatic: boolean;
  timelines: Timeline[];
  times: bigint[][];
  rowIds: Tuid[];
  components: Map<string, OpenComponent>;
}

const typeKey = (codec: ArrowCodec<unknown>) => String(codec.type);

export class ChunkBatcher {
  private open = new Map<string, OpenChunk>();
  private closed: PendingChunk[] = [];

  constructor(private readonly ids: TuidGenerator = sharedTuids) {}

  /** Adds one row. `times` is empty for static rows. */
  addRow(entity: string, isStatic: boolean, times: ReadonlyArray<readonly [Timeline, bigint]>, batches: readonly ComponentBatch[]): void {
    const entityPath = normalizeEntityPath(entity);
    const sorted = [...times].sort((a, b) => (a[0].name < b[0].name ? -1 : 1));
    const key = `${entityPath}\u0000${isStatic}\u0000${sorted.map(([t]) => `${t.name}:${t.kind}`).join(",")}`;
    let chunk = this.open.get(key);
    if (chunk && batches.some((b) => this.conflicts(chunk!, b))) {
      this.close(key, chunk);
      chunk = undefined;
    }
    if (!chunk) {
      chunk = { entityPath, isStatic, timelines: sorted.map(([t]) => t), times: sorted.map(() => []), rowIds: [], components: new Map() };
      this.open.set(key, chunk);
    }
    const row = chunk.rowIds.length;
    chunk.rowIds.push(this.ids.next());
    sorted.forEach(([, v], i) => chunk!.times[i].push(v));
    // The last batch wins if one log call names a component twice.
    for (const b of new Map(batches.map((x) => [x.descriptor.component, x])).values()) {
      let col = chunk.components.get(b.descriptor.component);
      if (!col) {
        col = { descriptor: b.descriptor, codec: b.codec, typeKey: typeKey(b.codec), parts: [] };
        chunk.components.set(b.descriptor.component, col);
      }
      col.parts[row] = b.values;
    }
  }

  /** Adds a whole chunk at once (like Rerun's `send_columns`). */
  addColumns(entity: string, times: readonly TimeColumn[], columns: readonly ComponentColumn[]): void {
    const numRows = times.length ? times[0].values.length : columns[0]?.lengths.length ?? 0;
    const components: ChunkComponent[] = columns.map((c) => {
      if (c.lengths.length !== numRows) throw new Error(`${c.descriptor.component}: ${c.lengths.length} rows, expected ${numRows}`);
      const offsets = new Int32Array(numRows + 1);
      for (let i = 0; i < numRows; i++) offsets[i + 1] = offsets[i] + c.lengths[i];
      return { descriptor: c.descriptor, codec: c.codec, values: c.values, offsets };
    });
    this.closed.push({
      entityPath: normalizeEntityPath(entity),
      isStatic: times.length === 0,
      chunkId: this.ids.next(),
      rowIds: packTuidRange(this.ids.reserve(numRows), numRows),
      numRows,
      timelines: times.map((t) => ({ timeline: t.timeline, values: t.values })),
      components,
    });
  }

  /** Everything collected so far, in the order chunks were completed; the batcher is then empty. */
  drain(): PendingChunk[] {
    for (const [key, chunk] of this.open) this.close(key, chunk);
    const out = this.closed;
    this.closed = [];
    return out;
  }

  private conflicts(chunk: OpenChunk, b: ComponentBatch): boolean {
    const col = chunk.components.get(b.descriptor.component);
    // A column whose Arrow type changed (e.g. an AnyValues key) cannot share the chunk.
    return col !== undefined && col.typeKey !== typeKey(b.codec);
  }

  private close(key: string, chunk: OpenChunk): void {
    this.open.delete(key);
    const n = chunk.rowIds.length;
    const components: ChunkComponent[] = [];
    for (const col of chunk.components.values()) {
      const offsets = new Int32Array(n + 1);
      const present: boolean[] = [];
      const parts: unknown[] = [];
      for (let r = 0; r < n; r++) {
        const part = col.parts[r];
        present.push(part !== undefined);
        offsets[r + 1] = offsets[r] + (part === undefined ? 0 : col.codec.count(part));
        if (part !== undefined) parts.push(part);
      }
      components.push({
        descriptor: col.descriptor, codec: col.codec, values: col.codec.concat(parts), offsets,
        present: present.every(Boolean) ? undefined : present,
      });
    }
    this.closed.push({
      entityPath: chunk.entityPath,
      isStatic: chunk.isStatic,
      chunkId: this.ids.next(),
      rowIds: packTuids(chunk.rowIds),
      numRows: n,
      timelines: chunk.timelines.map((timeline, i) => ({ timeline, values: BigInt64Array.from(chunk.times[i]) })),
      components,
    });
  }
}
