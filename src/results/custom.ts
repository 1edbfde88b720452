// Python's own data for the viewer (scope.log_series, scope.log_events), once decoded: what the
// scene writes under custom/<name>. The bytes' layout is sync/customCodec.ts's.

export interface CustomSeries {
  kind: "series";
  name: string;
  /** Sub-paths under custom/<name>: "" for a single series, else a column, a face id or face/column. */
  series: string[];
  frameIdx: Int32Array;
  time: Float64Array;
  /** Row-major rows × series. */
  values: Float32Array;
}

export interface CustomEvents {
  kind: "events";
  name: string;
  labels: string[];
  startFrame: Int32Array;
  startTime: Float64Array;
  endFrame: Int32Array;
  endTime: Float64Array;
}

export type CustomData = CustomSeries | CustomEvents;
