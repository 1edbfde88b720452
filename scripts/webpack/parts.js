// Pieces both webpack builds (the app, the test harness) share: the worker entries, the wasm
// files copied under their stable names, and the viewer's wasm fetch routed through src/assets.ts.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");

/** The worker bundles, emitted as `<name>.js` beside the app (names in src/assetNames.ts). */
const workerEntries = {
  "facescope-analysis": path.join(root, "src", "inference", "worker.ts"),
  "facescope-camera": path.join(root, "src", "video", "cameraWorker.ts"),
};

// By path: neither package exports these files to require.resolve. The simd build only: every
// browser with WebCodecs has wasm SIMD.
const WASM_FILES = {
  "vision_wasm_internal.js": "@mediapipe/tasks-vision/wasm/vision_wasm_internal.js",
  "vision_wasm_internal.wasm": "@mediapipe/tasks-vision/wasm/vision_wasm_internal.wasm",
  "re_viewer_bg.wasm": "@rerun-io/web-viewer/re_viewer_bg.wasm",
};

/** Emits the wasm files (and MediaPipe's loader) with stable names into the output folder. */
class CopyWasm {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("CopyWasm", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "CopyWasm", stage: compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        for (const [name, request] of Object.entries(WASM_FILES)) {
          const file = path.join(root, "node_modules", request);
          compilation.fileDependencies.add(file);
          compilation.emitAsset(name, new compiler.webpack.sources.RawSource(fs.readFileSync(file)));
        }
      });
    });
  }
}

const viewerWasmRule = {
  test: /@rerun-io[\\/]web-viewer[\\/]index\.js$/,
  loader: path.join(__dirname, "viewer-wasm-loader.js"),
};

module.exports = { workerEntries, CopyWasm, viewerWasmRule };
