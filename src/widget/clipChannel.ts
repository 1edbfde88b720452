// Clips sent from Python (`FaceScope("clip.mp4")`, `scope.analyze(path)`) arrive as numbered
// chunks in custom messages; this reassembles them into a File for the analysis.
import type { Cleanup, WidgetModel } from "./model";

export interface ClipOffer {
  type: "clip-offer";
  serial: number;
}

export interface ClipChunk {
  type: "clip";
  serial: number;
  name: string;
  index: number;
  count: number;
  size: number;
}

type Buffer = DataView | ArrayBuffer;

const bytesOf = (b: Buffer) => (b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

/** Asks the kernel for the clip it holds, if any (it answers with chunks, or not at all). */
export function requestClip(model: WidgetModel): void {
  model.send({ type: "clip-request" });
}

/** Calls `onClip` with each clip the kernel sends; returns the unsubscribe function. */
export function listenForClips(model: WidgetModel, onClip: (file: File) => void): Cleanup {
  let assembling: { serial: number; parts: Uint8Array[]; received: number } | null = null;
  let lastDelivered = -1;
  const onMessage = (...args: unknown[]) => {
    const [content, buffers] = args as [ClipOffer | ClipChunk, Buffer[] | undefined];
    if (content?.type === "clip-offer") {
      if (content.serial > lastDelivered) requestClip(model);
      return;
    }
    if (content?.type !== "clip" || content.serial <= lastDelivered || !buffers?.length) return;
    if (assembling?.serial !== content.serial) assembling = { serial: content.serial, parts: new Array(content.count), received: 0 };
    if (!assembling.parts[content.index]) {
      // Copy: the message's buffer belongs to the widget manager and may be reused.
      assembling.parts[content.index] = bytesOf(buffers[0]).slice();
      assembling.received++;
    }
    if (assembling.received < content.count) return;
    const file = new File(assembling.parts as BlobPart[], content.name);
    assembling = null;
    lastDelivered = content.serial;
    if (file.size !== content.size) return; // a chunk went missing: the kernel will be asked again
    onClip(file);
  };
  model.on("msg:custom", onMessage);
  return () => model.off("msg:custom", onMessage);
}
