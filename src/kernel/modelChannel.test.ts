import { FakeModel } from "../widget/fakeModel";
import { requestModel } from "./modelChannel";

describe("requestModel", () => {
  it("asks the kernel and resolves with the bytes it sends back", async () => {
    const model = new FakeModel();
    const pending = requestModel(model);
    expect(model.sent).toEqual([{ type: "model-request" }]);
    const bytes = new Uint8Array([0, 0, 0x50, 0x4b, 9]);
    model.custom({ type: "unrelated" }, []);
    model.custom({ type: "model" }, [new DataView(bytes.buffer, 1, 3)]);
    expect(Array.from(await pending)).toEqual([0, 0x50, 0x4b]);
    expect(model.listeners.get("msg:custom")?.size ?? 0).toBe(0);
  });

  it("rejects with the kernel's explanation", async () => {
    const model = new FakeModel();
    const pending = requestModel(model);
    model.custom({ type: "model-error", message: "could not download the face model" }, []);
    await expect(pending).rejects.toThrow("could not download the face model");
  });

  it("gives up with a hint when the kernel never answers", async () => {
    jest.useFakeTimers();
    const pending = requestModel(new FakeModel(), 1000);
    jest.advanceTimersByTime(1001);
    await expect(pending).rejects.toThrow(/busy/);
    jest.useRealTimers();
  });
});
