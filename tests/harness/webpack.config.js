// Test pages for the browser suites: every tests/harness/<name>.entry.ts becomes
// build/harness/<name>.js plus <name>.html that loads it. Pages are served over HTTP on
// 127.0.0.1 by tests/browser.py; assets (wasm) resolve next to the bundle.
const fs = require("fs");
const path = require("path");
const webpack = require("webpack");

const root = path.resolve(__dirname, "..", "..");
const out = path.join(root, "build", "harness");
const entries = Object.fromEntries(
  fs.readdirSync(__dirname)
    .filter((f) => f.endsWith(".entry.ts"))
    .map((f) => [f.replace(/\.entry\.ts$/, ""), path.join(__dirname, f)]),
);

class HtmlPages {
  apply(compiler) {
    compiler.hooks.afterEmit.tap("HtmlPages", () => {
      for (const name of Object.keys(entries)) {
        const html = `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head>` +
          `<body style="margin:0"><div id="root" style="width:1024px;height:640px"></div>` +
          `<script type="module" src="./${name}.js"></script></body></html>`;
        fs.writeFileSync(path.join(out, `${name}.html`), html);
      }
    });
  }
}

module.exports = {
  mode: "development",
  devtool: false,
  context: root,
  entry: entries,
  target: "web",
  experiments: { outputModule: true },
  output: { path: out, filename: "[name].js", module: true, publicPath: "auto", assetModuleFilename: "[name][ext]", clean: true },
  resolve: { extensions: [".ts", ".js"] },
  module: {
    rules: [
      { test: /\.ts$/, loader: "ts-loader", options: { transpileOnly: true, configFile: path.join(root, "tsconfig.json") } },
      // @rerun-io/web-viewer imports "./re_viewer" without an extension inside a "type":"module" package.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
    ],
  },
  plugins: [new HtmlPages(), new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
  // Every worker chunk self-contained: with two worker entries (analysis, probe) webpack would
  // otherwise split their shared modules into a chunk the workers never load.
  optimization: { splitChunks: false },
  performance: { hints: false },
};
