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

/** The view's status traits, which the kernel reads (`scope.status`, `scope.message`, `scope.error`). */
export interface ViewStatus {
  status: string;
  message: string;
  error: string;
}

/**
 * Sets the status traits and tells the kernel at once. A Jupyter front end sends a view's trait
 * changes one at a time, each after the kernel says idle for the previous one; ipykernel ≥ 7.4 reads
 * widget messages while a cell awaits (`await scope.analyzed()`) but says idle for none of them, so
 * from the first change made during such a cell every later one would be held back for good. A
 * custom message is never held back: the kernel sets its traits from it too.
 */
export function shareStatus(model: WidgetModel, state: ViewStatus): void {
  // The status last: views that mirror it read the message when the status changes.
  model.set("message", state.message);
  model.set("error", state.error);
  model.set("status", state.status);
  model.save_changes();
  model.send({ type: "view-status", ...state });
}
