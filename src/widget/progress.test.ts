/** @jest-environment jsdom */
import { buildProgress, formatEta, progressText } from "./progress";

describe("progress", () => {
  it("says frames, speed and time left in words", () => {
    expect(progressText({ done: 30, total: 75, fps: 21.44, etaMs: 2100 })).toBe("30 / 75 frames · 21.4 fps · 2 s left");
    expect(progressText({ done: 75, total: 75, fps: 20, etaMs: 0 })).toBe("75 / 75 frames · 20.0 fps");
    expect(formatEta(125_000)).toBe("2 min 5 s left");
    expect(formatEta(Number.NaN)).toBe("");
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
