// Reassembles a payload the kernel sends as numbered chunks (clips, restored recordings): chunks
// may come in any order or twice; a new key drops an unfinished payload.
/** A message buffer as hosts hand them over: DataViews (Jupyter), ArrayBuffers or typed arrays. */
export type Buffer = ArrayBuffer | ArrayBufferView;

export function bytesOf(b: Buffer): Uint8Array {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export class ChunkAssembler {
  #key: string | null = null;
  #parts: Uint8Array[] = [];
  #received = 0;

  /** Adds chunk `index` of `count`; returns every chunk in order once the last one is in. */
  add(key: string, index: number, count: number, chunk: Buffer): Uint8Array[] | null {
    if (this.#key !== key) {
      this.#key = key;
      this.#parts = new Array(count);
      this.#received = 0;
    }
    if (!this.#parts[index]) {
      // Copy: the message's buffer belongs to the widget manager and may be reused.
      this.#parts[index] = bytesOf(chunk).slice();
      this.#received++;
    }
    if (this.#received < count) return null;
    const parts = this.#parts;
    this.#key = null;
    this.#parts = [];
    return parts;
  }
}

/** The chunks joined into one array. */
export function joinChunks(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
