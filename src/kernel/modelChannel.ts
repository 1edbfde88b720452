// Fetches the face model from the kernel over the widget's custom messages. The kernel resolves
// it (path, FACESCOPE_MODEL, or the copy shipped in the Python package) so the browser never goes online.
import type { WidgetModel } from "./model";

export interface ModelReply {
  type: "model" | "model-error";
  message?: string;
}

/** Asks the kernel for the model bytes; rejects with the kernel's message if it has none. */
export function requestModel(model: WidgetModel, timeoutMs = 120_000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const onMessage = (...args: unknown[]) => {
      const [content, buffers] = args as [ModelReply, Array<DataView | ArrayBuffer> | undefined];
      if (content?.type !== "model" && content?.type !== "model-error") return;
      done();
      if (content.type === "model-error") reject(new Error(content.message ?? "the kernel could not provide the face model"));
      else if (!buffers?.length) reject(new Error("the kernel sent the face model without its bytes"));
      else {
        const b = buffers[0];
        resolve(b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error("the kernel did not send the face model (is it busy running another cell?)"));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      model.off("msg:custom", onMessage);
    };
    model.on("msg:custom", onMessage);
    model.send({ type: "model-request" });
  });
}
