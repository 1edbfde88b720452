// Messages a view exchanges with the kernel to get the front end where no server serves it
// (facescope/_frontend.py answers them). Every reply names the request's `id`, since all views of a
// widget hear every message.

/** One file of the app folder, as the kernel has it. */
export interface FrontEndFile {
  name: string;
  size: number;
  /** Hex sha256 of the file's bytes: the browser's cache key and its check on what arrived. */
  sha256: string;
}

export interface ManifestRequest {
  type: "frontend-manifest-request";
  id: string;
}

export interface Manifest {
  type: "frontend-manifest";
  id: string;
  version: string;
  /** The app module among `files`; the others are what it resolves through src/assets.ts. */
  entry: string;
  /** Raw bytes per chunk: a file of `size` bytes comes in ceil(size / chunkBytes) chunks. */
  chunkBytes: number;
  files: FrontEndFile[];
}

export interface ChunkRequest {
  type: "frontend-chunk-request";
  id: string;
  name: string;
  index: number;
}

/** One chunk; its one buffer is gzip-compressed (encoding "gzip") or the raw bytes ("identity"). */
export interface Chunk {
  type: "frontend-chunk";
  id: string;
  name: string;
  index: number;
  encoding: "gzip" | "identity";
}

export interface FrontEndError {
  type: "frontend-error";
  id: string;
  message: string;
}

export type FromKernel = Manifest | Chunk | FrontEndError;
