// Owns one Rerun web viewer inside the widget: start, feed RRD streams, stop and free.
import type { LogChannel, WebViewer, WebViewerOptions } from "@rerun-io/web-viewer";

export interface ViewerHostEvents {
  onReady(): void;
  onError(message: string): void;
}

/** One viewer per rendered view; `dispose` releases the wasm instance and its canvas. */
export class ViewerHost {
  #viewer: WebViewer | null = null;
  #channel: LogChannel | null = null;
  #pending: Uint8Array[] = [];
  #disposed = false;

  constructor(private readonly parent: HTMLElement, private readonly events: ViewerHostEvents) {}

  async start(): Promise<void> {
    // The viewer package is ~47 MB of wasm: load it only once a view is actually shown.
    const { WebViewer } = await import("@rerun-io/web-viewer");
    if (this.#disposed) return;
    const viewer = new WebViewer();
    this.#viewer = viewer;
    try {
      await viewer.start(null, this.parent, {
        hide_welcome_screen: true,
        width: "100%",
        height: "100%",
        render_backend: "webgl",
        theme: "dark",
        // Inside a notebook cell space is short: the views matter, the side panels can wait.
        // (The typings say lower case; the 0.33 viewer only accepts the capitalised variants.)
        panel_state_overrides: { blueprint: "Collapsed", selection: "Collapsed" },
      } as WebViewerOptions);
    } catch (error) {
      if (!this.#disposed) this.events.onError(`The Rerun viewer failed to start: ${String(error)}`);
      return;
    }
    if (this.#disposed) {
      viewer.stop();
      return;
    }
    this.#channel = viewer.open_channel("facescope");
    for (const stream of this.#pending.splice(0)) this.#channel.send_rrd(stream);
    this.events.onReady();
  }

  /** Sends one complete RRD stream; streams sent before the viewer is ready are queued. */
  send(stream: Uint8Array): void {
    if (this.#channel?.ready) this.#channel.send_rrd(stream);
    else if (!this.#disposed) this.#pending.push(stream);
  }

  get viewer(): WebViewer | null {
    return this.#viewer;
  }

  dispose(): void {
    this.#disposed = true;
    this.#pending = [];
    try {
      this.#channel?.close();
    } catch {
      // A channel of a viewer that already crashed cannot be closed; stopping still frees it.
    }
    this.#channel = null;
    this.#viewer?.stop();
    this.#viewer = null;
  }
}
