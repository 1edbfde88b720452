/** @jest-environment jsdom */
import { FakeModel } from "./fakeModel";

const viewer = { start: jest.fn(), dispose: jest.fn(), send: jest.fn() };
let viewerEvents: { onReady(): void; onError(m: string): void };
jest.mock("./viewer", () => ({
  ViewerHost: jest.fn().mockImplementation((_parent: HTMLElement, events: typeof viewerEvents) => {
    viewerEvents = events;
    return viewer;
  }),
}));
jest.mock("../../style/facescope.css", () => ".facescope{}", { virtual: true });
jest.mock("../analysis/session", () => ({ analyzeClip: jest.fn() }));
jest.mock("../analysis/liveSession", () => ({ analyzeCamera: jest.fn() }));
// The RRD writer behind custom data needs a browser's TextDecoder; customChannel has its own tests.
jest.mock("./customChannel", () => ({ listenForCustom: jest.fn(() => ({ retry: jest.fn(), stop: jest.fn() })) }));

import { analyzeClip } from "../analysis/session";
import { render } from "./render";
import { ViewerHost } from "./viewer";

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("render", () => {
  beforeEach(() => jest.clearAllMocks());

  it("goes from loading to idle and mirrors the state into the model", () => {
    const model = new FakeModel({ height: 500 });
    const el = document.createElement("div");
    render({ model, el });
    expect(el.querySelector(".facescope")?.getAttribute("data-state")).toBe("loading");
    expect(model.get("status")).toBe("loading");
    expect(viewer.start).toHaveBeenCalledTimes(1);
    viewerEvents.onReady();
    // Not idle yet: the kernel may hold a clip for this view, which would start at once.
    expect(model.get("status")).toBe("loading");
    expect(String(model.get("message"))).not.toMatch(/drop a video/);
    const hello = model.sent.find((m) => (m as { type: string }).type === "hello") as { view: string };
    model.custom({ type: "clip-none", to: hello.view }, []);
    expect(el.querySelector(".facescope")?.getAttribute("data-state")).toBe("idle");
    expect(model.get("status")).toBe("idle");
    expect(String(model.get("message"))).toMatch(/Viewer ready: drop a video/);
    expect(model.saves).toBeGreaterThanOrEqual(2);
  });

  it("never says 'drop a video' when the kernel answers with a clip", () => {
    const model = new FakeModel();
    const el = document.createElement("div");
    render({ model, el });
    const messages: string[] = [];
    const save = model.save_changes.bind(model);
    model.save_changes = () => {
      messages.push(String(model.get("message")));
      save();
    };
    viewerEvents.onReady();
    const hello = model.sent.find((m) => (m as { type: string }).type === "hello") as { view: string };
    model.custom({ type: "clip", to: hello.view, serial: 1, name: "talk.mp4", index: 0, count: 1, size: 3 }, [new Uint8Array([1, 2, 3])]);
    expect(messages.join("\n")).not.toMatch(/drop a video/);
  });

  it("reports a viewer failure as an error state", () => {
    const model = new FakeModel();
    const el = document.createElement("div");
    render({ model, el });
    viewerEvents.onError("The Rerun viewer failed to start: no WebGL");
    expect(model.get("status")).toBe("error");
    expect(model.get("error")).toMatch(/no WebGL/);
    expect(el.querySelector(".facescope-status")?.textContent).toMatch(/no WebGL/);
  });

  it("follows the height trait and stops following after cleanup", () => {
    const model = new FakeModel({ height: 500 });
    const el = document.createElement("div");
    const cleanup = render({ model, el });
    const host = el.querySelector<HTMLElement>(".facescope-viewer")!;
    expect(host.style.height).toBe("500px");
    model.change("height", 720);
    expect(host.style.height).toBe("720px");
    cleanup();
    expect(model.listeners.get("change:height")?.size ?? 0).toBe(0);
    expect(viewer.dispose).toHaveBeenCalledTimes(1);
    expect(el.querySelector(".facescope")).toBeNull();
  });

  it("mirrors a run another view analyses and rebuilds its viewer from the kernel's recording", () => {
    const model = new FakeModel({ status: "analysing", message: "Analysing talk.mp4: 10 / 75 frames" });
    const el = document.createElement("div");
    const cleanup = render({ model, el });
    expect(model.get("status")).toBe("analysing"); // a view that is not analysing never writes the shared state
    viewerEvents.onReady();
    const hello = model.sent.find((m) => (m as { type: string }).type === "hello") as { view: string; shows: null };
    expect(hello.shows).toBeNull();
    expect(model.sent).toContainEqual({ type: "clip-request", view: hello.view });
    expect(el.querySelector(".facescope-status")?.textContent).toMatch(/10 \/ 75/);
    model.set("message", "talk.mp4: 75 frames");
    model.change("status", "done");
    expect(el.querySelector(".facescope")?.getAttribute("data-state")).toBe("done");
    expect(model.sent.filter((m) => (m as { type: string }).type === "hello")).toHaveLength(2);
    model.custom({ type: "restore", to: hello.view, run: "r1", index: 0, count: 1, size: 3 }, [new Uint8Array([1, 2, 3]).buffer]);
    expect(viewer.send).toHaveBeenCalledWith(new Uint8Array([1, 2, 3]));
    model.custom({ type: "restore", to: hello.view, run: "r1", index: 0, count: 1, size: 3 }, [new Uint8Array([1, 2, 3]).buffer]);
    expect(viewer.send).toHaveBeenCalledTimes(1); // it shows that run already
    cleanup();
  });

  it("analyses the first clip in the viewer it has and a second one in a fresh viewer", async () => {
    (analyzeClip as jest.Mock).mockReturnValue(new Promise(() => undefined));
    const model = new FakeModel({ status: "loading" });
    const cleanup = render({ model, el: document.createElement("div") });
    viewerEvents.onReady();
    const { view } = model.sent.find((m) => (m as { type: string }).type === "hello") as { view: string };
    const clip = (serial: number) => model.custom({ type: "clip", to: view, serial, name: "a.mp4", index: 0, count: 1, size: 1 },
      [new Uint8Array([1]).buffer]);
    const answerModel = () => model.custom({ type: "model" }, [new Uint8Array([9]).buffer]);
    clip(1);
    answerModel();
    await flush();
    expect(analyzeClip).toHaveBeenCalledTimes(1);
    expect(ViewerHost).toHaveBeenCalledTimes(1);
    clip(2);
    await flush();
    expect(analyzeClip).toHaveBeenCalledTimes(2);
    expect(ViewerHost).toHaveBeenCalledTimes(2);
    expect(viewer.dispose).toHaveBeenCalledTimes(1);
    cleanup();
  });

  it("injects its stylesheet once per document", () => {
    const els = [document.createElement("div"), document.createElement("div")];
    document.body.append(...els);
    const cleanups = els.map((el) => render({ model: new FakeModel(), el }));
    expect(document.querySelectorAll("#facescope-style")).toHaveLength(1);
    expect(document.head.querySelector("#facescope-style")?.textContent).toMatch(/\.facescope/);
    cleanups.forEach((c) => c());
    els.forEach((el) => el.remove());
  });

  it("puts its stylesheet inside a shadow root, where document styles do not reach (marimo)", () => {
    const host = document.createElement("div");
    document.body.append(host);
    const shadow = host.attachShadow({ mode: "open" });
    const el = document.createElement("div");
    shadow.append(el);
    const cleanup = render({ model: new FakeModel(), el });
    expect(shadow.querySelectorAll("#facescope-style")).toHaveLength(1);
    expect(shadow.querySelector("#facescope-style")?.textContent).toMatch(/\.facescope/);
    cleanup();
    host.remove();
  });

  it("carries its own stylesheet while not attached anywhere yet", () => {
    const el = document.createElement("div");
    const cleanup = render({ model: new FakeModel(), el });
    expect(el.querySelector("#facescope-style")).not.toBeNull();
    cleanup();
  });
});
