import { syntheticFrame } from "../scene/testFrames";
import { encodeStream, MessageKind, STREAM_HEADER_SIZE } from "../rerun/codec/framing";
import { readHeader } from "./codec";
import type { PartHeader, RunParts, RunStart, ToKernel } from "./protocol";
import { TO_KERNEL_MESSAGE_BYTES } from "../limits";
import { RunSender } from "./runSender";

const start: RunStart = { type: "run-start", run: "r1", view: "v1", fileName: "talk.mp4", serial: 2 };
const stream = (n: number) => encodeStream([{ kind: MessageKind.ArrowMsg, body: new Uint8Array(n).fill(7) }]);

function setup() {
  let now = 0;
  const sent: Array<{ content: ToKernel; buffers: Uint8Array[] }> = [];
  const sender = new RunSender((content, buffers) => sent.push({ content, buffers: (buffers ?? []) as Uint8Array[] }),
    start, { resendAfterMs: 1000, maxResendAfterMs: 4000, tickMs: 100, now: () => now });
  // Every part sent, in order, with its bytes (a message may carry several).
  const parts = () => sent.filter((s) => s.content.type === "run-parts").flatMap((s) =>
    (s.content as RunParts).parts.map((content: PartHeader, i) => ({ content, bytes: s.buffers[i] })));
  return { sender, sent, parts, advance: (ms: number) => { now += ms; jest.advanceTimersByTime(ms); } };
}

/** Parts made in one task leave together, in a microtask. */
const flushed = () => Promise.resolve();

