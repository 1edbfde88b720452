// Checks on the front end's bytes: what arrived from the kernel and what the browser's cache
// returns must be the files the kernel listed.

/** Hex sha256, or null where the page has no WebCrypto (plain http on a non-local host). */
export async function sha256Hex(data: Uint8Array | Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = new Uint8Array(await subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The file is the one listed: its hash where the page can compute it, else at least its size. */
export async function matches(data: Uint8Array | Blob, expected: { size: number; sha256: string }): Promise<boolean> {
  const size = data instanceof Blob ? data.size : data.byteLength;
  if (size !== expected.size) return false;
  const hash = await sha256Hex(data);
  return hash === null || hash === expected.sha256;
}

/** Inflates one gzip member (the kernel compresses each chunk on its own). */
export async function gunzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
