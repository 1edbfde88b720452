import plugin from "./plugin";

describe("labextension plugin", () => {
  it("starts without asking JupyterLab for anything and registers no widget model", () => {
    expect(plugin).toEqual({ id: "facescope:plugin", autoStart: true, activate: expect.any(Function) });
    expect(plugin.activate()).toBeUndefined();
  });
});
