// The slice of a widget model that facescope's views use. anywidget's AnyModel and the
// @jupyter-widgets/base WidgetModel both satisfy it, so one render path serves every host.

export type Listener = (...args: unknown[]) => void;

export interface WidgetModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: Listener): void;
  off(event?: string | null, callback?: Listener | null): void;
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[] | ArrayBufferView[]): void;
}

/** What an anywidget `render` receives. */
export interface RenderProps {
  model: WidgetModel;
  el: HTMLElement;
}

/** Undoes a render: detaches listeners, stops the viewer, frees its memory. */
export type Cleanup = () => void;

/**
 * Front-end states, mirrored in the `status` trait and the `data-state` attribute: the viewer is
 * loading, idle (ready for a clip), analysing a clip, done with it, or something failed.
 * "disconnected" (the kernel restarted or died) is the view's alone: no kernel reads the trait.
 */
export type ViewState = "loading" | "idle" | "analysing" | "done" | "error" | "disconnected";
