// Two bundles:
//  - app: the heavy front end (viewer, writer, inference) as an ES module inside the
//    labextension, with its wasm files beside it; the Jupyter server serves it same-origin.
//  - widget: the tiny anywidget ESM that the Python class loads; it imports the app by URL.
// The labextension itself (plugin registration) is built by @jupyterlab/builder.
const path = require("path");
const webpack = require("webpack");

const shared = {
  mode: process.env.NODE_ENV === "development" ? "development" : "production",
  devtool: false,
  target: "web",
  experiments: { outputModule: true },
  resolve: { extensions: [".ts", ".js"] },
  module: {
    rules: [
      { test: /\.ts$/, loader: "ts-loader", options: { transpileOnly: true } },
      // @rerun-io/web-viewer imports "./re_viewer" without an extension inside a "type":"module" package.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /\.css$/, type: "asset/source" },
    ],
  },
  performance: { hints: false },
};

const app = {
  ...shared,
  name: "app",
  entry: { "facescope-app": "./src/app.ts" },
  output: {
    path: path.resolve(__dirname, "facescope", "labextension", "app"),
    filename: "[name].js",
    chunkFilename: "[name].[contenthash:12].js",
    assetModuleFilename: "[name].[contenthash:12][ext]",
    module: true,
    library: { type: "module" },
    publicPath: "auto",
    clean: true,
  },
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
  plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
};

module.exports = [app, widget];
