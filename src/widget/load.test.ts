/** @jest-environment jsdom */
import { FakeModel } from "./fakeModel";
import { mount } from "./load";

describe("mount", () => {
  afterEach(() => document.getElementById("jupyter-config-data")?.remove());

  it("explains itself outside a Jupyter page instead of failing silently", async () => {
    const model = new FakeModel();
    const el = document.createElement("div");
    const cleanup = await mount({ model, el });
    expect(model.get("status")).toBe("error");
    expect(el.textContent).toMatch(/JupyterLab ≥ 4 or Notebook 7/);
    cleanup();
    expect(el.textContent).toBe("");
  });

  it("names the URL it could not load and how to check the installation", async () => {
    const config = document.createElement("script");
    config.id = "jupyter-config-data";
    config.type = "application/json";
    config.textContent = JSON.stringify({ fullLabextensionsUrl: "/lab/extensions" });
    document.body.append(config);
    const model = new FakeModel();
    const el = document.createElement("div");
    await mount({ model, el });
    expect(model.get("status")).toBe("error");
    expect(String(model.get("error"))).toMatch(/\/lab\/extensions\/facescope\/app\/facescope-app\.js/);
    expect(String(model.get("error"))).toMatch(/jupyter labextension list/);
  });
});
