// Clips sent from Python (`FaceScope("clip.mp4")`, `scope.analyze(path)`) arrive as numbered
// chunks in custom messages, addressed to the one view that claimed the clip (a widget shown in
// two cells analyses it once); this reassembles them into a File for the analysis.
import { ChunkAssembler, type Buffer } from "./chunks";
import type { Cleanup, WidgetModel } from "./model";

export interface ClipOffer {
  type: "clip-offer";
  serial: number;
}

export interface ClipChunk {
  type: "clip";
  /** The view that claimed the clip. */
  to: string;
  serial: number;
  name: string;
  index: number;
  count: number;
  size: number;
}

/** `scope.record(seconds, device)`: the kernel's answer to this view's claim, instead of clip chunks. */
export interface RecordCommand {
  type: "record";
  to: string;
  serial: number;
  seconds: number | null;
  device: string | null;
}

/** The kernel's answer to a claim when it holds no clip (or record command) for this view. */
export interface ClipNone {
  type: "clip-none";
  to: string;
}

/** A clip from the kernel, with the serial the kernel knows it by. */
export interface KernelClip {
  file: File;
  serial: number;
}

/** Claims the clip the kernel holds, if any (it answers this view with chunks, or not at all). */
export function requestClip(model: WidgetModel, view: string): void {
  model.send({ type: "clip-request", view });
}

export interface ClipListeners {
  onClip(clip: KernelClip): void;
  onRecord?(command: RecordCommand): void;
  /** The kernel has nothing for this view: it can say it waits for a dropped clip. */
  onNone?(): void;
}

/**
 * Calls `onClip` with each clip the kernel sends this view, `onRecord` with each recording it
 * asks this view for, `onNone` when it has neither; returns the unsubscribe function.
 */
export function listenForClips(model: WidgetModel, view: string, { onClip, onRecord, onNone }: ClipListeners): Cleanup {
  const assembler = new ChunkAssembler();
  let lastDelivered = -1;
  const onMessage = (...args: unknown[]) => {
    const [content, buffers] = args as [ClipOffer | ClipChunk | RecordCommand | ClipNone, Buffer[] | undefined];
    if (content?.type === "clip-none") {
      if (content.to === view) onNone?.();
      return;
    }
    if (content?.type === "clip-offer") {
      if (content.serial > lastDelivered) requestClip(model, view);
      return;
    }
    if (content?.type === "record") {
      if (content.to !== view || content.serial <= lastDelivered) return;
      lastDelivered = content.serial;
      onRecord?.(content);
      return;
    }
    if (content?.type !== "clip" || content.to !== view || content.serial <= lastDelivered || !buffers?.length) return;
    const parts = assembler.add(String(content.serial), content.index, content.count, buffers[0]);
    if (!parts) return;
    const file = new File(parts as BlobPart[], content.name);
    if (file.size !== content.size) return; // a chunk went missing: the next offer asks again
    lastDelivered = content.serial;
    onClip({ file, serial: content.serial });
  };
  model.on("msg:custom", onMessage);
  return () => model.off("msg:custom", onMessage);
}
