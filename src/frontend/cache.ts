// The browser's copy of the front end's files (IndexedDB: it exists in every context, where Cache
// Storage needs a secure one), so a second display, a re-run or a reload does not move ~60 MB over
// the kernel's channel again. Keys carry facescope's version and the file's sha256: an upgrade or a
// changed file never matches an old entry, and what a run no longer lists is pruned.
import type { FrontEndFile } from "./protocol";

const DB_NAME = "facescope-frontend";
const STORE = "files";

export function cacheKey(version: string, file: FrontEndFile): string {
  return `${version}/${file.name}/${file.sha256}`;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });
}

export class AssetCache {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens the cache; null where the page may not use IndexedDB (then every load uses the channel). */
  static async open(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<AssetCache | null> {
    if (!factory) return null;
    try {
      const request = factory.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      return new AssetCache(await done(request));
    } catch {
      return null;
    }
  }

  /** The entry's bytes, read now; null when absent or unreadable. Chromium keeps an entry's blob in a
   * file of its own, and a blob replaced or written moments before (by another page) can fail to read
   * ("NotReadableError"): that is a miss, fetched again, never a failed load. Reading here also frees
   * what the page does later from the entry's file. */
  async read(key: string): Promise<Uint8Array | null> {
    try {
      const value = await done(this.db.transaction(STORE).objectStore(STORE).get(key));
      return value instanceof Blob ? new Uint8Array(await value.arrayBuffer()) : null;
    } catch {
      return null;
    }
  }

  /** Stores a file; a full disk or a private window only costs the next load a transfer. */
  async put(key: string, blob: Blob): Promise<void> {
    try {
      const tx = this.db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(blob, key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error);
      });
    } catch {
      // the file is in memory for this page anyway
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await done(this.db.transaction(STORE, "readwrite").objectStore(STORE).delete(key));
    } catch {
      // a stale entry left behind is never read: its key will not be asked for
    }
  }

  /** Drops every entry not in `keep` (older versions, replaced files). */
  async prune(keep: ReadonlySet<string>): Promise<void> {
    try {
      const keys = await done(this.db.transaction(STORE).objectStore(STORE).getAllKeys());
      for (const key of keys) if (!keep.has(String(key))) await this.delete(String(key));
    } catch {
      // pruning is housekeeping
    }
  }

  close(): void {
    this.db.close();
  }
}