describe("RunSender", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("announces the run, numbers results and recording parts, and ends with their count", async () => {
    const t = setup();
    t.sender.results([syntheticFrame(0, [1]), syntheticFrame(1, [1])]);
    t.sender.recording(stream(10));
    t.sender.end({ summary: { frames: 2 }, error: null, cancelled: false });
    expect(t.sent).toHaveLength(1); // the parts of one task wait for the task to end…
    await flushed();
    expect(t.sent.map((s) => s.content.type)).toEqual(["run-start", "run-parts", "run-end"]); // …and go as one message
    expect(t.sent[0].content).toEqual(start);
    expect(t.parts().map((p) => [p.content.seq, p.content.kind])).toEqual([[0, "results"], [1, "recording"]]);
    expect(readHeader(t.parts()[0].bytes).extra).toEqual({ run: "r1", seq: 0 });
    expect(t.sent.at(-1)?.content).toEqual({ type: "run-end", run: "r1", parts: 2, summary: { frames: 2 }, error: null, cancelled: false });
    t.sender.dispose();
  });

  it("sends nothing once disposed (its kernel is gone): no part, no end, no resend", () => {
    const t = setup();
    t.sender.results([syntheticFrame(0, [1])]);
    const before = t.sent.length;
    t.sender.dispose();
    t.sender.results([syntheticFrame(1, [1])]);
    t.sender.recording(stream(10));
    t.sender.end({ summary: null, error: null, cancelled: true });
    t.sender.handle({ type: "run-resend", run: "r1", seqs: [0] });
    t.advance(60_000);
    expect(t.sent).toHaveLength(before);
  });

  it("sends later recording streams without their header, so the kernel's bytes form one stream", async () => {
    const t = setup();
    const first = stream(10);
    const second = stream(5);
    t.sender.recording(first);
    t.sender.recording(second);
    await flushed();
    const [a, b] = t.parts();
    expect(a.bytes).toEqual(first);
    expect(b.content.offset).toBe(first.length);
    expect(b.bytes).toEqual(second.subarray(STREAM_HEADER_SIZE));
    t.sender.dispose();
  });

  it("appends the recording's footer as it is, after the streams; none without a stream before it", async () => {
    const empty = setup();
    empty.sender.recordingEnd(new Uint8Array([1, 2, 3]));
    await flushed();
    expect(empty.parts()).toHaveLength(0);
    empty.sender.dispose();
    const t = setup();
    const first = stream(10);
    const tail = new Uint8Array([1, 2, 3]);
    t.sender.recording(first);
    t.sender.recordingEnd(tail);
    await flushed();
    const [, end] = t.parts();
    expect(end.content).toMatchObject({ kind: "recording", offset: first.length });
    expect(end.bytes).toEqual(tail);
    t.sender.dispose();
  });

  it("slices a large stream into parts a message can carry", async () => {
    const t = setup();
    t.sender.recording(stream(TO_KERNEL_MESSAGE_BYTES + 100));
    await flushed();
    const parts = t.parts();
    expect(parts).toHaveLength(2);
    expect(parts[0].bytes.length).toBe(TO_KERNEL_MESSAGE_BYTES);
    expect(parts[1].content.offset).toBe(TO_KERNEL_MESSAGE_BYTES);
    t.sender.dispose();
  });

  it("resends what the kernel has not acknowledged, less and less often, and stops once complete", async () => {
    const t = setup();
    t.sender.results([syntheticFrame(0, [1])]);
    t.sender.results([syntheticFrame(1, [1])]);
    await flushed();
    t.sender.handle({ type: "run-ack", run: "r1", seqs: [1] });
    t.advance(1000);
    expect(t.parts().map((p) => p.content.seq)).toEqual([0, 1, 0]);
    t.advance(1000);
    expect(t.parts()).toHaveLength(3); // the second try waits twice as long
    t.advance(1000);
    expect(t.parts()).toHaveLength(4);
    expect(t.sender.stats.resent).toBe(2);
    t.sender.end({ summary: null, error: null, cancelled: false });
    t.sender.handle({ type: "run-resend", run: "r1", seqs: [0] });
    expect(t.parts()).toHaveLength(5);
    let completed = false;
    void t.sender.completed.then(() => (completed = true));
    expect(t.sender.handle({ type: "run-complete", run: "r1" })).toBe(true);
    await Promise.resolve();
    expect(completed).toBe(true);
    const before = t.sent.length;
    t.advance(10_000);
    expect(t.sent).toHaveLength(before);
  });

  it("resends the end of the run until the kernel confirms it", () => {
    const t = setup();
    t.sender.end({ summary: null, error: { code: "truncated", message: "cut short" }, cancelled: false });
    t.advance(1000);
    expect(t.sent.filter((s) => s.content.type === "run-end")).toHaveLength(2);
    t.sender.dispose();
  });

  it("keeps parts back while the window is full and sends the end after the last of them", async () => {
    const sent: ToKernel[] = [];
    const sender = new RunSender((content) => sent.push(content), start, { maxUnackedBytes: 25, tickMs: 100_000 });
    sender.recording(stream(10)); // 38 bytes: one part always goes
    sender.recording(stream(10)); // 26 more: waits
    sender.end({ summary: null, error: null, cancelled: false });
    await flushed();
    expect(sent.map((c) => c.type)).toEqual(["run-start", "run-parts"]);
    sender.handle({ type: "run-ack", run: "r1", seqs: [0] });
    expect(sent.map((c) => c.type)).toEqual(["run-start", "run-parts", "run-parts", "run-end"]);
    expect(sender.stats.unacked).toBe(26);
    sender.dispose();
  });

  it("sends the parts that queued behind the window together, in messages of at most TO_KERNEL_MESSAGE_BYTES", async () => {
    const sent: Array<{ content: ToKernel; buffers: ArrayBufferView[] }> = [];
    const sender = new RunSender((content, buffers) => sent.push({ content, buffers: buffers ?? [] }), start,
      { maxUnackedBytes: 5 * TO_KERNEL_MESSAGE_BYTES, tickMs: 100_000 });
    const big = TO_KERNEL_MESSAGE_BYTES / 4;
    for (let i = 0; i < 24; i++) sender.recording(stream(big - 100));
    await flushed();
    // Twenty parts fill the window (five messages' worth), four to a message; the rest waits.
    const messages = () => sent.filter((s) => s.content.type === "run-parts") as Array<{ content: RunParts; buffers: ArrayBufferView[] }>;
    expect(messages().map((m) => m.content.parts.length)).toEqual([4, 4, 4, 4, 4]);
    sender.handle({ type: "run-ack", run: "r1", seqs: messages().flatMap((m) => m.content.parts.map((p) => p.seq)) });
    const later = messages().slice(5);
    expect(later.map((m) => m.content.parts.length)).toEqual([4]);
    for (const m of later) {
      expect(m.buffers).toHaveLength(m.content.parts.length);
      expect(m.buffers.reduce((a, b) => a + b.byteLength, 0)).toBeLessThanOrEqual(TO_KERNEL_MESSAGE_BYTES);
    }
    expect(later[0].content.parts.map((p) => p.seq)).toEqual([20, 21, 22, 23]);
    expect(sender.stats.unacked).toBe(later[0].buffers.reduce((a, b) => a + b.byteLength, 0));
    sender.dispose();
  });

  it("behind a full window, waits for room for a whole message instead of refilling it part by part", async () => {
    const sent: Array<{ content: ToKernel; buffers: ArrayBufferView[] }> = [];
    const sender = new RunSender((content, buffers) => sent.push({ content, buffers: buffers ?? [] }), start,
      { maxUnackedBytes: 2 * TO_KERNEL_MESSAGE_BYTES, tickMs: 100_000 });
    for (let i = 0; i < 40; i++) sender.recording(stream(TO_KERNEL_MESSAGE_BYTES / 8 - 100));
    await flushed();
    const messages = () => sent.filter((s) => s.content.type === "run-parts") as Array<{ content: RunParts; buffers: ArrayBufferView[] }>;
    expect(messages().map((m) => m.content.parts.length)).toEqual([8, 8]); // the window: 16 parts
    sender.handle({ type: "run-ack", run: "r1", seqs: [0] });
    expect(messages()).toHaveLength(2); // one part's worth of room: not enough for a message
    sender.handle({ type: "run-ack", run: "r1", seqs: [1, 2, 3, 4, 5, 6, 7] });
    expect(messages()).toHaveLength(3);
    expect(messages()[2].content.parts.map((p) => p.seq)).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    sender.dispose();
  });

  it("ignores messages about other runs and refuses parts after the end", () => {
    const t = setup();
    expect(t.sender.handle({ type: "run-complete", run: "other" })).toBe(false);
    expect(t.sender.isComplete).toBe(false);
    t.sender.end({ summary: null, error: null, cancelled: true });
    expect(() => t.sender.results([syntheticFrame(0, [])])).toThrow(/has ended/);
    t.sender.dispose();
  });
});
