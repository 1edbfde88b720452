// jest stand-in for src/assets.ts (jest.config.js maps it here): no import.meta.url in CommonJS,
// and unit tests never load real wasm or start workers.

import { ASSET } from "../assetNames";

export { ASSET };

let resolver = (name: string) => `http://127.0.0.1/mock/${name}`;

export function setAssetResolver(next: (name: string) => string): void {
  resolver = next;
}

export function assetUrl(name: string): string {
  return resolver(name);
}

export function visionWasm(): { loader: string; binary: string } {
  return { loader: assetUrl(ASSET.visionLoader), binary: assetUrl(ASSET.visionWasm) };
}

export function createAnalysisWorker(): Worker {
  throw new Error("workers are not available in jest; exercise the worker in tests/analysis");
}

export function createCameraWorker(): Worker {
  throw new Error("workers are not available in jest; the camera worker runs in tests/e2e/test_camera.py");
}
