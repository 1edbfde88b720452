import { listenForClips } from "./clipChannel";
import { FakeModel } from "../widget/fakeModel";

const chunk = (serial: number, index: number, count: number, size: number, bytes: number[]) =>
  [{ type: "clip", to: "v1", serial, name: "talk.mp4", index, count, size }, [new DataView(new Uint8Array(bytes).buffer)]] as const;

describe("listenForClips", () => {
  it("reassembles chunks in any order into one file", async () => {
    const model = new FakeModel();
    const files: File[] = [];
    listenForClips(model, "v1", { onClip: ({ file }) => files.push(file) });
    model.custom(...chunk(1, 1, 2, 5, [4, 5]));
    expect(files).toHaveLength(0);
    model.custom(...chunk(1, 0, 2, 5, [1, 2, 3]));
    expect(files).toHaveLength(1);
    expect(files[0].name).toBe("talk.mp4");
    expect(Array.from(new Uint8Array(await files[0].arrayBuffer()))).toEqual([1, 2, 3, 4, 5]);
  });

  it("ignores duplicates and clips it already has", () => {
    const model = new FakeModel();
    const files: File[] = [];
    listenForClips(model, "v1", { onClip: ({ file }) => files.push(file) });
    model.custom(...chunk(2, 0, 1, 1, [7]));
    model.custom(...chunk(2, 0, 1, 1, [7]));
    expect(files).toHaveLength(1);
  });

  it("asks for an offered clip it has not had yet", () => {
    const model = new FakeModel();
    listenForClips(model, "v1", { onClip: () => undefined });
    model.custom({ type: "clip-offer", serial: 3 }, []);
    expect(model.sent).toEqual([{ type: "clip-request", view: "v1" }]);
  });

  it("leaves clips addressed to another view alone", () => {
    const model = new FakeModel();
    const files: File[] = [];
    listenForClips(model, "v2", { onClip: ({ file }) => files.push(file) });
    model.custom(...chunk(1, 0, 1, 1, [7]));
    expect(files).toHaveLength(0);
  });

  it("stops listening when cleaned up", () => {
    const model = new FakeModel();
    const stop = listenForClips(model, "v1", { onClip: () => undefined });
    stop();
    expect(model.listeners.get("msg:custom")?.size ?? 0).toBe(0);
  });

  it("tells the view when the kernel has no clip for it, and only that view", () => {
    const model = new FakeModel();
    let none = 0;
    listenForClips(model, "v1", { onClip: () => undefined, onNone: () => none++ });
    model.custom({ type: "clip-none", to: "v2" }, []);
    expect(none).toBe(0);
    model.custom({ type: "clip-none", to: "v1" }, []);
    expect(none).toBe(1);
  });
});
