// One view's conversation with the kernel about runs: it introduces itself (so the kernel can
// rebuild its viewer from the kernel's copy of the recording), answers liveness pings, starts runs
// whose parts a RunSender delivers, and receives restored recordings.
import { newId, type FromKernel, type RunStart } from "../sync/protocol";
import { RunSender, type RunSenderOptions } from "../sync/runSender";
import { ChunkAssembler, joinChunks, type Buffer } from "./chunks";
import { KernelWatch, type KernelWatchOptions } from "./kernelWatch";
import type { Cleanup, WidgetModel } from "./model";

export interface KernelLinkEvents {
  /** A finished (or interrupted) run's recording, as one RRD stream. */
  onRestore(run: string, rrd: Uint8Array): void;
  /** The kernel holds a run this view may not show yet. */
  onOffer?(run: string): void;
  /** The kernel that held this widget is gone (restarted, dead): nothing more is sent to it. */
  onKernelLost?(why: string): void;
}

/**
 * JupyterLab's message serializer sends `view.buffer`, the whole underlying ArrayBuffer, for any
 * ArrayBufferView: a view of part of a buffer must travel as a copy of its own.
 */
export function wholeBuffer(view: ArrayBufferView): ArrayBufferView {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    ? view
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

export class KernelLink {
  readonly view = newId("view");
  #sender: RunSender | null = null;
  #restores = new ChunkAssembler();
  #stop: Cleanup;
  #watch: KernelWatch;

  constructor(private readonly model: WidgetModel, private readonly events: KernelLinkEvents,
              private readonly senderOptions: RunSenderOptions = {}, watchOptions: KernelWatchOptions = {}) {
    const onMessage = (...args: unknown[]) => this.#receive(args[0] as FromKernel, args[1] as Buffer[] | undefined);
    model.on("msg:custom", onMessage);
    this.#stop = () => model.off("msg:custom", onMessage);
    // Probes only while a run's parts are on their way: an idle widget does not make the kernel
    // indicator flicker (restarts from the UI are seen at any time through the kernel's status).
    this.#watch = new KernelWatch(model, this.view, (why) => {
      this.#sender?.dispose();
      this.events.onKernelLost?.(why);
    }, { active: () => this.#sender !== null && !this.#sender.isComplete, ...watchOptions });
  }

  /** Whether the kernel that held this widget is gone. */
  get kernelLost(): boolean {
    return this.#watch.lost;
  }

  /** Tells the kernel this view is on screen, before its viewer has loaded (which can take long on
   * a cold, busy machine): `analyzed()` then waits for it instead of saying nothing is shown. */
  open(): void {
    this.model.send({ type: "view-open", view: this.view });
  }

  /** Tells the kernel this view exists and which run it shows; the kernel restores a newer one. */
  hello(shows: string | null): void {
    this.model.send({ type: "hello", view: this.view, shows });
  }

  /** Starts a run: its parts go to the kernel until it confirms it holds them all. */
  startRun(fileName: string, serial: number | null): RunSender {
    this.#sender?.dispose();
    const start: RunStart = { type: "run-start", run: newId("run"), view: this.view, fileName, serial };
    this.#sender = new RunSender((content, buffers) => this.model.send(content, undefined, buffers?.map(wholeBuffer)),
      start, this.senderOptions);
    return this.#sender;
  }

  dispose(): void {
    this.#stop();
    this.#watch.dispose();
    this.#sender?.dispose();
    this.#sender = null;
  }

  #receive(message: FromKernel, buffers: Buffer[] | undefined): void {
    if (!message || typeof message !== "object") return;
    switch (message.type) {
      case "run-offer":
        this.events.onOffer?.(message.run);
        return;
      case "ping":
        if (message.view === this.view) this.model.send({ type: "pong", view: this.view });
        return;
      case "kernel-pong":
        if (message.view === this.view) this.#watch.answered(message.id);
        return;
      case "restore": {
        if (message.to !== this.view || !buffers?.length) return;
        const parts = this.#restores.add(message.run, message.index, message.count, buffers[0]);
        if (!parts) return;
        const rrd = joinChunks(parts);
        if (rrd.length === message.size) this.events.onRestore(message.run, rrd);
        return;
      }
      case "run-ack":
      case "run-resend":
      case "run-complete":
        this.#sender?.handle(message);
        return;
    }
  }
}
