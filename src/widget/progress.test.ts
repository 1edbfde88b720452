/** @jest-environment jsdom */
import { buildProgress, formatEta, progressText, STEADY_RATE_FRAMES } from "./progress";

describe("progress", () => {
  it("says frames, speed and time left in words", () => {
    expect(progressText({ done: 30, total: 75, fps: 21.44, etaMs: 2100 })).toBe("30 / 75 frames · 21.4 fps · 2 s left");
    expect(progressText({ done: 75, total: 75, fps: 20, etaMs: 0 })).toBe("75 / 75 frames · 20.0 fps");
    expect(formatEta(125_000)).toBe("2 min 5 s left");
    expect(formatEta(Number.NaN)).toBe("");
  });

  it("holds back the speed and the time left until the rate is steady", () => {
    // The first result carries MediaPipe's warm-up: its rate says nothing about the rest.
    expect(progressText({ done: 1, total: 7000, fps: 0.1, etaMs: 660_000, rateMs: 0 })).toBe("1 / 7000 frames");
    expect(progressText({ done: STEADY_RATE_FRAMES, total: 7000, fps: 30, etaMs: 230_000, rateMs: 130 })).toBe(`${STEADY_RATE_FRAMES} / 7000 frames`);
    expect(progressText({ done: STEADY_RATE_FRAMES + 1, total: 7000, fps: 30, etaMs: 233_000, rateMs: 160 }))
      .toBe(`${STEADY_RATE_FRAMES + 1} / 7000 frames · 30.0 fps · 3 min 53 s left`);
    expect(progressText({ done: 3, total: 100, fps: 2, etaMs: 48_500, rateMs: 1000 })).toBe("3 / 100 frames · 2.0 fps · 49 s left");
  });

  it("drives a progress bar and a cancel button", () => {
    const onCancel = jest.fn();
    const view = buildProgress(document, onCancel);
    document.body.append(view.root);
    expect(view.root.hidden).toBe(true);
    view.show(true);
    view.update({ done: 3, total: 12, fps: 10, etaMs: 900 });
    const bar = view.root.querySelector("progress")!;
    expect([bar.value, bar.max]).toEqual([3, 12]);
    view.root.querySelector("button")!.click();
    expect(onCancel).toHaveBeenCalledTimes(1);
    view.dispose();
    expect(document.querySelector(".facescope-progress")).toBeNull();
  });
});
