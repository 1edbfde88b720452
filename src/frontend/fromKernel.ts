// The front end for hosts that serve no labextension (marimo, VS Code, Colab, classic Notebook, a
// bare page): its files come from the browser's cache or over the kernel's channel, become blob:
// URLs, and the app module is imported from one, told where the others are. One load per page and
// version, whichever widget asks first; a failed load lets the next widget try again.
import type { WidgetModel } from "../kernel/model";
import { AssetCache, cacheKey } from "./cache";
import { KernelFiles } from "./channel";
import { matches } from "./digest";
import type { FrontEndFile, Manifest } from "./protocol";
import type { AppModule } from "./locate";

export type Say = (text: string) => void;

const MB = 1e6;
/** After this long without a manifest, the line says why nothing moves (a kernel busy in a cell). */
export const WAITING_NOTE_MS = 10_000;

interface PageLoads {
  __facescopeFrontEnd?: Map<string, Promise<AppModule>>;
}

export function appFromKernel(model: WidgetModel, version: string, say: Say): Promise<AppModule> {
  const page = globalThis as PageLoads;
  page.__facescopeFrontEnd ??= new Map();
  const loads = page.__facescopeFrontEnd;
  let load = loads.get(version);
  if (!load) {
    load = loadApp(model, say);
    loads.set(version, load);
    load.catch(() => loads.delete(version));
  }
  return load;
}

function blobType(name: string): string {
  if (name.endsWith(".wasm")) return "application/wasm"; // instantiateStreaming insists
  return name.endsWith(".js") ? "text/javascript" : "application/octet-stream";
}

async function loadApp(model: WidgetModel, say: Say): Promise<AppModule> {
  const channel = new KernelFiles(model);
  const cache = await AssetCache.open();
  try {
    say("Loading facescope's front end from the kernel…");
    const waiting = setTimeout(() => say("Loading facescope's front end: waiting for the kernel to answer " +
      "(it answers once the cell it is running finishes)…"), WAITING_NOTE_MS);
    const manifest = await channel.manifest().finally(() => clearTimeout(waiting));
    const blobs = new Map<string, Blob>();
    const missing: FrontEndFile[] = [];
    for (const file of manifest.files) {
      const cached = await cache?.read(cacheKey(manifest.version, file));
      // A damaged, truncated or unreadable entry fails the check and is fetched (and stored) again.
      if (cached && await matches(cached, file)) blobs.set(file.name, new Blob([cached as BlobPart], { type: blobType(file.name) }));
      else missing.push(file);
    }
    if (missing.length) await fetchMissing(channel, cache, manifest, missing, blobs, say);
    await cache?.prune(new Set(manifest.files.map((f) => cacheKey(manifest.version, f))));
    return await start(manifest, blobs);
  } finally {
    channel.dispose();
    cache?.close();
  }
}

async function fetchMissing(channel: KernelFiles, cache: AssetCache | null, manifest: Manifest, missing: FrontEndFile[],
  blobs: Map<string, Blob>, say: Say): Promise<void> {
  const total = missing.reduce((n, f) => n + f.size, 0);
  let received = 0;
  const note = cache ? "first use in this browser; later loads come from its cache" : "this page cannot cache it";
  const show = () => say(`Loading facescope's front end from the kernel (${note}): ${(received / MB).toFixed(0)} of ${(total / MB).toFixed(0)} MB`);
  show();
  await channel.fetch(missing, manifest.chunkBytes, async (file, bytes) => {
    if (!await matches(bytes, file)) throw new Error(`${file.name} arrived damaged (its size or sha256 differs from the kernel's list)`);
    const blob = new Blob([bytes as BlobPart], { type: blobType(file.name) });
    blobs.set(file.name, blob);
    await cache?.put(cacheKey(manifest.version, file), blob);
  }, (n) => {
    received += n;
    show();
  });
}

async function start(manifest: Manifest, blobs: Map<string, Blob>): Promise<AppModule> {
  const urls = new Map<string, string>();
  // Every blob was made here with its type (modules and wasm need them), none backed by a cache file.
  for (const [name, blob] of blobs) urls.set(name, URL.createObjectURL(blob));
  const entry = urls.get(manifest.entry);
  if (!entry) throw new Error(`the kernel's list has no ${manifest.entry}`);
  const app = (await import(/* webpackIgnore: true */ entry)) as AppModule;
  app.setAssetResolver((name) => {
    const url = urls.get(name);
    if (!url) throw new Error(`facescope's front end has no file ${name} (the kernel's list: ${[...urls.keys()].join(", ")})`);
    return url;
  });
  return app;
}
