/**
 * Reads RRD bytes back into store infos, chunks (as Arrow tables) and blueprint commands. Strict
 * and independent of the writers' state: used by tests and handy when debugging a stream.
 */
import type { Table } from "apache-arrow";
import { decodeStreams, MessageKind } from "./codec/framing";
import { ipcToTable } from "./codec/ipc";
import {
  decodeArrowMsg, decodeBlueprintActivation, decodeSetStoreInfo, type BlueprintActivation, type DecodedArrowMsg,
  type SetStoreInfo,
} from "./codec/messages";

export interface InspectedChunk {
  message: DecodedArrowMsg;
  table: Table;
  entityPath: string;
}

export interface InspectedRrd {
  version: number[];
  storeInfos: SetStoreInfo[];
  chunks: InspectedChunk[];
  activations: BlueprintActivation[];
  /** Message kinds in stream order. */
  kinds: number[];
}

export function inspectRrd(bytes: Uint8Array): InspectedRrd {
  const out: InspectedRrd = { version: [], storeInfos: [], chunks: [], activations: [], kinds: [] };
  for (const stream of decodeStreams(bytes)) {
    out.version = stream.version;
    for (const m of stream.messages) {
      out.kinds.push(m.kind);
      if (m.kind === MessageKind.SetStoreInfo) out.storeInfos.push(decodeSetStoreInfo(m.body));
      else if (m.kind === MessageKind.BlueprintActivationCommand) out.activations.push(decodeBlueprintActivation(m.body));
      else if (m.kind === MessageKind.ArrowMsg) {
        const message = decodeArrowMsg(m.body);
        const table = ipcToTable(message.payload);
        out.chunks.push({ message, table, entityPath: table.schema.metadata.get("rerun:entity_path") ?? "" });
      }
    }
  }
  return out;
}
