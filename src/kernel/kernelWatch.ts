// Notices that the kernel behind a view is gone, so the view can say so instead of sending into a
// comm nobody reads. JupyterLab 4 fires no widget-model event on a kernel restart (no comm close,
// no comm_live change), so two signals are used:
// - the host's kernel connection (anywidget and @jupyter-widgets hand views a model whose
//   `widget_manager.kernel` is JupyterLab's IKernelConnection): a restart from the UI, an
//   auto-restart after a crash and a shutdown show up in its status;
// - a probe for what that misses (a restart through the REST API from another tab or a script
//   tells the page nothing): the view pings the kernel; the kernel answers at once, before it
//   reports idle for the ping. "Idle" for a ping with no answer means the kernel handled the
//   message without knowing this widget: a fresh kernel. A busy kernel reports nothing and is
//   never taken for a lost one.
import type { Cleanup, WidgetModel } from "./model";

interface SignalLike<T> {
  connect(slot: (sender: unknown, args: T) => void): unknown;
  disconnect(slot: (sender: unknown, args: T) => void): unknown;
}

interface KernelLike {
  statusChanged?: SignalLike<string>;
}

/** Statuses after which the kernel that holds this widget no longer exists. */
const GONE = new Set(["restarting", "autorestarting", "dead", "terminating", "starting"]);

export interface KernelWatchOptions {
  probeEveryMs?: number;
  /** After the kernel reports idle for a ping, wait this long for its answer (messages may interleave). */
  answerGraceMs?: number;
  /** Probes only go out while this says so (an analysis is running or its parts are in flight). */
  active?(): boolean;
}

export class KernelWatch {
  #lost = false;
  #next = 0;
  /** Probes sent and not answered yet. */
  #open = new Set<number>();
  #misses = 0;
  #stops: Cleanup[] = [];

  constructor(private readonly model: WidgetModel, private readonly view: string,
              private readonly onLost: (why: string) => void, options: KernelWatchOptions = {}) {
    const kernel = (model as { widget_manager?: { kernel?: KernelLike | null } }).widget_manager?.kernel;
    const signal = kernel?.statusChanged;
    if (signal && typeof signal.connect === "function") {
      const onStatus = (_sender: unknown, status: string) => {
        if (GONE.has(status)) this.#lose(`the kernel is ${status}`);
      };
      signal.connect(onStatus);
      this.#stops.push(() => signal.disconnect(onStatus));
    }
    // Probes read the kernel's idle status through ipywidgets-style send callbacks, which only
    // Jupyter's widget managers have (marimo calls a send's second argument as a function). Other
    // hosts go without: a lost kernel there shows as a view that stops hearing back.
    if (!kernel) return;
    const every = options.probeEveryMs ?? 3000;
    const grace = options.answerGraceMs ?? 1500;
    const timer = setInterval(() => {
      if (!this.#lost && (options.active?.() ?? true)) this.#probe(grace);
    }, every);
    this.#stops.push(() => clearInterval(timer));
  }

  get lost(): boolean {
    return this.#lost;
  }

  /** The kernel's answer to probe `id`. */
  answered(id: number): void {
    if (this.#open.delete(id)) this.#misses = 0;
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }

  #probe(graceMs: number): void {
    const id = ++this.#next;
    this.#open.add(id);
    const onStatus = (msg: unknown) => {
      const state = (msg as { content?: { execution_state?: string } } | null)?.content?.execution_state;
      if (state !== "idle") return;
      setTimeout(() => {
        if (!this.#open.delete(id) || this.#lost) return;
        // Two unanswered probes in a row: one could be a message the kernel dropped.
        if (++this.#misses >= 2) this.#lose("the kernel no longer knows this widget (it was restarted)");
      }, graceMs);
    };
    try {
      this.model.send({ type: "kernel-ping", view: this.view, id }, { iopub: { status: onStatus } });
    } catch {
      this.#lose("its comm is closed");
    }
  }

  #lose(why: string): void {
    if (this.#lost) return;
    this.#lost = true;
    this.dispose();
    this.onLost(why);
  }
}
