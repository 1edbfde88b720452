import type { FrameResult } from "../results/types";
import type { VideoSource } from "../video/source";
import type { FaceAnalyzer } from "./analyzer";
import { runAnalysis } from "./pipeline";

/** A source of `n` frames that, like the WebCodecs decoder, throws once the signal is aborted. */
function source(n: number, signal: AbortSignal): VideoSource {
  return {
    kind: "mp4", codec: "avc1", width: 4, height: 4, rotation: 0, frameCount: n, durationUs: n * 40_000,
    async *frames() {
      for (let index = 0; index < n; index++) {
        await new Promise((r) => setTimeout(r, 1));
        if (signal.aborted) throw new Error("Analysis was cancelled.");
        yield { frame: { close: () => undefined } as unknown as VideoFrame, index, timestampUs: index * 40_000, decodeMs: 0 };
      }
    },
  } as VideoSource;
}

const analyzer = {
  analyze: async (_frame: VideoFrame, meta: { index: number }) => ({ index: meta.index }) as FrameResult,
} as unknown as FaceAnalyzer;

describe("runAnalysis", () => {
  it("stops cleanly when cancelled while the source waits, keeping every frame analysed", async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const run = await runAnalysis(source(100, abort.signal), analyzer, {
      signal: abort.signal,
      onResult: (r) => {
        seen.push(r.index);
        if (r.index === 9) abort.abort("cancel");
      },
    });
    expect(run.aborted).toBe(true);
    expect(run.frames).toBe(seen.length);
    expect(seen.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.length).toBeLessThan(100);
  });

  it("measures the rate from the first result on, leaving the first frame's warm-up out", async () => {
    // A clock that moves only when read: 10 s before the first result (MediaPipe's warm-up), then 40 ms a frame.
    const reads = [0, 10_000, 10_040, 10_080, 10_120];
    const now = jest.spyOn(performance, "now").mockImplementation(() => reads.shift() ?? 10_160);
    const seen: Array<[number, number, number | undefined]> = [];
    try {
      await runAnalysis(source(4, new AbortController().signal), analyzer, {
        maxInFlight: 1, onProgress: (p) => seen.push([p.done, Math.round(p.fps), p.rateMs]),
      });
    } finally {
      now.mockRestore();
    }
    expect(seen).toEqual([[1, 0, 0], [2, 25, 40], [3, 25, 80], [4, 25, 120]]);
  });

  it("still reports a source failure that is not a cancel", async () => {
    const abort = new AbortController();
    // biome-ignore lint/correctness/useYield: a source that fails before its first frame
    const broken = { ...source(5, abort.signal), async *frames() { throw new Error("truncated"); } } as VideoSource;
    await expect(runAnalysis(broken, analyzer, { signal: abort.signal })).rejects.toThrow("truncated");
  });
});
