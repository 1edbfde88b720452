/** Recording.end(): the footer that closes a recording's file, and the manifests in it. */
import { tableFromIPC, type Table } from "apache-arrow";
import { AnyValues, Blueprint, MemorySink, Points2D, Recording, Scalars, Spatial2DView, ViewerChannelSink } from "./index";
import { decodeStreams, MessageKind } from "./codec/framing";
import { readRrdFooter } from "./codec/footer";
import { sha256 } from "./codec/hashes";
import { decodeArrowMsg, decodeStoreId } from "./codec/messages";
import { readTuidBE } from "./codec/tuid";
import { schemaIpc } from "./manifest";

function recorded() {
  const rec = new Recording({ applicationId: "app", recordingId: "rec-1" });
  const file = new MemorySink();
  const sent: Uint8Array[] = [];
  rec.addSink(file);
  rec.addSink(new ViewerChannelSink({ send_rrd: (b) => sent.push(b) }));
  rec.log("ctx", Scalars(9), { static: true });
  for (let i = 0; i < 3; i++) {
    rec.setTime("frame", { sequence: 10 + i });
    rec.setTime("t", { duration: i * 0.5 });
    rec.log("pts", [Points2D({ positions: [[i, i]], radii: i === 1 ? 2 : undefined }), AnyValues({ score: i })]);
  }
  rec.flush();
  rec.setTime("frame", { sequence: 20 });
  rec.log("pts", Points2D({ positions: [[0, 0]] }));
  rec.sendBlueprint(new Blueprint(Spatial2DView({ origin: "pts" })));
  rec.flush();
  const tail = rec.end();
  return { rec, bytes: file.bytes(), sent, tail };
}

const { rec, bytes, sent, tail } = recorded();
const manifests = readRrdFooter(bytes)!;
const byKind = (kind: number) => manifests.find((m) => decodeStoreId(m.storeIdBytes).kind === kind)!;
const frame = (m: (typeof manifests)[number]): Table => tableFromIPC(m.dataIpc);
const col = (t: Table, name: string) => {
  const c = t.getChild(name);
  if (!c) throw new Error(`no column ${name} in ${t.schema.fields.map((f) => f.name).join(", ")}`);
  return c.toArray() as ArrayLike<unknown>;
};

test("the file is the first flush, the later ones without header, then the footer; the viewer got no footer", () => {
  expect(bytes.length).toBe(sent[0].length + sent[1].length - 12 + tail.length);
  expect(bytes.subarray(bytes.length - tail.length)).toEqual(tail);
  for (const s of sent) expect(decodeStreams(s).every((d) => d.footer === undefined)).toBe(true);
  const [one, ...more] = decodeStreams(bytes);
  expect(more).toHaveLength(0);
  expect(one.footer).toBeDefined();
});

test("one manifest per store with chunks: the recording and its blueprint", () => {
  expect(manifests.map((m) => decodeStoreId(m.storeIdBytes)).sort((a, b) => a.kind - b.kind)).toEqual([
    { kind: 1, applicationId: "app", recordingId: "rec-1" },
    { kind: 2, applicationId: "app", recordingId: expect.any(String) },
  ]);
});

test("every manifest row points at the ArrowMsg body of the chunk it names", () => {
  const arrowMsgs = decodeStreams(bytes)[0].messages.filter((m) => m.kind === MessageKind.ArrowMsg).length;
  let rows = 0;
  for (const m of manifests) {
    const t = frame(m);
    const [offsets, sizes, ids] = [col(t, "chunk_byte_offset"), col(t, "chunk_byte_size"), t.getChild("chunk_id")!];
    for (let i = 0; i < t.numRows; i++) {
      const msg = decodeArrowMsg(bytes.subarray(Number(offsets[i]), Number(offsets[i]) + Number(sizes[i])));
      expect(msg.chunkId).toEqual(readTuidBE(ids.get(i) as Uint8Array));
      expect(Number(col(t, "chunk_byte_size_uncompressed")[i])).toBe(msg.payload.length);
      rows++;
    }
  }
  expect(rows).toBe(arrowMsgs);
});

