// A build-time wrap of @rerun-io/web-viewer (not a fork): its index.js fetches the viewer's wasm
// from a URL relative to its own module, which a blob: module does not have. The block between
// Rerun's INLINE markers (the place Rerun's own notebook build rewrites too) is replaced by a fetch
// of the URL our asset resolver gives, keeping the viewer's progress wrapper. The build fails if
// the markers or the wrapper are gone, so a viewer upgrade cannot silently break the hosts.
const path = require("node:path");

const OPEN = "//!<INLINE-MARKER-OPEN>";
const CLOSE = "//!<INLINE-MARKER-CLOSE>";
const PROGRESS = "wrap_fetch_with_progress";

module.exports = function viewerWasmLoader(source) {
  const start = source.indexOf(OPEN);
  const end = source.indexOf(CLOSE);
  if (start < 0 || end < start || !source.includes(`function ${PROGRESS}(`)) {
    throw new Error(`${this.resourcePath}: the viewer's wasm fetch block (${OPEN} … ${CLOSE}) or ${PROGRESS} ` +
      "is not where facescope expects it; update scripts/webpack/viewer-wasm-loader.js for this viewer version");
  }
  const assets = path.resolve(__dirname, "..", "..", "src", "assets.ts").replace(/\\/g, "/");
  const body = `${OPEN}
    const response = await fetch(__facescopeAssets.assetUrl(__facescopeAssets.ASSET.viewerWasm));
    if (!response.ok) throw new Error(\`Failed to fetch viewer WASM: \${response.status} \${response.statusText}\`);
    return ${PROGRESS}(response, on_progress);
    `;
  return `import * as __facescopeAssets from ${JSON.stringify(assets)};\n` +
    source.slice(0, start) + body + source.slice(end);
};
