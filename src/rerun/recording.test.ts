/** Recording behaviour: timelines, chunk schema, batching, columns, ids, flushes and sinks. */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  AnyValues, columns, MemorySink, Points2D, readFrameTimestampsNs, readMp4VideoInfo, Recording, Scalars, timeColumn,
  ViewerChannelSink,
} from "./index";
import { decodeStreams } from "./codec/framing";
import { readTuidBE, tuidToHex } from "./codec/tuid";
import { inspectRrd } from "./inspect";
import { chunksFor, column, describeType, fieldOf, onlyChunk } from "./test-support";

const rec = () => new Recording({ applicationId: "app", recordingId: "rec-1" });
const u128 = (cell: Uint8Array) => {
  const t = readTuidBE(cell);
  return (t.timeNs << 64n) | t.inc;
};
const rowIds = (table: ReturnType<typeof onlyChunk>["table"]) =>
  Array.from({ length: table.numRows }, (_, i) => u128(table.getChild("rerun.controls.RowId")!.get(i) as Uint8Array));

describe("chunk schema", () => {
  const r = rec();
  r.setTime("frame", { sequence: 7 });
  r.setTime("elapsed", { duration: 0.25 });
  r.setTime("wall", { timestampNs: 1_700_000_000_123_456_789n });
  r.log("/a/b/", Points2D({ positions: [[1, 2]] }));
  const chunk = onlyChunk(r.flush()!, "/a/b");

  test("batch metadata: sorbet version, chunk id (matching the ArrowMsg), entity path", () => {
    const meta = Object.fromEntries(chunk.table.schema.metadata);
    expect(meta).toEqual({ "sorbet:version": "0.1.3", "rerun:id": tuidToHex(chunk.message.chunkId), "rerun:entity_path": "/a/b" });
    expect(meta["rerun:id"]).toMatch(/^[0-9A-F]{16}[0-9a-f]{16}$/);
  });

  test("row id column first: non-null FixedSizeBinary(16) tagged as a TUID", () => {
    const f = chunk.table.schema.fields[0];
    expect([f.name, describeType(f.type), f.nullable]).toEqual(["rerun.controls.RowId", "FixedSizeBinary[16]", false]);
    expect(Object.fromEntries(f.metadata)).toEqual({
      "rerun:kind": "control", "ARROW:extension:name": "rerun.datatypes.TUID",
      "ARROW:extension:metadata": '{"namespace":"row"}', "rerun:is_sorted": "true",
    });
  });

  test.each([
    ["frame", "Int64", 7n],
    ["elapsed", "Duration<NANOSECOND>", 250_000_000n],
    ["wall", "Timestamp<NANOSECOND>", 1_700_000_000_123_456_789n],
  ])("index column %s: %s with index metadata", (name, type, value) => {
    const f = fieldOf(chunk.table, name);
    expect(describeType(f.type)).toBe(type);
    expect(Object.fromEntries(f.metadata)).toEqual({ "rerun:kind": "index", "rerun:index_name": name, "rerun:is_sorted": "true" });
    expect(chunk.table.getChild(name)!.data[0].values[0]).toBe(value);
  });

  test("index columns come right after the row id, components after them", () => {
    const kinds = chunk.table.schema.fields.map((f) => f.metadata.get("rerun:kind"));
    expect(kinds).toEqual(["control", "index", "index", "index", "data"]);
  });
});