test("recording manifest: Rerun's columns, ranges per timeline and component, static flags", () => {
  const t = frame(byKind(1));
  expect(t.schema.fields.slice(0, 7).map((f) => `${f.name}:${f.type}:${f.nullable}`)).toEqual([
    "chunk_entity_path:Utf8:false", "chunk_id:FixedSizeBinary[16]:false", "chunk_is_static:Bool:false",
    "chunk_num_rows:Uint64:false", "chunk_byte_offset:Uint64:false", "chunk_byte_size:Uint64:false", "chunk_byte_size_uncompressed:Uint64:false",
  ]);
  const names = t.schema.fields.map((f) => f.name);
  expect(names).toContain("Scalars:scalars:has_static_data");
  expect(names).toContain("frame:start");
  expect(names).toContain("t:Points2D:radii:num_rows");
  expect(names.filter((n) => n.endsWith(":start") && !n.includes(":", n.indexOf(":") + 1)))
    .toEqual(["frame:start", "t:start"]); // chunk-level ranges, timelines sorted
  const rows = Array.from({ length: t.numRows }, (_, i) => Object.fromEntries(t.schema.fields.map((f) => [f.name, t.getChild(f.name)!.get(i)])));
  const ctx = rows.find((r) => r.chunk_entity_path === "/ctx")!;
  expect(ctx).toMatchObject({ chunk_is_static: true, "Scalars:scalars:has_static_data": true, "frame:start": null });
  const first = rows.find((r) => r.chunk_entity_path === "/pts" && r.chunk_num_rows === 3n)!;
  expect(first).toMatchObject({
    chunk_is_static: false, "frame:start": 10n, "frame:end": 12n, "frame:Points2D:radii:start": 11n,
    "frame:Points2D:radii:num_rows": 1n, "frame:Points2D:positions:num_rows": 3n, "frame:score:num_rows": 3n,
    "Points2D:positions:has_static_data": false,
  });
  const later = rows.find((r) => r.chunk_entity_path === "/pts" && r.chunk_num_rows === 1n)!;
  expect(later).toMatchObject({ "frame:start": 20n, "frame:Points2D:radii:start": null, "frame:Points2D:radii:num_rows": 0n });
  const meta = Object.fromEntries(t.schema.fields.find((f) => f.name === "frame:Points2D:positions:start")!.metadata);
  expect(meta).toEqual({
    "rerun:index": "frame", "rerun:archetype": "rerun.archetypes.Points2D", "rerun:component": "Points2D:positions",
    "rerun:component_type": "rerun.components.Position2D",
  });
});

test("sorbet schema: dataframe columns named entity:component, flags merged, sha256 of the sorted schema", () => {
  const m = byKind(1);
  const schema = tableFromIPC(m.sorbetSchemaIpc).schema;
  const field = (name: string) => Object.fromEntries(schema.fields.find((f) => f.name === name)!.metadata);
  expect(schema.fields.map((f) => f.name)).toEqual(
    ["/ctx:Scalars:scalars", "/pts:Points2D:positions", "/pts:Points2D:radii", "/pts:score", "frame", "rerun.controls.RowId", "t"]);
  expect(field("/ctx:Scalars:scalars")).toMatchObject({ "rerun:is_static": "true", "rerun:entity_path": "/ctx", "rerun:kind": "data" });
  expect(field("/pts:Points2D:radii")["rerun:is_static"]).toBeUndefined();
  expect(field("frame")).toEqual({ "rerun:index_name": "frame", "rerun:kind": "index" });
  expect(field("rerun.controls.RowId")["rerun:is_sorted"]).toBeUndefined();
  expect(m.sorbetSchemaSha256).toEqual(sha256(schemaIpc(schema, false)));
});

test("nothing can be logged, flushed or ended after end()", () => {
  expect(() => rec.log("x", Scalars(1), { static: true })).toThrow(/ended/);
  expect(() => rec.flush()).toThrow(/ended/);
  expect(() => rec.end()).toThrow(/ended/);
});

test("a recording ended before any flush is still a file: its store info, then an empty footer", () => {
  const r = new Recording({ applicationId: "app", recordingId: "empty" });
  const file = new MemorySink();
  r.addSink(file);
  r.end();
  const [only] = decodeStreams(file.bytes());
  expect(only.messages.map((m) => m.kind)).toEqual([MessageKind.SetStoreInfo]);
  expect(readRrdFooter(file.bytes())).toEqual([]);
});

test("end() flushes what is pending first, so nothing logged is left out of the file", () => {
  const r = new Recording({ applicationId: "app", recordingId: "pending" });
  const file = new MemorySink();
  r.addSink(file);
  r.log("a", Scalars(1), { static: true });
  r.flush();
  r.log("b", Scalars(2), { static: true });
  r.end();
  const rows = readRrdFooter(file.bytes())!.map((m) => tableFromIPC(m.dataIpc).getChild("chunk_entity_path")!.toArray());
  expect(rows.flat()).toEqual(["/a", "/b"]);
});
