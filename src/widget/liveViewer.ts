// Whether the Rerun viewer draws while a clip is analysed. The 0.33 web viewer redraws every
// animation frame whether it is playing or not, visible or not (visibility: hidden does not stop
// it; only a box with no size does). With software WebGL on 2 cores that took the JupyterLab
// analysis from 44 to 25 fps at 640×360 (scripts/bench_notebook.py; renderer +12 ms and
// gpu-process +21 ms of CPU a frame), and a smaller canvas only to 31: most of the cost is the
// viewer's own frame work, not its pixels.
import { isSoftwareRenderer, webglRenderer } from "../inference/delegate";
import type { ClipOptions } from "../options";

export type LiveViewerSetting = ClipOptions["liveViewer"];

export interface LiveViewerChoice {
  live: boolean;
  /** Shown in the viewer's place while it waits (empty when live). */
  note: string;
}

/** `renderer`: WebGL's unmasked renderer string on this page (null: no WebGL). */
export function chooseLiveViewer(setting: LiveViewerSetting, renderer: string | null): LiveViewerChoice {
  if (setting === "on") return { live: true, note: "" };
  if (setting === "off") return { live: false, note: "The viewer appears when the analysis ends (live_viewer=\"off\")." };
  if (renderer !== null && !isSoftwareRenderer(renderer)) return { live: true, note: "" };
  return {
    live: false,
    note: "The viewer appears when the analysis ends: without a GPU, drawing it meanwhile would halve the " +
      "analysis speed (live_viewer=\"on\" draws it anyway).",
  };
}

let renderer: string | null | undefined;

/** This page's WebGL renderer string, read once (a WebGL context is made and given back). */
export function pageRenderer(): string | null {
  if (renderer === undefined) renderer = webglRenderer();
  return renderer;
}
