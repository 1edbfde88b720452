/** @jest-environment jsdom */
import { buildLayout } from "./layout";

function dropEvent(files: File[]): Event {
  const event = new Event("drop", { bubbles: true, cancelable: true });
  Object.defineProperty(event, "dataTransfer", { value: { files, types: ["Files"] } });
  return event;
}

describe("buildLayout", () => {
  it("hands a picked file to the callback and lets the same file be picked again", () => {
    const el = document.createElement("div");
    const picked: string[] = [];
    buildLayout(el, (f) => picked.push(f.name));
    const input = el.querySelector<HTMLInputElement>("input[type=file]")!;
    const file = new File(["x"], "clip.mp4", { type: "video/mp4" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    input.dispatchEvent(new Event("change"));
    expect(picked).toEqual(["clip.mp4"]);
    expect(input.value).toBe("");
  });

  it("accepts a dropped file and stops the browser from opening it", () => {
    const el = document.createElement("div");
    const picked: string[] = [];
    const layout = buildLayout(el, (f) => picked.push(f.name));
    const event = dropEvent([new File(["x"], "talk.webm")]);
    layout.root.dispatchEvent(event);
    expect(picked).toEqual(["talk.webm"]);
    expect(event.defaultPrevented).toBe(true);
  });

  it("ignores a drop without files", () => {
    const el = document.createElement("div");
    const onFile = jest.fn();
    const layout = buildLayout(el, onFile);
    const event = dropEvent([]);
    layout.root.dispatchEvent(event);
    expect(onFile).not.toHaveBeenCalled();
    expect(event.defaultPrevented).toBe(false);
  });

  it("shows state and status, marking errors", () => {
    const el = document.createElement("div");
    const layout = buildLayout(el, () => undefined);
    layout.setState("error", "Not a video");
    expect(layout.root.dataset.state).toBe("error");
    const status = el.querySelector(".facescope-status")!;
    expect(status.textContent).toBe("Not a video");
    expect(status.classList.contains("facescope-error")).toBe(true);
    layout.setState("idle", "ok");
    expect(status.classList.contains("facescope-error")).toBe(false);
  });

  it("keeps the viewer at least 200 px high", () => {
    const el = document.createElement("div");
    const layout = buildLayout(el, () => undefined);
    layout.setHeight(480);
    expect(layout.viewerHost.style.height).toBe("480px");
    layout.setHeight(10);
    expect(layout.viewerHost.style.height).toBe("200px");
  });

  it("removes its DOM and listeners on dispose", () => {
    const el = document.createElement("div");
    const onFile = jest.fn();
    const layout = buildLayout(el, onFile);
    layout.dispose();
    expect(el.children).toHaveLength(0);
    layout.root.dispatchEvent(dropEvent([new File(["x"], "a.mp4")]));
    expect(onFile).not.toHaveBeenCalled();
  });
});
