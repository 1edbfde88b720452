jest.mock("@jupyter-widgets/base", () => {
  class DOMWidgetModel {
    defaults() {
      return { _model_name: "DOMWidgetModel" };
    }
  }
  class DOMWidgetView {
    remove() {}
  }
  return { DOMWidgetModel, DOMWidgetView, IJupyterWidgetRegistry: Symbol("registry") };
});

import plugin, { FaceScopeModel, FaceScopeView, MODULE_NAME } from "./plugin";
import pkg from "../package.json";

describe("labextension plugin", () => {
  it("registers the facescope widget module at the package version", () => {
    const registered: unknown[] = [];
    plugin.activate(null, { registerWidget: (data) => registered.push(data) });
    expect(registered).toEqual([{ name: MODULE_NAME, version: pkg.version, exports: { FaceScopeModel, FaceScopeView } }]);
    expect(plugin.autoStart).toBe(true);
  });

  it("names its model and view after the module", () => {
    const defaults = new FaceScopeModel().defaults();
    expect(defaults).toMatchObject({
      _model_name: "FaceScopeModel", _model_module: "facescope", _model_module_version: pkg.version,
      _view_name: "FaceScopeView", _view_module: "facescope", height: 640,
    });
  });
});
