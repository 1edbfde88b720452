// The slice of a widget model that facescope uses: traits, custom messages to and from the
// kernel. anywidget's AnyModel (in every host) and @jupyter-widgets' WidgetModel both satisfy it.

export type Listener = (...args: unknown[]) => void;

export interface WidgetModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: Listener): void;
  off(event?: string | null, callback?: Listener | null): void;
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[] | ArrayBufferView[]): void;
}

/** Undoes what a view or a listener set up (detaches listeners, stops the viewer, frees memory). */
export type Cleanup = () => void;
