// Python's own data for the viewer (scope.log_series, scope.log_events), as the kernel packs it in
// facescope/_codec.py (encode_custom): the results message's layout under the magic "FSCC".
//   0  "FSCC"  4 u32 version  8 u32 header length  12 header JSON {format, version, kind, name, rows,
//   columns, series | labels}, then columns 8-byte aligned (offsets from byte 0).
// Series: frame_idx <i4, time <f8 (seconds) per row, values <f4 rows × series (NaN: not logged).
// Events: start_frame, end_frame <i4 and start_time, end_time <f8 per event; labels in the header.

export const CUSTOM_MAGIC = "FSCC";
export const CUSTOM_VERSION = 1;

import type { CustomData, CustomEvents, CustomSeries } from "../results/custom";

export type { CustomData, CustomEvents, CustomSeries };

interface Entry { name: string; dtype: string; shape: number[]; offset: number; nbytes: number }

const ARRAYS = { "<i4": Int32Array, "<f4": Float32Array, "<f8": Float64Array } as const;

/** Decodes one message; throws with the reason for bytes that are not one. */
export function decodeCustom(bytes: Uint8Array): CustomData {
  if (bytes.length < 12) throw new Error("custom data: shorter than its preamble");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== CUSTOM_MAGIC) throw new Error("custom data: bad magic");
  const version = view.getUint32(4, true);
  if (version !== CUSTOM_VERSION) throw new Error(`custom data version ${version}, this reader knows ${CUSTOM_VERSION}`);
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
    kind: string; name: string; rows: number; columns: Entry[]; series?: string[]; labels?: string[];
  };
  const column = (name: string): Int32Array | Float32Array | Float64Array => {
    const e = header.columns.find((c) => c.name === name);
    if (!e || !(e.dtype in ARRAYS)) throw new Error(`custom data: no column ${name}`);
    const Type = ARRAYS[e.dtype as keyof typeof ARRAYS];
    if (e.offset + e.nbytes > bytes.length || e.nbytes % Type.BYTES_PER_ELEMENT) throw new Error(`custom data: column ${name} is truncated`);
    // A copy: the message's buffer may not be aligned for a typed view (a comm buffer's offset is arbitrary).
    return new Type(bytes.slice(e.offset, e.offset + e.nbytes).buffer);
  };
  if (header.kind === "series") {
    const series = header.series ?? [];
    const values = column("values") as Float32Array;
    if (values.length !== header.rows * series.length) throw new Error("custom data: values do not match rows × series");
    return { kind: "series", name: header.name, series, frameIdx: column("frame_idx") as Int32Array, time: column("time") as Float64Array, values };
  }
  if (header.kind === "events") {
    return {
      kind: "events", name: header.name, labels: header.labels ?? [],
      startFrame: column("start_frame") as Int32Array, startTime: column("start_time") as Float64Array,
      endFrame: column("end_frame") as Int32Array, endTime: column("end_time") as Float64Array,
    };
  }
  throw new Error(`custom data: unknown kind ${header.kind}`);
}
