// Test pages for the browser suites: every tests/harness/<name>.entry.ts becomes
// build/harness/<name>.js plus <name>.html that loads it. Pages are served over HTTP on
// 127.0.0.1 by tests/browser.py; the workers and wasm files sit beside the pages under the names
// the app's (src/assets.ts resolves them next to the running bundle).
const fs = require("node:fs");
const path = require("node:path");
const webpack = require("webpack");
const { CopyWasm, viewerWasmRule, workerEntries } = require("../../scripts/webpack/parts");

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
  entry: { ...entries, ...workerEntries },
  target: "web",
  experiments: { outputModule: true },
  output: { path: out, filename: "[name].js", module: true, publicPath: "auto", assetModuleFilename: "[name][ext]", clean: true },
  resolve: { extensions: [".ts", ".js"] },
  module: {
    parser: { javascript: { importMeta: false } },
    rules: [
      { test: /\.ts$/, loader: "ts-loader", options: { transpileOnly: true, configFile: path.join(root, "tsconfig.json") } },
      // @rerun-io/web-viewer imports "./re_viewer" without an extension inside a "type":"module" package.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      viewerWasmRule,
    ],
  },
  plugins: [new HtmlPages(), new CopyWasm(), new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
  // Every entry self-contained: webpack would otherwise split the modules the pages and the workers
  // share into a chunk the workers never load.
  optimization: { splitChunks: false },
  performance: { hints: false },
};
