// The front end's own files beyond the app bundle: the workers and the wasm binaries. Where they
// are depends on how the app reached the page: beside the bundle when a server serves it (the
// labextension, the headless page), or as blob: URLs of bytes the kernel sent (every other host).
// Everything asks here, so no module needs import.meta.url (a blob: module has no usable one).
import { ASSET } from "./assetNames";

export { ASSET };

export type AssetResolver = (name: string) => string;

// Bundled as an ES module with import.meta left alone (webpack.config.js), so this is the URL the
// app was imported from; a blob: app replaces the resolver before anything asks.
let resolver: AssetResolver = (name) => new URL(name, import.meta.url).href;

/** Where the app finds its files from now on (a map of blob: URLs, or a folder). */
export function setAssetResolver(next: AssetResolver): void {
  resolver = next;
}

export function assetUrl(name: string): string {
  return resolver(name);
}

/** MediaPipe's wasm loader and binary, as the analysis workers are told them. */
export function visionWasm(): { loader: string; binary: string } {
  return { loader: assetUrl(ASSET.visionLoader), binary: assetUrl(ASSET.visionWasm) };
}

export function createAnalysisWorker(): Worker {
  return new Worker(assetUrl(ASSET.analysisWorker), { name: "facescope-analysis", type: "module" });
}

/** The camera worker (src/video/cameraWorker.ts): reads, records and paces a live camera. */
export function createCameraWorker(): Worker {
  return new Worker(assetUrl(ASSET.cameraWorker), { name: "facescope-camera", type: "module" });
}
