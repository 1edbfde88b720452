import { FakeModel } from "../widget/fakeModel";
import { KernelLink, wholeBuffer } from "./kernelLink";

const chunk = (to: string, run: string, index: number, count: number, size: number, bytes: number[]) =>
  [{ type: "restore", to, run, index, count, size }, [new DataView(new Uint8Array(bytes).buffer)]] as const;

describe("KernelLink", () => {
  it("introduces the view with the run it shows and answers pings meant for it", () => {
    const model = new FakeModel();
    const link = new KernelLink(model, { onRestore: jest.fn() });
    link.hello("run-1");
    model.custom({ type: "ping", view: "someone-else" }, []);
    model.custom({ type: "ping", view: link.view }, []);
    expect(model.sent).toEqual([{ type: "hello", view: link.view, shows: "run-1" }, { type: "pong", view: link.view }]);
    link.dispose();
  });

  it("says the view is open before its viewer is ready, with the same view id as its hello", () => {
    const model = new FakeModel();
    const link = new KernelLink(model, { onRestore: jest.fn() });
    link.open();
    link.hello(null);
    expect(model.sent).toEqual([{ type: "view-open", view: link.view }, { type: "hello", view: link.view, shows: null }]);
    link.dispose();
  });

  it("rebuilds a restored recording from chunks addressed to this view", () => {
    const model = new FakeModel();
    const onRestore = jest.fn();
    const link = new KernelLink(model, { onRestore });
    model.custom(...chunk("other-view", "r", 0, 1, 2, [1, 2]));
    model.custom(...chunk(link.view, "r", 1, 2, 5, [4, 5]));
    model.custom(...chunk(link.view, "r", 0, 2, 5, [1, 2, 3]));
    expect(onRestore).toHaveBeenCalledTimes(1);
    expect(onRestore.mock.calls[0][0]).toBe("r");
    expect(Array.from(onRestore.mock.calls[0][1] as Uint8Array)).toEqual([1, 2, 3, 4, 5]);
    link.dispose();
  });

  it("starts runs whose acknowledgements reach the run's sender", async () => {
    jest.useFakeTimers();
    const model = new FakeModel();
    const link = new KernelLink(model, { onRestore: jest.fn() });
    const sender = link.startRun("talk.mp4", null);
    expect(model.sent[0]).toMatchObject({ type: "run-start", view: link.view, fileName: "talk.mp4", serial: null });
    model.custom({ type: "run-complete", run: sender.run }, []);
    await expect(sender.completed).resolves.toBeUndefined();
    link.dispose();
    expect(model.listeners.get("msg:custom")?.size ?? 0).toBe(0);
    jest.useRealTimers();
  });
});

describe("wholeBuffer", () => {
  it("copies a view of part of a buffer, which JupyterLab would send whole", () => {
    const all = new Uint8Array([1, 2, 3, 4]);
    expect(wholeBuffer(all)).toBe(all);
    const part = wholeBuffer(all.subarray(1, 3)) as Uint8Array;
    expect(part.buffer.byteLength).toBe(2);
    expect(Array.from(part)).toEqual([2, 3]);
  });
});
