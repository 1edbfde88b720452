// What a view is handed (the model's slice is the kernel channel's, src/kernel/model.ts) and the
// states it shows.

import type { WidgetModel } from "../kernel/model";

export type { Cleanup, Listener, WidgetModel } from "../kernel/model";

/** What an anywidget `render` receives. */
export interface RenderProps {
  model: WidgetModel;
  el: HTMLElement;
}

/**
 * Front-end states, mirrored in the `status` trait and the `data-state` attribute: the viewer is
 * loading, idle (ready for a clip), analysing a clip, done with it, or something failed.
 * "disconnected" (the kernel restarted or died) is the view's alone: no kernel reads the trait.
 */
export type ViewState = "loading" | "idle" | "analysing" | "done" | "error" | "disconnected";
