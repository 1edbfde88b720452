// Analysis workers kept between clips (the headless batch's warm page): a worker's wasm module and
// model stay loaded, and only its MediaPipe graphs are rebuilt for the next clip. One idle set at a
// time: a clip with other options or another model closes the set it cannot use.
import type { AnalysisOptions, RunningMode } from "./options";

export interface Idle {
  readonly key: string;
  /** Ends the set's workers (a set that is replaced, or whose reset failed). */
  terminate(): void;
}

let idle: Idle | undefined;

/** Identifies the workers a clip can reuse: the model's bytes (hashed), the options, the mode. */
export async function warmKey(model: Uint8Array, options: AnalysisOptions, mode: RunningMode): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", model as Uint8Array<ArrayBuffer>));
  const hash = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return JSON.stringify({ hash, options, mode });
}

/** The idle set for `key`, taken out of the pool; undefined (and the other set closed) if none fits. */
export function takeIdle<T extends Idle>(key: string): T | undefined {
  const found = idle;
  idle = undefined;
  if (found && found.key !== key) {
    found.terminate();
    return undefined;
  }
  return found as T | undefined;
}

/** Keeps `set` for the next clip, closing the one kept before. */
export function putIdle(set: Idle): void {
  if (idle && idle !== set) idle.terminate();
  idle = set;
}
