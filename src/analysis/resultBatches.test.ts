import type { FrameResult } from "../results/types";
import { COMMIT_EVERY_FRAMES, ResultBatches } from "./resultBatches";

const frame = (index: number) => ({ index }) as unknown as FrameResult;

describe("ResultBatches", () => {
  it("hands on a full batch at once and the rest when flushed, in order", () => {
    const now = jest.spyOn(performance, "now").mockReturnValue(0); // time stands still: only the count matters
    const got: number[][] = [];
    const batches = new ResultBatches((rs) => got.push(rs.map((r) => r.index)));
    for (let i = 0; i < COMMIT_EVERY_FRAMES + 3; i++) batches.add(frame(i));
    expect(got.map((b) => b.length)).toEqual([COMMIT_EVERY_FRAMES]);
    batches.flush();
    batches.flush(); // nothing waiting: nothing sent
    expect(got.map((b) => b.length)).toEqual([COMMIT_EVERY_FRAMES, 3]);
    expect(got.flat()).toEqual(Array.from({ length: COMMIT_EVERY_FRAMES + 3 }, (_, i) => i));
    now.mockRestore();
  });

  it("hands on a batch that waited long enough, however small", () => {
    const now = jest.spyOn(performance, "now").mockReturnValue(0);
    const got: number[][] = [];
    const batches = new ResultBatches((rs) => got.push(rs.map((r) => r.index)));
    batches.add(frame(0));
    expect(got).toEqual([]);
    now.mockReturnValue(1000);
    batches.add(frame(1));
    expect(got).toEqual([[0, 1]]);
    now.mockRestore();
  });
});
