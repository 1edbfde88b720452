// The progress row: a bar with frames done / total, speed and time left, and a cancel button.
import type { LiveProgress } from "../analysis/liveSession";
import type { Progress } from "../inference/pipeline";

export interface ProgressView {
  root: HTMLElement;
  show(visible: boolean): void;
  update(p: Progress): void;
  dispose(): void;
}

export function formatEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "";
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s left` : `${Math.floor(s / 60)} min ${s % 60} s left`;
}

/** A rate measured over this many frames after the first, or for this long, is worth showing. */
export const STEADY_RATE_FRAMES = 5;
export const STEADY_RATE_MS = 1000;

/** Whether `p.fps` (and so the time left) is steady enough to show; a rate of unknown age is shown. */
export function steadyRate(p: Progress): boolean {
  return p.rateMs === undefined || p.done - 1 >= STEADY_RATE_FRAMES || p.rateMs >= STEADY_RATE_MS;
}

export function progressText(p: Progress): string {
  const parts = [`${p.done} / ${p.total} frames`];
  if (!steadyRate(p)) return parts.join("");
  parts.push(`${p.fps.toFixed(1)} fps`);
  const eta = formatEta(p.etaMs);
  if (eta && p.done < p.total) parts.push(eta);
  return parts.join(" · ");
}

/** A camera recording's line: time recorded, frames analysed of those captured, analysis rate. */
export function liveProgressText(p: LiveProgress): string {
  const time = p.limitSeconds ? `${p.seconds.toFixed(1)} / ${p.limitSeconds} s` : `${p.seconds.toFixed(1)} s`;
  return `Recording ${time} · ${p.analysed} of ${p.captured} frames analysed · ${p.fps.toFixed(1)} fps`;
}

export function buildProgress(doc: Document, onCancel: () => void): ProgressView {
  const root = doc.createElement("div");
  root.className = "facescope-progress";
  root.hidden = true;
  const bar = doc.createElement("progress");
  bar.max = 1;
  bar.value = 0;
  const text = doc.createElement("span");
  text.className = "facescope-progress-text";
  const cancel = doc.createElement("button");
  cancel.type = "button";
  cancel.className = "facescope-cancel";
  cancel.textContent = "Cancel";
  cancel.addEventListener("click", onCancel);
  root.append(bar, text, cancel);
  return {
    root,
    show(visible) {
      root.hidden = !visible;
      if (visible) {
        bar.removeAttribute("value"); // indeterminate until the first frame is done
        text.textContent = "";
      }
    },
    update(p) {
      bar.max = Math.max(p.total, 1);
      bar.value = p.done;
      text.textContent = progressText(p);
    },
    dispose() {
      cancel.removeEventListener("click", onCancel);
      root.remove();
    },
  };
}
