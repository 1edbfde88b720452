// The front end's files beside the app bundle, by their stable names (no content hash): the
// kernel's channel and the browser's cache key files by name, and the build emits these names.
export const ASSET = {
  analysisWorker: "facescope-analysis.js",
  cameraWorker: "facescope-camera.js",
  visionLoader: "vision_wasm_internal.js",
  visionWasm: "vision_wasm_internal.wasm",
  viewerWasm: "re_viewer_bg.wasm",
} as const;
