// jest stand-in for every `*/assets` module (jest.config.js maps them here): no import.meta.url in
// CommonJS, and unit tests never load real wasm or start workers.

export const VISION_WASM = {
  loader: "http://127.0.0.1/mock/vision_wasm_internal.js",
  binary: "http://127.0.0.1/mock/vision_wasm_internal.wasm",
};

export function createAnalysisWorker(): Worker {
  throw new Error("workers are not available in jest; exercise the worker in tests/analysis");
}

export function createCameraWorker(): Worker {
  throw new Error("workers are not available in jest; the camera worker runs in tests/e2e/test_camera.py");
}
