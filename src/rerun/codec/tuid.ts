/** Byte and text forms of Rerun's TUID (128-bit time-ordered id: u64 nanoseconds + u64 counter). */

/** A TUID. Ordering is (timeNs, inc) as one u128. */
export interface Tuid {
  readonly timeNs: bigint;
  readonly inc: bigint;
}

const U64 = (1n << 64n) - 1n;

/** `{:016X}{:016x}`: upper-case time half, lower-case counter half; the form `rerun:id` metadata uses. */
export function tuidToHex(t: Tuid): string {
  return t.timeNs.toString(16).toUpperCase().padStart(16, "0") + t.inc.toString(16).padStart(16, "0");
}

/**
 * Big-endian 16-byte cells for `count` consecutive TUIDs starting at `first` (inc, inc+1, …), the
 * layout of the `rerun.controls.RowId` FixedSizeBinary(16) column. The counter carries into the time
 * half on overflow so the sequence stays strictly increasing as a u128.
 */
export function packTuidRange(first: Tuid, count: number): Uint8Array {
  const out = new Uint8Array(count * 16);
  const view = new DataView(out.buffer);
  let time = first.timeNs;
  let inc = first.inc;
  for (let i = 0; i < count; i++) {
    view.setBigUint64(i * 16, time);
    view.setBigUint64(i * 16 + 8, inc);
    if (inc === U64) {
      inc = 0n;
      time += 1n;
    } else {
      inc += 1n;
    }
  }
  return out;
}

/** Big-endian 16-byte cells for arbitrary TUIDs, in the given order. */
export function packTuids(ids: readonly Tuid[]): Uint8Array {
  const out = new Uint8Array(ids.length * 16);
  const view = new DataView(out.buffer);
  ids.forEach((t, i) => {
    view.setBigUint64(i * 16, t.timeNs);
    view.setBigUint64(i * 16 + 8, t.inc);
  });
  return out;
}

/** Reads back one big-endian TUID cell (for tests and inspection). */
export function readTuidBE(bytes: Uint8Array, offset = 0): Tuid {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 16);
  return { timeNs: view.getBigUint64(0), inc: view.getBigUint64(8) };
}
