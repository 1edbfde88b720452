// The one render path: anywidget's ESM and the JupyterLab plugin both call `render`.
import { buildLayout } from "./layout";
import type { Cleanup, RenderProps, ViewState } from "./model";
import { ViewerHost } from "./viewer";
import { injectStyle } from "./style";

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function render({ model, el }: RenderProps): Cleanup {
  injectStyle(el.ownerDocument);
  const layout = buildLayout(el, (file) => {
    // Analysis plugs in here; until a clip is analysed the viewer stays as it is.
    setState("ready", `${file.name} (${formatBytes(file.size)}) received`);
  });

  const setState = (state: ViewState, status: string) => {
    layout.setState(state, status);
    model.set("state", state);
    model.set("status", status);
    model.save_changes();
  };

  const applyHeight = () => layout.setHeight(Number(model.get("height")) || 640);
  applyHeight();
  model.on("change:height", applyHeight);

  const viewer = new ViewerHost(layout.viewerHost, {
    onReady: () => setState("ready", "Viewer ready: drop a video to analyse it"),
    onError: (message) => setState("error", message),
  });
  setState("loading", "Loading the Rerun viewer…");
  void viewer.start();

  return () => {
    model.off("change:height", applyHeight);
    viewer.dispose();
    layout.dispose();
  };
}
