// Where the heavy front end (viewer wasm, MediaPipe wasm) lives when a Jupyter server serves it:
// in JupyterLab, Notebook 7 and Voilà the labextension serves it from the server itself, cached by
// the browser, offline, same-origin. Other hosts get it from the kernel (fromKernel.ts).
import type { AssetResolver } from "../assets";
import type { Cleanup, RenderProps } from "../widget/model";

/** What the app bundle (src/app.ts) exports to the loader. */
export interface AppModule {
  render(props: RenderProps): Cleanup;
  setAssetResolver(resolver: AssetResolver): void;
}

/** Folder of the app bundle inside the installed labextension (not under static/, whose
 * files JupyterLab marks immutable: the app keeps a stable name and is revalidated). */
export const APP_DIR = "facescope/app/";
export const APP_FILE = "facescope-app.js";

interface PageConfig {
  fullLabextensionsUrl?: string;
  baseUrl?: string;
}

/** Reads JupyterLab's page config (`<script id="jupyter-config-data">`); null outside Jupyter. */
export function readPageConfig(doc: Document): PageConfig | null {
  const node = doc.getElementById("jupyter-config-data");
  if (!node?.textContent) return null;
  try {
    return JSON.parse(node.textContent) as PageConfig;
  } catch {
    return null;
  }
}

/** Absolute URL of the app bundle, or null when the page is not a Jupyter server page. */
export function appUrl(config: PageConfig | null, pageUrl: string, version: string): string | null {
  if (!config) return null;
  const extensions = config.fullLabextensionsUrl
    ?? (config.baseUrl !== undefined ? `${config.baseUrl.replace(/\/$/, "")}/lab/extensions` : null);
  if (!extensions) return null;
  const base = new URL(extensions.endsWith("/") ? extensions : `${extensions}/`, pageUrl);
  const url = new URL(APP_DIR + APP_FILE, base);
  // A version query lets browsers cache across sessions yet pick up an upgrade at once.
  url.searchParams.set("v", version);
  return url.toString();
}
