// Asks the kernel for the front end's files over the widget's own messages: the one route to the
// page that every anywidget host has. Files come in chunks of at most `chunkBytes` raw bytes, each
// gzip-compressed on its own, with a few requests in flight so the kernel never waits on the page.
import { bytesOf, joinChunks, type Buffer } from "../kernel/chunks";
import type { WidgetModel } from "../kernel/model";
import { gunzip } from "./digest";
import type { Chunk, ChunkRequest, FromKernel, FrontEndFile, Manifest, ManifestRequest } from "./protocol";

/** Chunk requests in flight: enough to keep the kernel busy while the page inflates the last one. */
const WINDOW = 4;

interface Waiter {
  resolve(reply: { content: FromKernel; buffer?: Uint8Array }): void;
  reject(error: Error): void;
}

export class KernelFiles {
  readonly id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  #waiters = new Map<string, Waiter>();
  #onMessage = (...args: unknown[]) => this.#receive(args[0] as FromKernel, args[1] as Buffer[] | undefined);

  constructor(private readonly model: WidgetModel) {
    model.on("msg:custom", this.#onMessage);
  }

  /** What the kernel can send: the app's files, their sizes and hashes. */
  async manifest(): Promise<Manifest> {
    const reply = await this.#ask("manifest", { type: "frontend-manifest-request", id: this.id } satisfies ManifestRequest);
    return reply.content as Manifest;
  }

  /**
   * Fetches `files` (whole, in order of the list) and hands each to `onFile` as soon as it is
   * complete; `onBytes` counts raw bytes as chunks arrive.
   */
  async fetch(files: readonly FrontEndFile[], chunkBytes: number, onFile: (file: FrontEndFile, bytes: Uint8Array) => Promise<void>,
    onBytes: (n: number) => void): Promise<void> {
    const jobs = files.flatMap((file) => Array.from({ length: Math.max(1, Math.ceil(file.size / chunkBytes)) }, (_, index) => ({ file, index })));
    const parts = new Map(files.map((f) => [f.name, [] as Uint8Array[]]));
    const left = new Map(files.map((f) => [f.name, Math.max(1, Math.ceil(f.size / chunkBytes))]));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const { file, index } = jobs[next++];
        const bytes = await this.#chunk(file.name, index);
        parts.get(file.name)![index] = bytes;
        onBytes(bytes.byteLength);
        const remaining = left.get(file.name)! - 1;
        left.set(file.name, remaining);
        if (remaining === 0) await onFile(file, joinChunks(parts.get(file.name)!));
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, worker));
  }

  dispose(): void {
    this.model.off("msg:custom", this.#onMessage);
    for (const waiter of this.#waiters.values()) waiter.reject(new Error("the widget was closed"));
    this.#waiters.clear();
  }

  async #chunk(name: string, index: number): Promise<Uint8Array> {
    const request: ChunkRequest = { type: "frontend-chunk-request", id: this.id, name, index };
    const { content, buffer } = await this.#ask(`${name}#${index}`, request);
    if (!buffer) throw new Error(`the kernel sent chunk ${index} of ${name} without its bytes`);
    return (content as Chunk).encoding === "gzip" ? gunzip(buffer) : buffer.slice();
  }

  #ask(key: string, request: ManifestRequest | ChunkRequest): Promise<{ content: FromKernel; buffer?: Uint8Array }> {
    return new Promise((resolve, reject) => {
      this.#waiters.set(key, { resolve, reject });
      this.model.send(request);
    });
  }

  #receive(content: FromKernel, buffers: Buffer[] | undefined): void {
    if (!content || content.id !== this.id) return;
    if (content.type === "frontend-error") {
      const error = new Error(content.message);
      for (const waiter of this.#waiters.values()) waiter.reject(error);
      this.#waiters.clear();
      return;
    }
    const key = content.type === "frontend-manifest" ? "manifest" : content.type === "frontend-chunk" ? `${content.name}#${content.index}` : null;
    const waiter = key === null ? undefined : this.#waiters.get(key);
    if (!waiter || key === null) return;
    this.#waiters.delete(key);
    waiter.resolve({ content, buffer: buffers?.length ? bytesOf(buffers[0]) : undefined });
  }
}
