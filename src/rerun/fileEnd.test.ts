/** fileEndOf(): a file's tail rebuilt from its bytes, for files the kernel joins from two writers. */
import { tableFromIPC } from "apache-arrow";
import { readRrdFooter } from "./codec/footer";
import { streamContinuation } from "./codec/framing";
import { decodeStoreId } from "./codec/messages";
import { fileEndOf } from "./fileEnd";
import { Blueprint, MemorySink, Points2D, Recording, Scalars, Spatial2DView, TextLog } from "./index";

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function analysis() {
  const rec = new Recording({ applicationId: "app", recordingId: "rec-1" });
  const sink = new MemorySink();
  rec.addSink(sink);
  rec.log("ctx", Scalars(9), { static: true });
  for (let i = 0; i < 3; i++) {
    rec.setTime("frame_idx", { sequence: i });
    rec.log("pts", Points2D({ positions: [[i, i]] }));
  }
  rec.sendBlueprint(new Blueprint(Spatial2DView({ origin: "pts" })));
  rec.flush();
  const tail = rec.end();
  return { head: sink.bytes().subarray(0, sink.bytes().length - tail.length), tail };
}

test("the tail rebuilt from a writer's own file is the tail that writer wrote, byte for byte", () => {
  const { head, tail } = analysis();
  expect(fileEndOf(head)).toEqual(tail);
});

test("a file joined from the analysis and another writer's stream of the same store lists every chunk at its offset", () => {
  const { head } = analysis();
  const custom = new Recording({ applicationId: "app", recordingId: "rec-1" });
  custom.setTime("frame_idx", { sequence: 2 });
  custom.log("custom/note", TextLog("hello"));
  const joined = concat(head, streamContinuation(custom.flush()!));
  const file = concat(joined, fileEndOf(joined));
  const recording = readRrdFooter(file)!.find((m) => decodeStoreId(m.storeIdBytes).kind === 1)!;
  const rows = tableFromIPC(recording.dataIpc);
  const paths = [...(rows.getChild("chunk_entity_path")!.toArray() as string[])];
  expect(paths).toEqual(expect.arrayContaining(["/ctx", "/pts", "/custom/note"]));
  const offsets = rows.getChild("chunk_byte_offset")!.toArray() as BigUint64Array;
  const noteAt = Number(offsets[paths.indexOf("/custom/note")]);
  expect(noteAt).toBeGreaterThan(head.length); // the custom chunk sits after the analysis's bytes
  expect(rows.getChild("frame_idx:end")!.get(paths.indexOf("/custom/note"))).toBe(2n);
});

test("bytes that are not one stream of messages are refused, not given a wrong footer", () => {
  const { head, tail } = analysis();
  expect(() => fileEndOf(concat(head, tail))).toThrow(/message kind 0/);
  expect(() => fileEndOf(head.subarray(0, head.length - 3))).toThrow(/truncated/);
  expect(() => fileEndOf(new Uint8Array([1, 2, 3]))).toThrow(/RRF2/);
});
