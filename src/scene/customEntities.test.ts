import { inspectRrd } from "../rerun";
import { customPaths, writeCustom, writeCustomShadow } from "./customEntities";

const store = { applicationId: "facescope", recordingId: "rec-1" };

describe("writeCustom", () => {
  it("writes each series under custom/<name> on both timelines, leaving out NaN rows", () => {
    const rrd = inspectRrd(writeCustom({
      kind: "series", name: "smile", series: ["0", "1"],
      frameIdx: Int32Array.of(3, 4, 7), time: Float64Array.of(0.12, 0.16, 0.28),
      values: Float32Array.of(0.5, NaN, 0.25, 1, 0.125, 2),
    }, store));
    expect(rrd.storeInfos[0].storeId).toMatchObject({ applicationId: "facescope", recordingId: "rec-1" });
    const byPath = new Map(rrd.chunks.map((c) => [c.entityPath, c.table]));
    expect([...byPath.keys()].sort()).toEqual(["/custom/smile/0", "/custom/smile/1"]);
    const one = byPath.get("/custom/smile/1")!;
    expect(one.numRows).toBe(2);
    expect(Array.from(one.getChild("frame_idx")!.toArray() as BigInt64Array, Number)).toEqual([4, 7]);
    expect(Array.from(one.getChild("time")!.toArray() as BigInt64Array, Number)).toEqual([160_000_000, 280_000_000]);
  });

  it("writes an event as a line at its start and one at its end", () => {
    const rrd = inspectRrd(writeCustom({
      kind: "events", name: "episodes", labels: ["smile"],
      startFrame: Int32Array.of(10), startTime: Float64Array.of(0.4), endFrame: Int32Array.of(20), endTime: Float64Array.of(0.8),
    }, store));
    const lines: Array<[number, string]> = [];
    for (const { table } of rrd.chunks.filter((c) => c.entityPath === "/custom/episodes")) {
      const text = table.schema.fields.find((f) => f.metadata.get("rerun:component") === "TextLog:text")!.name;
      for (let r = 0; r < table.numRows; r++) {
        lines.push([Number(table.getChild("frame_idx")!.get(r)), String(table.getChild(text)!.get(r).get(0))]);
      }
    }
    expect(lines).toEqual([[10, "smile starts (0.40–0.80 s)"], [20, "smile ends"]]);
  });

  it("lists the paths it writes: series with a value, and the events' entity", () => {
    const series = { kind: "series" as const, name: "smile", series: ["0", "1"], frameIdx: Int32Array.of(3), time: Float64Array.of(0.12), values: Float32Array.of(NaN, 1) };
    expect(customPaths(series)).toEqual([{ path: "custom/smile/1", kind: "series" }]);
    const events = { kind: "events" as const, name: "ep", labels: ["a"], startFrame: Int32Array.of(1), startTime: Float64Array.of(0), endFrame: Int32Array.of(2), endTime: Float64Array.of(1) };
    expect(customPaths(events)).toEqual([{ path: "custom/ep", kind: "events" }]);
  });

  it("hides paths under a static, empty row of their component (no time column)", () => {
    const rrd = inspectRrd(writeCustomShadow([{ path: "custom/smile/1", kind: "series" }, { path: "custom/ep", kind: "events" }], store));
    const byPath = new Map(rrd.chunks.map((c) => [c.entityPath, c.table]));
    expect([...byPath.keys()].sort()).toEqual(["/custom/ep", "/custom/smile/1"]);
    for (const [path, component] of [["/custom/smile/1", "Scalars:scalars"], ["/custom/ep", "TextLog:text"]]) {
      const table = byPath.get(path)!;
      expect(table.numRows).toBe(1);
      expect(table.schema.fields.map((f) => f.name)).not.toContain("frame_idx");
      const column = table.schema.fields.find((f) => f.metadata.get("rerun:component") === component);
      expect(column).toBeDefined();
      expect(table.getChild(column!.name)!.get(0)).toHaveLength(0);
    }
  });
});
