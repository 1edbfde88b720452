import { inspectRrd } from "../rerun";
import { writeCustom, writeCustomClear } from "./customEntities";

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
    const rows = rrd.chunks.filter((c) => c.entityPath === "/custom/episodes").reduce((n, c) => n + c.table.numRows, 0);
    expect(rows).toBe(2);
  });

  it("clears one name or everything custom", () => {
    expect(inspectRrd(writeCustomClear("smile", store)).chunks[0].entityPath).toBe("/custom/smile");
    expect(inspectRrd(writeCustomClear(null, store)).chunks[0].entityPath).toBe("/custom");
  });
});
