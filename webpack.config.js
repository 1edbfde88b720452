// Two bundles:
//  - app: the heavy front end (viewer, writer, inference) as one ES module, its two workers as one
//    file each, and the wasm files, all under stable names in the labextension's app/ folder. The
//    Jupyter server serves that folder same-origin; every other host gets the same files from the
//    kernel and runs them from blob: URLs, so no file may find another by a relative URL: assets
//    are resolved at run time through src/assets.ts, and nothing is split into async chunks.
//  - widget: the tiny anywidget ESM that the Python class loads; it finds and starts the app.
// The labextension itself (plugin registration) is built by @jupyterlab/builder.
const path = require("node:path");
const webpack = require("webpack");
const { CopyWasm, viewerWasmRule, workerEntries } = require("./scripts/webpack/parts");

const shared = {
  mode: process.env.NODE_ENV === "development" ? "development" : "production",
  devtool: false,
  target: "web",
  experiments: { outputModule: true },
  resolve: { extensions: [".ts", ".js"] },
  module: {
    // import.meta.url stays the running module's URL (src/assets.ts resolves against it).
    parser: { javascript: { importMeta: false } },
    rules: [
      { test: /\.ts$/, loader: "ts-loader", options: { transpileOnly: true } },
      // @rerun-io/web-viewer imports "./re_viewer" without an extension inside a "type":"module" package.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      viewerWasmRule,
      { test: /\.css$/, type: "asset/source" },
    ],
  },
  performance: { hints: false },
};

const singleFile = [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })];

const app = {
  ...shared,
  name: "app",
  entry: { "facescope-app": "./src/app.ts", ...workerEntries },
  output: {
    path: path.resolve(__dirname, "facescope", "labextension", "app"),
    filename: "[name].js",
    module: true,
    library: { type: "module" },
    asyncChunks: false,
    clean: true,
  },
  // Each entry self-contained: the workers load no chunk of the app's, and the app none at all.
  optimization: { splitChunks: false, runtimeChunk: false },
  plugins: [...singleFile, new CopyWasm()],
};

const widget = {
  ...shared,
  name: "widget",
  entry: { widget: "./src/bootstrap.ts" },
  output: {
    path: path.resolve(__dirname, "facescope", "static"),
    filename: "[name].js",
    module: true,
    library: { type: "module" },
    // anywidget imports this module from a blob: URL, where sibling chunks cannot be found.
    asyncChunks: false,
    clean: true,
  },
  plugins: singleFile,
};

module.exports = [app, widget];
