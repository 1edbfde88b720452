// Python's own data in the recording (scope.log_series, scope.log_events): entities under
// `custom/<name>` on both of the scene's timelines, and the views that show them.
import { columns, Recording, Scalars, TextLog, TextLogView, TimeSeriesView, timeColumn, type BlueprintPart } from "../rerun";
import { archetypeBatches, field, Text } from "../rerun/components";
import type { CustomData } from "../results/custom";

export const CUSTOM = "custom";
export const customEntity = (name: string, series = "") => (series ? `${CUSTOM}/${name}/${series}` : `${CUSTOM}/${name}`);

/** The views of the blueprint's custom tabs: Python's series and its events. */
export function customViews(): BlueprintPart[] {
  return [
    TimeSeriesView({ origin: CUSTOM, name: "Custom series" }),
    TextLogView({ origin: CUSTOM, name: "Custom events" }),
  ];
}

/** The recording the custom data joins (the one the viewer shows). */
export interface StoreIds { applicationId: string; recordingId: string }

/**
 * The RRD stream that adds `data` to the recording `store`: a series' rows as Scalars (rows with
 * NaN left out), an event as a text-log line at its start and one at its end.
 */
export function writeCustom(data: CustomData, store: StoreIds): Uint8Array {
  const rec = new Recording({ ...store, source: "facescope: Python's custom data" });
  if (data.kind === "series") {
    const width = data.series.length;
    data.series.forEach((sub, s) => {
      const rows: number[] = [];
      for (let r = 0; r < data.frameIdx.length; r++) if (!Number.isNaN(data.values[r * width + s])) rows.push(r);
      if (!rows.length) return;
      const times = [
        timeColumn("frame_idx", { sequence: rows.map((r) => data.frameIdx[r]) }),
        timeColumn("time", { duration: rows.map((r) => data.time[r]) }),
      ];
      const values = Float32Array.from(rows, (r) => data.values[r * width + s]);
      rec.sendColumns(customEntity(data.name, sub), times, columns(Scalars(values), { rows: rows.length }));
    });
  } else {
    data.labels.forEach((label, i) => {
      const span = `${data.startTime[i].toFixed(2)}–${data.endTime[i].toFixed(2)} s`;
      at(rec, data.startFrame[i], data.startTime[i]);
      rec.log(customEntity(data.name), TextLog(`${label} starts (${span})`, { level: "INFO" }));
      at(rec, data.endFrame[i], data.endTime[i]);
      rec.log(customEntity(data.name), TextLog(`${label} ends`, { level: "DEBUG" }));
    });
  }
  return rec.flush() ?? new Uint8Array();
}

/** An entity `writeCustom` wrote: series rows are Scalars, events text-log lines. */
export interface CustomPath { path: string; kind: "series" | "events" }

/** The entities `writeCustom(data)` writes (a series with no finite value writes none). */
export function customPaths(data: CustomData): CustomPath[] {
  if (data.kind === "events") return data.labels.length ? [{ path: customEntity(data.name), kind: "events" }] : [];
  const width = data.series.length;
  return data.series
    .filter((_, s) => data.frameIdx.some((_, r) => !Number.isNaN(data.values[r * width + s])))
    .map((sub) => ({ path: customEntity(data.name, sub), kind: "series" }));
}

/**
 * The stream that hides `paths` in a live viewer: an empty, *static* Scalars or TextLog on each.
 * A Clear cannot do it: time-series and text-log views run range queries, which return rows
 * logged before a Clear (Rerun 0.33 only breaks the plot's line there), while static data
 * shadows every temporal row of the same component in latest-at and range queries alike. The
 * viewer cannot drop rows, so a later log of the same name must use another path (`customChannel`).
 */
export function writeCustomShadow(paths: readonly CustomPath[], store: StoreIds): Uint8Array {
  const rec = new Recording({ ...store, source: "facescope: Python's custom data" });
  for (const { path, kind } of paths) {
    const empty = kind === "series" ? Scalars(new Float32Array(0)) : archetypeBatches("TextLog", [field("text", Text, [])]);
    rec.log(path, empty, { static: true });
  }
  return rec.flush() ?? new Uint8Array();
}

function at(rec: Recording, frame: number, seconds: number): void {
  rec.setTime("frame_idx", { sequence: frame });
  rec.setTime("time", { duration: seconds });
}
