/**
 * The end of a file (End message, RrdFooter, stream footer) rebuilt from the file's own bytes: one
 * manifest per store, listing every chunk the messages hold, wherever they came from. The kernel
 * joins the analysis's recording and Python's custom data (written by another `Recording`); only
 * a tail built from the joined bytes lets manifest readers (`RrdReader.store()`) see both.
 *
 * ```ts
 * const file = concat(recordingWithoutTail, customMessages);
 * const saved = concat(file, fileEndOf(file));
 * ```
 */
import { encodeFileEnd } from "./codec/footer";
import { MESSAGE_HEADER_SIZE, MessageKind, STREAM_HEADER_SIZE } from "./codec/framing";
import { ipcToTable } from "./codec/ipc";
import { decodeArrowMsg } from "./codec/messages";
import { packTuids } from "./codec/tuid";
import { ManifestBuilder } from "./manifest";

/**
 * The bytes that close `file`: one RRF2 stream (header and messages, no End message). Throws on
 * anything else (a second stream header, an End message, a truncated message).
 */
export function fileEndOf(file: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < STREAM_HEADER_SIZE || String.fromCharCode(...file.subarray(0, 4)) !== "RRF2") throw new Error("rrd: not an RRF2 stream");
  const manifests = new Map<string, ManifestBuilder>();
  let pos = STREAM_HEADER_SIZE;
  while (pos < file.length) {
    if (pos + MESSAGE_HEADER_SIZE > file.length) throw new Error("rrd: truncated message header");
    const kind = Number(view.getBigUint64(pos, true));
    const size = Number(view.getBigUint64(pos + 8, true));
    const bodyAt = pos + MESSAGE_HEADER_SIZE;
    if (kind === MessageKind.End || kind > MessageKind.BlueprintActivationCommand) throw new Error(`rrd: message kind ${kind} inside the file`);
    if (bodyAt + size > file.length) throw new Error("rrd: truncated message body");
    if (kind === MessageKind.ArrowMsg) {
      const message = decodeArrowMsg(file.subarray(bodyAt, bodyAt + size));
      const { storeId } = message;
      const key = `${storeId.kind}/${storeId.applicationId}/${storeId.recordingId}`;
      let builder = manifests.get(key);
      if (!builder) {
        builder = new ManifestBuilder(storeId);
        manifests.set(key, builder);
      }
      // The writer's own table (`ipcToTable`) reads the chunk as the manifest needs it: one batch.
      for (const batch of ipcToTable(message.payload).batches) {
        builder.add(batch, packTuids([message.chunkId]), { offset: bodyAt, size, uncompressedSize: message.payload.length });
      }
    }
    pos = bodyAt + size;
  }
  return encodeFileEnd(file.length, [...manifests.values()].map((m) => m.encode()));
}
