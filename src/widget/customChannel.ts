// Python's own data (scope.log_series / log_events / clear_custom) into this view's viewer, and the
// RRD it wrote back to the kernel, which keeps it in the recording save_rrd writes (the Python
// side is facescope/_custom.py and _sync.py). Data that arrives before the viewer has named its
// recording waits for it.
import { bytesOf, ChunkAssembler, joinChunks, type Buffer } from "../kernel/chunks";
import type { Cleanup, WidgetModel } from "../kernel/model";
import { fileEndOf, streamContinuation } from "../rerun";
import { customPaths, writeCustom, writeCustomShadow, type CustomPath, type StoreIds } from "../scene/customEntities";
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

  // The live viewer cannot drop rows: a name logged again or cleared is hidden under a static,
  // empty row (writeCustomShadow), and its next log goes to a fresh path, `<name>~<n>`, in this
  // viewer only (the kernel keeps the plain `custom/<name>` for the saved file).
  const shown = new Map<string, CustomPath[]>(); // name → the viewer paths that show it now
  const generation = new Map<string, number>();
  const hide = (names: string[], store: StoreIds): Uint8Array | null => {
    const paths = names.flatMap((n) => shown.get(n) ?? []);
    for (const n of names) {
      shown.delete(n);
      generation.set(n, (generation.get(n) ?? 0) + 1);
    }
    return paths.length ? writeCustomShadow(paths, store) : null;
  };
  const under = (name: string | null) => [...shown.keys()].filter((n) => name === null || n === name || n.startsWith(`${name}/`));

  const apply = (message: CustomLog | CustomClear, bytes?: Uint8Array): boolean => {
    const t = target();
    const store = t?.shown();
    if (!t || !store) return false;
    if (message.type === "custom-clear") {
      const shadow = hide(under(message.name), store);
      if (shadow) t.send(shadow);
      return true;
    }
    let reply: CustomRrd = { type: "custom-rrd", name: message.name, id: message.id };
    try {
      const data = decodeCustom(bytes ?? new Uint8Array());
      const saved = writeCustom(data, store);
      const shadow = hide(under(data.name).filter((n) => n === data.name), store);
      const g = generation.get(data.name) ?? 0;
      const live = g ? { ...data, name: `${data.name}~${g + 1}` } : data;
      if (shadow) t.send(shadow);
      t.send(g ? writeCustom(live, store) : saved);
      shown.set(data.name, customPaths(live));
      model.send(reply, undefined, [streamContinuation(saved).slice()]);
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
