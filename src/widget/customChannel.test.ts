// The view's side of log_series: bytes from the kernel's encoder in, RRD to the viewer and back out.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { WidgetModel } from "../kernel/model";
import { fileEndOf, inspectRrd, MemorySink, Recording, Scalars, streamContinuation } from "../rerun";
import { listenForCustom } from "./customChannel";

const ROOT = join(__dirname, "..", "..");
const PYTHON = join(ROOT, ".venv", "bin", "python");
const SERIES = `import sys
from facescope._codec import encode_custom
sys.stdout.buffer.write(encode_custom("series", "smile", {"frame_idx": [1, 2], "time": [0.04, 0.08], "values": [[0.5], [0.6]]}, series=[""]))`;

function fakeModel() {
  const sent: Array<{ content: unknown; buffers?: unknown[] }> = [];
  let listener: ((...a: unknown[]) => void) | null = null;
  const model = {
    send: (content: unknown, _callbacks?: unknown, buffers?: unknown[]) => sent.push({ content, buffers }),
    on: (_e: string, cb: (...a: unknown[]) => void) => (listener = cb),
    off: () => (listener = null),
  } as unknown as WidgetModel;
  return { model, sent, fromKernel: (content: object, buffers: unknown[] = []) => listener?.(content, buffers), listening: () => listener !== null };
}

const maybe = existsSync(PYTHON) ? describe : describe.skip;

maybe("listenForCustom", () => {
  const bytes = new Uint8Array(execFileSync(PYTHON, ["-c", SERIES], { cwd: ROOT }));

  it("writes a series into the shown recording, for the viewer and back to the kernel", () => {
    const f = fakeModel();
    const streams: Uint8Array[] = [];
    listenForCustom(f.model, () => ({ shown: () => ({ applicationId: "facescope", recordingId: "r1" }), send: (s) => streams.push(s) }));
    f.fromKernel({ type: "custom-log", name: "smile", id: 7 }, [new DataView(bytes.buffer)]);
    expect(streams).toHaveLength(1);
    const shown = inspectRrd(streams[0]);
    expect(shown.storeInfos[0].storeId.recordingId).toBe("r1");
    expect(shown.chunks.map((c) => c.entityPath)).toEqual(["/custom/smile"]);
    expect(f.sent[0].content).toEqual({ type: "custom-rrd", name: "smile", id: 7 });
    const back = f.sent[0].buffers![0] as Uint8Array;
    expect(back.length).toBe(streams[0].length - 12); // the same messages without the stream header
  });

  it("waits for the viewer to name its recording, and a clear drops what waits", () => {
    const f = fakeModel();
    const streams: Uint8Array[] = [];
    let shown: { applicationId: string; recordingId: string } | null = null;
    const channel = listenForCustom(f.model, () => ({ shown: () => shown, send: (s) => streams.push(s) }));
    f.fromKernel({ type: "custom-log", name: "smile", id: 1 }, [bytes]);
    f.fromKernel({ type: "custom-log", name: "other", id: 2 }, [bytes]);
    f.fromKernel({ type: "custom-clear", name: "other" });
    expect(streams).toHaveLength(0);
    shown = { applicationId: "facescope", recordingId: "r1" };
    channel.retry();
    expect(f.sent.map((s) => s.content)).toEqual([{ type: "custom-rrd", name: "smile", id: 1 }]);
    expect(streams.map((s) => inspectRrd(s).chunks[0].entityPath)).toEqual(["/custom/smile"]); // nothing of "other" shown: nothing to hide
    channel.stop();
    expect(f.listening()).toBe(false);
  });

  it("hides what a clear or a new log replaces, and shows the next log on a fresh path in the viewer only", () => {
    const f = fakeModel();
    const streams: Uint8Array[] = [];
    listenForCustom(f.model, () => ({ shown: () => ({ applicationId: "facescope", recordingId: "r1" }), send: (s) => streams.push(s) }));
    // [path, static] of each chunk the viewer got since the last look
    const seen = () => streams.splice(0).flatMap((s) => inspectRrd(s).chunks.map((c) => [c.entityPath, !c.table.getChild("frame_idx")]));
    const saved = () => f.sent.splice(0).map((m) => inspectRrd(Uint8Array.of(...inspectHeader, ...(m.buffers![0] as Uint8Array))).chunks.map((c) => c.entityPath));
    const inspectHeader = bytesOfHeader();
    f.fromKernel({ type: "custom-log", name: "smile", id: 1 }, [bytes]);
    expect(seen()).toEqual([["/custom/smile", false]]);
    f.fromKernel({ type: "custom-log", name: "smile", id: 2 }, [bytes]);
    expect(seen()).toEqual([["/custom/smile", true], ["/custom/smile~2", false]]);
    f.fromKernel({ type: "custom-clear", name: "smile" });
    expect(seen()).toEqual([["/custom/smile~2", true]]);
    f.fromKernel({ type: "custom-clear", name: "smile" });
    expect(seen()).toEqual([]);
    f.fromKernel({ type: "custom-log", name: "smile", id: 3 }, [bytes]);
    expect(seen()).toEqual([["/custom/smile~3", false]]);
    f.fromKernel({ type: "custom-clear", name: null });
    expect(seen()).toEqual([["/custom/smile~3", true]]);
    expect(saved()).toEqual([["/custom/smile"], ["/custom/smile"], ["/custom/smile"]]); // the saved file keeps the name's own path
  });

  it("tells the kernel when the bytes are not custom data", () => {
    const f = fakeModel();
    listenForCustom(f.model, () => ({ shown: () => ({ applicationId: "a", recordingId: "r" }), send: () => {} }));
    f.fromKernel({ type: "custom-log", name: "bad", id: 3 }, [new Uint8Array(20)]);
    expect(f.sent[0].content).toMatchObject({ type: "custom-rrd", name: "bad", id: 3, error: expect.stringMatching(/magic/) });
  });
});

