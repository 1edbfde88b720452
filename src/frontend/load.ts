// Starts the front end in a view, whatever the host: the labextension's copy where a Jupyter server
// serves it (fastest, cached by the browser), else the kernel's over the widget's own channel.
// Shared by the anywidget ESM (which runs from a blob: URL and so cannot resolve assets itself) and
// the JupyterLab plugin.
import pkg from "../../package.json";
import type { Cleanup, RenderProps } from "../widget/model";
import { appFromKernel } from "./fromKernel";
import { type AppModule, appUrl, readPageConfig } from "./locate";
import { shareStatus } from "../kernel/model";

function showFailure({ model, el }: RenderProps, message: string): Cleanup {
  const box = el.ownerDocument.createElement("div");
  box.className = "facescope";
  box.dataset.state = "error";
  box.setAttribute("role", "alert");
  box.style.color = "#c62828";
  box.textContent = message;
  el.append(box);
  shareStatus(model, { status: "error", message, error: message });
  return () => box.remove();
}

/** A plain status line while the front end loads (the app's own styles are not there yet). */
function bootLine(el: HTMLElement): { say(text: string): void; remove(): void } {
  const line = el.ownerDocument.createElement("div");
  line.className = "facescope-boot";
  line.dataset.state = "loading";
  line.style.cssText = "font: 13px system-ui, sans-serif; padding: 8px 0; color: #666";
  el.append(line);
  return { say: (text) => (line.textContent = text), remove: () => line.remove() };
}

export async function mount(props: RenderProps): Promise<Cleanup> {
  const doc = props.el.ownerDocument;
  const url = appUrl(readPageConfig(doc), doc.location.href, pkg.version);
  let served = "";
  if (url) {
    try {
      const app = (await import(/* webpackIgnore: true */ url)) as AppModule;
      return app.render(props);
    } catch (error) {
      // Not fatal: a server without the labextension (classic Notebook, a server from another
      // environment) still has the kernel, which has the files.
      served = ` (the Jupyter server did not serve it either: ${url}: ${String(error)}; ` +
        "check `jupyter labextension list` in the server's environment)";
    }
  }
  const boot = bootLine(props.el);
  let app: AppModule;
  try {
    app = await appFromKernel(props.model, pkg.version, boot.say);
  } catch (error) {
    boot.remove();
    return showFailure(props, `facescope could not load its front end from the kernel: ${String((error as Error).message ?? error)}${served}`);
  }
  boot.remove();
  return app.render(props);
}
