import { gzipSync } from "node:zlib";
import { FakeModel } from "../widget/fakeModel";
import { KernelFiles } from "./channel";
import type { ChunkRequest, FrontEndFile } from "./protocol";

const CHUNK = 4;

/** A kernel that answers chunk requests from `files`, in the order the test releases them. */
function kernel(files: Record<string, Uint8Array>) {
  const model = new FakeModel();
  const answer = (request: ChunkRequest, encoding: "gzip" | "identity" = "gzip") => {
    const raw = files[request.name].subarray(request.index * CHUNK, (request.index + 1) * CHUNK);
    const data = encoding === "gzip" ? new Uint8Array(gzipSync(raw)) : raw.slice();
    model.custom({ type: "frontend-chunk", id: request.id, name: request.name, index: request.index, encoding },
      [new DataView(data.buffer, data.byteOffset, data.byteLength)]);
  };
  const requests = () => model.sent.filter((m) => (m as ChunkRequest).type === "frontend-chunk-request") as ChunkRequest[];
  return { model, answer, requests };
}

const entry = (name: string, size: number): FrontEndFile => ({ name, size, sha256: "" });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("KernelFiles", () => {
  it("reassembles files from gzip chunks answered out of order, with a bounded window", async () => {
    const a = Uint8Array.from({ length: 10 }, (_, i) => i);
    const b = Uint8Array.from({ length: 3 }, (_, i) => 100 + i);
    const k = kernel({ "a.js": a, "b.wasm": b });
    const channel = new KernelFiles(k.model);
    const got = new Map<string, Uint8Array>();
    let counted = 0;
    const done = channel.fetch([entry("a.js", 10), entry("b.wasm", 3)], CHUNK, async (f, bytes) => void got.set(f.name, bytes),
      (n) => (counted += n));
    await tick();
    expect(k.requests()).toHaveLength(4); // a#0 a#1 a#2 b#0, all in the window of four
    // Another view's answer for the same chunk is not ours.
    k.model.custom({ type: "frontend-chunk", id: "someone else", name: "a.js", index: 0, encoding: "identity" }, [new Uint8Array([9])]);
    for (const r of [...k.requests()].reverse()) k.answer(r, r.name === "b.wasm" ? "identity" : "gzip");
    await done;
    expect([...got.get("a.js")!]).toEqual([...a]);
    expect([...got.get("b.wasm")!]).toEqual([...b]);
    expect(counted).toBe(13);
    channel.dispose();
  });

  it("rejects what is waiting when the kernel says it cannot send the front end", async () => {
    const k = kernel({});
    const channel = new KernelFiles(k.model);
    const manifest = channel.manifest();
    k.model.custom({ type: "frontend-error", id: channel.id, message: "front end missing" }, []);
    await expect(manifest).rejects.toThrow("front end missing");
    channel.dispose();
  });

  it("stops listening and fails pending requests when disposed", async () => {
    const k = kernel({});
    const channel = new KernelFiles(k.model);
    const manifest = channel.manifest();
    channel.dispose();
    await expect(manifest).rejects.toThrow(/closed/);
    expect(k.model.listeners.get("msg:custom")?.size ?? 0).toBe(0);
  });
});
