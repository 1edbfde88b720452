/** Turning archetypes that hold many rows' instances into columns for `Recording.sendColumns`. */
import type { ComponentColumn } from "./batcher";
import type { Archetype } from "./components";

export type { ComponentColumn } from "./batcher";

/** How an archetype's concatenated instances are split into rows. */
export type Partition =
  /** Every component's instances divide evenly: 478·n positions and n radii over `rows: n`. */
  | { rows: number }
  /** Explicit instance count per row, the same for every component of the archetype. */
  | { lengths: ArrayLike<number> };

/**
 * Splits an archetype into per-row columns, like Rerun's `Archetype.columns(...).partition(...)`.
 * Example: `columns(Points2D({ positions: allFrames }), { rows: frameCount })`.
 */
export function columns(archetype: Archetype, partition: Partition): ComponentColumn[] {
  return archetype.batches.map((b) => {
    const total = b.codec.count(b.values);
    let lengths: Int32Array;
    if ("rows" in partition) {
      const { rows } = partition;
      if (rows <= 0 || total % rows !== 0) {
        throw new Error(`${b.descriptor.component}: ${total} instances do not split evenly into ${rows} rows`);
      }
      lengths = new Int32Array(rows).fill(total / rows);
    } else {
      lengths = Int32Array.from(partition.lengths);
      const sum = lengths.reduce((a, n) => a + n, 0);
      if (sum !== total) throw new Error(`${b.descriptor.component}: lengths sum to ${sum}, but there are ${total} instances`);
    }
    return { descriptor: b.descriptor, codec: b.codec, values: b.values, lengths };
  });
}
