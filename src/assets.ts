// Page-side asset URLs that need import.meta.url (kept in one module so jest can mock it).

/** The analysis Web Worker (src/inference/worker.ts), bundled as its own chunk by webpack. */
export function createAnalysisWorker(): Worker {
  return new Worker(new URL("./inference/worker.ts", import.meta.url), { name: "facescope-analysis" });
}

/** The camera worker (src/video/cameraWorker.ts): reads, records and paces a live camera. */
export function createCameraWorker(): Worker {
  return new Worker(new URL("./video/cameraWorker.ts", import.meta.url), { name: "facescope-camera" });
}
