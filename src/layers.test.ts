// The front end's layers import downwards only (DESIGN.md "one direction of flow"): a lower layer
// that imports a higher one (video/ reaching into analysis/ was one) ties the pieces into a knot
// that no part can be tested or reused without.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Lowest first; a module may import its own layer and those listed before it. */
const LAYERS: string[][] = [
  ["options", "limits", "assets", "assetNames", "types"], // leaves: import nothing of ours
  ["results", "rerun"],
  ["video"],
  ["inference"],
  ["scene"],
  ["sync"],
  ["kernel"], // the widget's channel to the kernel: runs, clips, the model, the kernel's health
  ["analysis"],
  ["headless", "widget", "frontend"], // frontend: how the app reaches a page (loads it, then widget/ renders)
  ["app", "plugin", "bootstrap"], // the bundles' entry points
];

const SRC = __dirname;
const rank = (file: string): number => {
  // The first path segment: a folder, or a top-level module without its extension.
  const top = relative(SRC, file).split(/[\\/]/)[0].replace(/(\.d)?\.ts$/, "");
  const at = LAYERS.findIndex((layer) => layer.includes(top));
  if (at < 0) throw new Error(`${relative(SRC, file)} is in no layer: add ${top} to LAYERS`);
  return at;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "__mocks__" ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** The modules of ours `file` imports (static, type-only and dynamic imports). */
function localImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
  return specs.map((spec) => resolve(dirname(file), spec)).filter((path) => path.startsWith(`${SRC}/`));
}

/** "a.ts → b.ts" for every import of `files` that goes up a layer. */
function upwardImports(files: string[]): string[] {
  return files.flatMap((file) => localImports(file)
    .filter((target) => rank(target) > rank(file))
    .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`));
}

describe("layers", () => {
  it("no module imports from a layer above its own", () => {
    expect(upwardImports(sources(SRC))).toEqual([]);
  });

  it("sees an upward import", () => {
    expect(rank(join(SRC, "video/cameraWorker.ts"))).toBeLessThan(rank(join(SRC, "analysis/liveSession.ts")));
    expect(localImports(join(SRC, "analysis/liveSession.ts"))).toContain(join(SRC, "video/frameGate"));
  });
});