/** A stream header: the kernel's bytes are messages without one. */
function bytesOfHeader(): Uint8Array {
  const rec = new Recording({ applicationId: "facescope", recordingId: "r1" });
  rec.setTime("frame_idx", { sequence: 0 });
  rec.log("x", Scalars(0));
  const stream = rec.flush()!;
  return stream.slice(0, stream.length - streamContinuation(stream).length);
}

describe("closing the joined file", () => {
  // The analysis's file without its End message, then a custom stream's messages of the same store.
  function joined(): Uint8Array {
    const analysis = new Recording({ applicationId: "facescope", recordingId: "r1" });
    const sink = new MemorySink();
    analysis.addSink(sink);
    analysis.setTime("frame_idx", { sequence: 0 });
    analysis.log("blendshapes/0/jawOpen", Scalars(0.1));
    analysis.flush();
    const tail = analysis.end();
    const head = sink.bytes().subarray(0, sink.bytes().length - tail.length);
    const custom = new Recording({ applicationId: "facescope", recordingId: "r1" });
    custom.setTime("frame_idx", { sequence: 0 });
    custom.log("custom/smile", Scalars(0.5));
    const more = streamContinuation(custom.flush()!);
    const out = new Uint8Array(head.length + more.length);
    out.set(head);
    out.set(more, head.length);
    return out;
  }

  it("answers the file the kernel sends in chunks with the footer that lists every chunk in it", () => {
    const f = fakeModel();
    listenForCustom(f.model, () => null); // no viewer needed: the footer depends on the bytes alone
    const file = joined();
    const cut = Math.floor(file.length / 2);
    f.fromKernel({ type: "custom-file", version: 4, index: 1, count: 2 }, [file.slice(cut)]);
    expect(f.sent).toHaveLength(0);
    f.fromKernel({ type: "custom-file", version: 4, index: 0, count: 2 }, [new DataView(file.slice(0, cut).buffer)]);
    expect(f.sent.map((s) => s.content)).toEqual([{ type: "custom-tail", version: 4 }]);
    expect(f.sent[0].buffers![0]).toEqual(fileEndOf(file));
  });

  it("tells the kernel when the file cannot be closed", () => {
    const f = fakeModel();
    listenForCustom(f.model, () => null);
    f.fromKernel({ type: "custom-file", version: 5, index: 0, count: 1 }, [joined().slice(0, 40)]);
    expect(f.sent[0].content).toMatchObject({ type: "custom-tail", version: 5, error: expect.stringMatching(/truncated/) });
  });
});