describe("row logging", () => {
  test("rows of one entity share a chunk; components missing from a row are null cells", () => {
    const r = rec();
    for (let i = 0; i < 3; i++) {
      r.setTime("frame", { sequence: i });
      r.log("e", i === 1 ? Scalars(i) : [Scalars(i), Points2D({ positions: [i, i] })]);
    }
    const { table } = onlyChunk(r.flush()!, "/e");
    expect(table.numRows).toBe(3);
    expect(column(table, "Scalars:scalars")).toEqual([[0], [1], [2]]);
    expect(column(table, "Points2D:positions")).toEqual([[[0, 0]], null, [[2, 2]]]);
    expect(column(table, "frame")).toEqual([0n, 1n, 2n]);
  });

  test("static rows get a static chunk with no index columns", () => {
    const r = rec();
    r.log("s", Scalars(1), { static: true });
    const chunk = onlyChunk(r.flush()!, "/s");
    expect(chunk.message.isStatic).toBe(true);
    expect(chunk.table.schema.fields.map((f) => f.name)).toEqual(["rerun.controls.RowId", "Scalars:scalars"]);
  });

  test("a component changing its Arrow type starts a new chunk", () => {
    const r = rec();
    r.setTime("frame", { sequence: 0 });
    r.log("e", AnyValues({ v: 1 }));
    r.log("e", AnyValues({ v: "text" }));
    expect(chunksFor(r.flush()!, "/e").map((c) => describeType(c.table.schema.fields[2].type))).toEqual(["List<item?: Float64>", "List<item?: Utf8>"]);
  });

  test("unsorted times are not marked sorted", () => {
    const r = rec();
    for (const t of [2, 1]) {
      r.setTime("frame", { sequence: t });
      r.log("e", Scalars(t));
    }
    expect(fieldOf(onlyChunk(r.flush()!, "/e").table, "frame").metadata.get("rerun:is_sorted")).toBeUndefined();
  });

  test("logging without a time (and not static) is an error, as is changing a timeline's kind", () => {
    const r = rec();
    expect(() => r.log("e", Scalars(1))).toThrow(/no time set/);
    r.setTime("t", { sequence: 1 });
    expect(() => r.setTime("t", { duration: 1 })).toThrow(/sequence timeline/);
  });
});

describe("columnar logging", () => {
  test("one chunk holds every row; instances split evenly or by explicit lengths", () => {
    const r = rec();
    r.sendColumns("c", [timeColumn("frame", { sequence: [0, 1, 2] }), timeColumn("t", { duration: [0, 0.5, 1] })], [
      ...columns(Points2D({ positions: Float32Array.from({ length: 12 }, (_, i) => i), radii: [1, 2, 3] }), { rows: 3 }),
      ...columns(Points2D({ classIds: [1, 2, 3] }), { lengths: [0, 1, 2] }),
    ]);
    const { table, message } = onlyChunk(r.flush()!, "/c");
    expect(message.isStatic).toBe(false);
    expect(table.numRows).toBe(3);
    expect(column(table, "Points2D:positions")).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9], [10, 11]]]);
    expect(column(table, "Points2D:radii")).toEqual([[1], [2], [3]]);
    expect(column(table, "Points2D:class_ids")).toEqual([[], [1], [2, 3]]);
    expect(column(table, "t")).toEqual([0n, 500_000_000n, 1_000_000_000n]);
  });

  test("uneven splits and mismatched lengths are rejected", () => {
    expect(() => columns(Scalars([1, 2, 3]), { rows: 2 })).toThrow(/evenly/);
    expect(() => columns(Scalars([1, 2, 3]), { lengths: [1, 1] })).toThrow(/sum/);
    const r = rec();
    expect(() => r.sendColumns("c", [timeColumn("f", { sequence: [0, 1] })], columns(Scalars([1, 2, 3]), { rows: 3 }))).toThrow(/rows/);
  });
});

describe("ids", () => {
  test("row ids are unique and increase from flush to flush; chunk ids are unique", () => {
    const r = rec();
    const perFlush: bigint[][] = [];
    const chunkIds = new Set<string>();
    for (let flush = 0; flush < 3; flush++) {
      for (let i = 0; i < 4; i++) {
        r.setTime("frame", { sequence: i });
        r.log(`e${i % 2}`, Scalars(i));
      }
      r.sendColumns("c", [timeColumn("frame", { sequence: [0, 1] })], columns(Scalars([1, 2]), { rows: 2 }));
      const ids: bigint[] = [];
      for (const c of inspectRrd(r.flush()!).chunks) {
        chunkIds.add(tuidToHex(c.message.chunkId));
        ids.push(...rowIds(c.table));
      }
      perFlush.push(ids);
    }
    expect(chunkIds.size).toBe(9);
    const all = perFlush.flat();
    expect(new Set(all).size).toBe(all.length);
    // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take
    const max = (a: bigint[]) => a.reduce((x, y) => (x > y ? x : y));
    // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min does not take
    const min = (a: bigint[]) => a.reduce((x, y) => (x < y ? x : y));
    expect(max(perFlush[0]) < min(perFlush[1]) && max(perFlush[1]) < min(perFlush[2])).toBe(true);
  });

  test("ids of consecutive log calls are strictly increasing", () => {
    const r = rec();
    r.setTime("frame", { sequence: 0 });
    for (let i = 0; i < 50; i++) r.log("e", Scalars(i));
    const ids = rowIds(onlyChunk(r.flush()!, "/e").table);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
  });
});

