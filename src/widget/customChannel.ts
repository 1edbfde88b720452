// Python's own data (scope.log_series / log_events / clear_custom) into this view's viewer, and the
// RRD it wrote back to the kernel, which keeps it in the recording save_rrd writes (the Python
// side is facescope/_custom.py and _sync.py). Data that arrives before the viewer has named its
// recording waits for it.
import { bytesOf, ChunkAssembler, joinChunks, type Buffer } from "../kernel/chunks";
import type { Cleanup, WidgetModel } from "../kernel/model";
import { fileEndOf, streamContinuation } from "../rerun";
import { writeCustom, writeCustomClear, type StoreIds } from "../scene/customEntities";
import { decodeCustom } from "../sync/customCodec";

/** Kernel → browser. */
export interface CustomLog { type: "custom-log"; name: string; id: number }
export interface CustomClear { type: "custom-clear"; name: string | null }
/** Browser → kernel: the RRD messages (no stream header) that add custom log `id` to the recording. */
export interface CustomRrd { type: "custom-rrd"; name: string; id: number; error?: string }
/** Kernel → browser, in chunks: the recording without its End message, then every custom log. */
export interface CustomFile { type: "custom-file"; version: number; index: number; count: number }
/** Browser → kernel: the End message and footer that close that file, its manifest listing every chunk. */
export interface CustomTail { type: "custom-tail"; version: number; error?: string }

export interface CustomTarget {
  /** The recording the viewer shows, null until it says. */
  shown(): StoreIds | null;
  /** Sends one RRD stream to the viewer. */
  send(stream: Uint8Array): void;
}

export interface CustomChannel {
  /** Writes what waited for the viewer's recording (call when it becomes known). */
  retry(): void;
  stop: Cleanup;
}

export function listenForCustom(model: WidgetModel, target: () => CustomTarget | null): CustomChannel {
  // In arrival order; a clear drops what waits for the same name.
  let waiting: Array<{ message: CustomLog | CustomClear; bytes?: Uint8Array }> = [];

  const apply = (message: CustomLog | CustomClear, bytes?: Uint8Array): boolean => {
    const t = target();
    const store = t?.shown();
    if (!t || !store) return false;
    if (message.type === "custom-clear") {
      t.send(writeCustomClear(message.name, store));
      return true;
    }
    let reply: CustomRrd = { type: "custom-rrd", name: message.name, id: message.id };
    try {
      const stream = writeCustom(decodeCustom(bytes ?? new Uint8Array()), store);
      t.send(stream);
      model.send(reply, undefined, [streamContinuation(stream).slice()]);
    } catch (error) {
      reply = { ...reply, error: String(error) };
      model.send(reply);
    }
    return true;
  };

  const files = new ChunkAssembler();
  // Any view can answer (the viewer need not be up): the footer depends on the bytes alone.
  const closeFile = (m: CustomFile, chunk: Buffer) => {
    const parts = files.add(String(m.version), m.index, m.count, chunk);
    if (!parts) return;
    try {
      model.send({ type: "custom-tail", version: m.version } satisfies CustomTail, undefined, [fileEndOf(joinChunks(parts))]);
    } catch (error) {
      model.send({ type: "custom-tail", version: m.version, error: String(error) } satisfies CustomTail);
    }
  };

  const onMessage = (...args: unknown[]) => {
    const m = args[0] as { type?: string; name?: unknown; id?: unknown; version?: unknown; index?: unknown; count?: unknown } | null;
    const buffers = args[1] as Buffer[] | undefined;
    if (m?.type === "custom-file" && typeof m.version === "number" && typeof m.index === "number" && typeof m.count === "number" && buffers?.length) {
      closeFile({ type: "custom-file", version: m.version, index: m.index, count: m.count }, buffers[0]);
    } else if (m?.type === "custom-log" && typeof m.name === "string" && typeof m.id === "number" && buffers?.length) {
      const message: CustomLog = { type: "custom-log", name: m.name, id: m.id };
      const bytes = bytesOf(buffers[0]).slice(); // the widget manager may reuse its buffer
      if (!apply(message, bytes)) waiting.push({ message, bytes });
    } else if (m?.type === "custom-clear") {
      const message: CustomClear = { type: "custom-clear", name: typeof m.name === "string" ? m.name : null };
      waiting = waiting.filter((w) => message.name !== null && w.message.name !== message.name);
      if (!apply(message)) waiting.push({ message });
    }
  };
  model.on("msg:custom", onMessage);
  return {
    retry: () => {
      const pending = waiting;
      waiting = [];
      for (const w of pending) if (!apply(w.message, w.bytes)) waiting.push(w);
    },
    stop: () => model.off("msg:custom", onMessage),
  };
}
