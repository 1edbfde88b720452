import { PROGRESS_INTERVAL_MS, throttled } from "./driver";

jest.mock("../analysis/session", () => ({}));
jest.mock("../sync/codec", () => ({}));

describe("throttled progress", () => {
  const at = (done: number, total = 100) => ({ done, total, fps: 30, etaMs: 0 });

  it("passes at most one report per interval, and always the last", () => {
    let clock = 0;
    const seen: number[] = [];
    const report = throttled((p) => seen.push(p.done), () => clock)!;
    for (let done = 1; done <= 100; done++) {
      report(at(done));
      clock += PROGRESS_INTERVAL_MS / 10; // 10 frames per interval
    }
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(100);
    expect(seen.length).toBe(11); // 1, 11, 21 … 91, then the last
    expect(PROGRESS_INTERVAL_MS).toBeGreaterThanOrEqual(200); // ≤ 5 a second
  });

  it("is nothing without a listener", () => {
    expect(throttled(undefined)).toBeUndefined();
  });
});