describe("flushes and sinks", () => {
  test("each flush is a complete stream starting with the store info; nothing new gives null", () => {
    const r = new Recording({ applicationId: "app", recordingId: "rec-1", source: "unit test" });
    r.log("s", Scalars(1), { static: true });
    const first = r.flush()!;
    expect(r.flush()).toBeNull();
    r.log("s", Scalars(2), { static: true });
    const second = r.flush()!;
    for (const bytes of [first, second]) {
      const rrd = inspectRrd(bytes);
      expect(Buffer.from(bytes.subarray(0, 12)).toString("hex")).toBe("525246320021000000020000");
      expect(rrd.kinds).toEqual([1, 2]);
      expect(rrd.storeInfos[0]).toMatchObject({
        storeId: { kind: 1, applicationId: "app", recordingId: "rec-1" }, source: "unit test", version: [0, 33, 0, 0],
      });
      expect(rrd.chunks[0].message.storeId).toEqual({ kind: 1, applicationId: "app", recordingId: "rec-1" });
    }
  });

  test("memory sink joins the flushes into one stream (one readable .rrd); channel sink calls send_rrd per flush", () => {
    const r = rec();
    const memory = new MemorySink();
    const sent: Uint8Array[] = [];
    r.addSink(memory);
    r.addSink(new ViewerChannelSink({ send_rrd: (b) => sent.push(b) }));
    for (let i = 0; i < 2; i++) {
      r.log("s", Scalars(i), { static: true });
      r.flush();
    }
    expect(sent).toHaveLength(2);
    expect(memory.byteLength).toBe(sent[0].length + sent[1].length - 12); // the second stream's header is dropped
    const [single, ...more] = decodeStreams(memory.bytes());
    expect(more).toHaveLength(0);
    expect(single.messages).toHaveLength(decodeStreams(sent[0]).concat(decodeStreams(sent[1])).flatMap((d) => d.messages).length);
    expect(inspectRrd(memory.bytes()).chunks.map((c) => column(c.table, "Scalars:scalars")[0])).toEqual([[0], [1]]);
  });

  test("recording ids default to random UUIDs", () => {
    expect(new Recording({ applicationId: "a" }).recordingId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("MP4 frame timestamps", () => {
  const shared = process.env.FACESCOPE_SHARED ?? resolve(__dirname, "..", "..", "..", "shared");
  const clip = resolve(shared, "media", "a_talking_grid_s1_bbaf2n.mp4");
  const maybe = existsSync(clip) ? test : test.skip;

  maybe("presentation times of a 25 fps H.264 clip with B-frames start at 0 and step 40 ms", () => {
    const info = readMp4VideoInfo(readFileSync(clip));
    expect(info.codec).toMatch(/^avc1\./);
    expect([info.width, info.height]).toEqual([360, 288]);
    expect(info.frameTimestampsNs.length).toBe(75);
    expect(Array.from(info.frameTimestampsNs, (t, i) => t - BigInt(i) * 40_000_000n).every((d) => d === 0n)).toBe(true);
  });

  test("non-MP4 input is an error", () => {
    expect(() => readFrameTimestampsNs(new TextEncoder().encode("definitely not a video"))).toThrow(/MP4/);
    expect(() => readFrameTimestampsNs(new Uint8Array())).toThrow(/MP4/);
  });
});
