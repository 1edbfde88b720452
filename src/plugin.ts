// JupyterLab / Notebook 7 plugin: registers the facescope widget module with the widget manager
// (the same view as the anywidget ESM, through the same `mount`), and ships the app bundle and
// its wasm files in the labextension so the server serves them same-origin.
import { DOMWidgetModel, DOMWidgetView, IJupyterWidgetRegistry } from "@jupyter-widgets/base";
import pkg from "../package.json";

const { version } = pkg;
import { mount } from "./frontend/load";
import type { Cleanup, WidgetModel } from "./widget/model";

export const MODULE_NAME = "facescope";

export class FaceScopeModel extends DOMWidgetModel {
  override defaults() {
    return {
      ...super.defaults(),
      _model_name: "FaceScopeModel",
      _model_module: MODULE_NAME,
      _model_module_version: version,
      _view_name: "FaceScopeView",
      _view_module: MODULE_NAME,
      _view_module_version: version,
      height: 640,
      status: "loading",
      message: "",
      error: "",
    };
  }
}

export class FaceScopeView extends DOMWidgetView {
  #cleanup: Cleanup | null = null;
  #removed = false;

  override render(): void {
    void mount({ model: this.model as unknown as WidgetModel, el: this.el }).then((cleanup) => {
      if (this.#removed) cleanup();
      else this.#cleanup = cleanup;
    });
  }

  override remove(): void {
    this.#removed = true;
    this.#cleanup?.();
    this.#cleanup = null;
    super.remove();
  }
}

const plugin = {
  id: "facescope:plugin",
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate(_app: unknown, registry: { registerWidget(data: unknown): void }): void {
    registry.registerWidget({ name: MODULE_NAME, version, exports: { FaceScopeModel, FaceScopeView } });
  },
};

export default plugin;
