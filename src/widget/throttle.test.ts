import { throttle } from "./throttle";

describe("throttle", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("delivers the first value at once and at most one per interval after it", () => {
    const got: number[] = [];
    const t = throttle((v: number) => got.push(v), 100);
    t(1);
    expect(got).toEqual([1]);
    for (let i = 2; i <= 50; i++) {
      t(i);
      jest.advanceTimersByTime(10); // 49 values over 490 ms
    }
    // 10 values per second at most: the first, then one per 100 ms.
    expect(got.length).toBeLessThanOrEqual(1 + Math.ceil(490 / 100));
    jest.advanceTimersByTime(200);
    expect(got[got.length - 1]).toBe(50);
  });

  it("always delivers the last value, once", () => {
    const got: string[] = [];
    const t = throttle((v: string) => got.push(v), 100);
    t("a");
    t("b");
    t("c");
    expect(got).toEqual(["a"]);
    jest.advanceTimersByTime(100);
    expect(got).toEqual(["a", "c"]);
    jest.advanceTimersByTime(1000);
    expect(got).toEqual(["a", "c"]);
  });

  it("delivers at once again after a quiet interval", () => {
    const got: number[] = [];
    const t = throttle((v: number) => got.push(v), 100);
    t(1);
    jest.advanceTimersByTime(250);
    t(2);
    expect(got).toEqual([1, 2]);
  });

  it("flush delivers a held value now; cancel drops it", () => {
    const got: number[] = [];
    const t = throttle((v: number) => got.push(v), 100);
    t(1);
    t(2);
    t.flush();
    expect(got).toEqual([1, 2]);
    t(3);
    t(4);
    t.cancel();
    jest.advanceTimersByTime(500);
    expect(got).toEqual([1, 2, 3]);
  });
});
