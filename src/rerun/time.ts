/** Timelines and time values. All times are stored as i64: sequence numbers or nanoseconds. */

/** The three kinds of Rerun timeline and their Arrow index types. */
export type TimelineKind = "sequence" | "duration" | "timestamp";

export interface Timeline {
  readonly name: string;
  readonly kind: TimelineKind;
}

/**
 * A time point on one timeline, in the units Rerun's Python SDK uses: `sequence` integers,
 * `duration` seconds, `timestamp` seconds since the Unix epoch (or a Date). The `…Ns` forms take
 * exact nanoseconds as bigint.
 */
export type TimeValue =
  | { sequence: number | bigint }
  | { duration: number }
  | { durationNs: bigint }
  | { timestamp: number | Date }
  | { timestampNs: bigint };

/** Many time points on one timeline, for columnar logging. */
export type TimeValues =
  | { sequence: ArrayLike<number> | BigInt64Array }
  | { duration: ArrayLike<number> }
  | { durationNs: BigInt64Array }
  | { timestamp: ArrayLike<number> }
  | { timestampNs: BigInt64Array };

const secondsToNs = (s: number) => BigInt(Math.round(s * 1e9));

export function timeKind(v: TimeValue | TimeValues): TimelineKind {
  if ("sequence" in v) return "sequence";
  if ("duration" in v || "durationNs" in v) return "duration";
  return "timestamp";
}

/** The i64 form of one time value. */
export function timeToI64(v: TimeValue): bigint {
  if ("sequence" in v) return BigInt(v.sequence);
  if ("duration" in v) return secondsToNs(v.duration);
  if ("durationNs" in v) return v.durationNs;
  if ("timestamp" in v) return secondsToNs(v.timestamp instanceof Date ? v.timestamp.getTime() / 1000 : v.timestamp);
  return v.timestampNs;
}

/** The i64 form of many time values. */
export function timesToI64(v: TimeValues): BigInt64Array {
  if ("durationNs" in v) return v.durationNs;
  if ("timestampNs" in v) return v.timestampNs;
  if ("sequence" in v) {
    if (v.sequence instanceof BigInt64Array) return v.sequence;
    return BigInt64Array.from(Array.from(v.sequence, (n) => BigInt(n)));
  }
  const seconds = "duration" in v ? v.duration : v.timestamp;
  return BigInt64Array.from(Array.from(seconds, secondsToNs));
}

/** One timeline's values for every row of a columnar send. */
export interface TimeColumn {
  readonly timeline: Timeline;
  readonly values: BigInt64Array;
}

/** Builds a time column, e.g. `timeColumn("frame_idx", { sequence: [0, 1, 2] })`. */
export function timeColumn(name: string, values: TimeValues): TimeColumn {
  return { timeline: { name, kind: timeKind(values) }, values: timesToI64(values) };
}
