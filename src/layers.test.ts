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

type Read = (file: string) => string;
const readSource: Read = (file) => readFileSync(file, "utf8");

/** The modules of ours `file` imports (static, type-only and dynamic imports). */
function localImports(file: string, read: Read = readSource): string[] {
  const text = read(file);
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
  return specs.map((spec) => resolve(dirname(file), spec)).filter((path) => path.startsWith(`${SRC}/`));
}

/** "a.ts → b" for every import of `files` that goes up a layer; `read` gives a file's text. */
function upwardImports(files: string[], read: Read = readSource): string[] {
  return files.flatMap((file) => localImports(file, read)
    .filter((target) => rank(target) > rank(file))
    .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`));
}

describe("layers", () => {
  it("no module imports from a layer above its own", () => {
    expect(upwardImports(sources(SRC))).toEqual([]);
  });

  it("sees a planted upward import of every form, and only those", () => {
    const planted: Record<string, string> = {
      [join(SRC, "video/x.ts")]: [
        'import { AnalysisSession } from "../analysis/session";',
        'import type { Scene } from "../scene/scene";',
        'const later = () => import("../widget/view");',
        'import "../app";',
        'import { VideoSource } from "./source";', // its own layer
        'import { parseOptions } from "../options";', // below
        'import { tableFromIPC } from "apache-arrow";', // not ours
      ].join("\n"),
      [join(SRC, "analysis/y.ts")]: 'import { x } from "../video/x";\nimport { s } from "./session";',
    };
    expect(upwardImports(Object.keys(planted), (file) => planted[file])).toEqual([
      "video/x.ts → analysis/session", "video/x.ts → scene/scene", "video/x.ts → widget/view", "video/x.ts → app",
    ]);
  });
});
