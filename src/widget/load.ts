// Loads the app bundle from the labextension and renders into `el`. Shared by the anywidget
// ESM (which runs from a blob: URL and so cannot resolve assets itself) and the JupyterLab plugin.
import pkg from "../../package.json";
import { NOT_IN_JUPYTER, appUrl, readPageConfig } from "./locate";
import type { Cleanup, RenderProps } from "./model";

interface AppModule {
  render(props: RenderProps): Cleanup;
}

function showFailure({ model, el }: RenderProps, message: string): Cleanup {
  const box = el.ownerDocument.createElement("div");
  box.className = "facescope";
  box.dataset.state = "error";
  box.setAttribute("role", "alert");
  box.style.color = "#c62828";
  box.textContent = message;
  el.append(box);
  model.set("status", "error");
  model.set("message", message);
  model.set("error", message);
  model.save_changes();
  return () => box.remove();
}

export async function mount(props: RenderProps): Promise<Cleanup> {
  const url = appUrl(readPageConfig(props.el.ownerDocument), props.el.ownerDocument.location.href, pkg.version);
  if (!url) return showFailure(props, NOT_IN_JUPYTER);
  let app: AppModule;
  try {
    app = (await import(/* webpackIgnore: true */ url)) as AppModule;
  } catch (error) {
    return showFailure(props,
      `facescope could not load its front end from ${url} (${String(error)}). ` +
      "Is the labextension installed in the server's environment? Check `jupyter labextension list`.");
  }
  return app.render(props);
}
