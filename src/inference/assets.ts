// The only place in inference/ that uses import.meta.url, so bundlers emit the tasks-vision wasm
// next to our bundle (served same-origin, offline) and jest can swap this module for a mock.
// The simd build only: every browser with WebCodecs also has wasm SIMD.

export const VISION_WASM = {
  loader: new URL("@mediapipe/tasks-vision/vision_wasm_internal.js", import.meta.url).href,
  binary: new URL("@mediapipe/tasks-vision/vision_wasm_internal.wasm", import.meta.url).href,
};
