/** @jest-environment jsdom */
import { FakeModel } from "../widget/fakeModel";
import { WAITING_NOTE_MS } from "./fromKernel";
import { mount } from "./load";

/** Lets the loader's awaits run (jsdom has no IndexedDB, so the cache is skipped at once). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("mount", () => {
  afterEach(() => {
    document.getElementById("jupyter-config-data")?.remove();
    delete (globalThis as { __facescopeFrontEnd?: unknown }).__facescopeFrontEnd;
  });

  it("outside a Jupyter page asks the kernel for the front end and says it is loading", async () => {
    const model = new FakeModel();
    const el = document.createElement("div");
    void mount({ model, el });
    await settle();
    expect(model.sent).toEqual([{ type: "frontend-manifest-request", id: expect.any(String) }]);
    expect(el.textContent).toMatch(/Loading facescope's front end from the kernel/);
  });

  it("shows the kernel's reason and sets the error status when the kernel cannot send it", async () => {
    const model = new FakeModel();
    const el = document.createElement("div");
    const mounted = mount({ model, el });
    await settle();
    const { id } = model.sent[0] as { id: string };
    model.custom({ type: "frontend-error", id: "another view's request", message: "not me" }, []);
    model.custom({ type: "frontend-error", id, message: "facescope's built front end is missing" }, []);
    const cleanup = await mounted;
    expect(model.get("status")).toBe("error");
    expect(String(model.get("error"))).toMatch(/could not load its front end from the kernel: facescope's built front end is missing/);
    expect(el.querySelector(".facescope-boot")).toBeNull();
    cleanup();
    expect(el.textContent).toBe("");
  });

  it("falls back to the kernel when the server does not serve the labextension, and names both", async () => {
    const config = document.createElement("script");
    config.id = "jupyter-config-data";
    config.type = "application/json";
    config.textContent = JSON.stringify({ fullLabextensionsUrl: "/lab/extensions" });
    document.body.append(config);
    const model = new FakeModel();
    const el = document.createElement("div");
    const mounted = mount({ model, el });
    for (let i = 0; i < 20 && model.sent.length === 0; i++) await settle();
    const { id } = model.sent[0] as { id: string };
    model.custom({ type: "frontend-error", id, message: "no front end here" }, []);
    await mounted;
    const error = String(model.get("error"));
    expect(error).toMatch(/no front end here/);
    expect(error).toMatch(/\/lab\/extensions\/facescope\/app\/facescope-app\.js/);
    expect(error).toMatch(/jupyter labextension list/);
  });
});

describe("mount while the kernel is busy", () => {
  afterEach(() => {
    jest.useRealTimers();
    delete (globalThis as { __facescopeFrontEnd?: unknown }).__facescopeFrontEnd;
  });

  it("says it waits for the kernel instead of looking stuck", async () => {
    jest.useFakeTimers();
    const model = new FakeModel();
    const el = document.createElement("div");
    void mount({ model, el });
    for (let i = 0; i < 20 && model.sent.length === 0; i++) await Promise.resolve();
    expect(el.textContent).not.toMatch(/waiting for the kernel/);
    jest.advanceTimersByTime(WAITING_NOTE_MS);
    expect(el.textContent).toMatch(/waiting for the kernel to answer/);
  });
});
