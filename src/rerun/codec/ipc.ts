/**
 * Arrow IPC bytes for one chunk: apache-arrow's stream writer (schema + one batch + EOS), with
 * one correction. apache-arrow records each body buffer's length rounded up to 8 bytes (and pads
 * bitmaps to 8 bytes); the Arrow format wants the real length, padding being separate, and Rerun's
 * tools compare buffers byte for byte (`rerun rrd compare` saw a 13-byte string as 16 and a
 * 1-value boolean buffer as 8 bytes). We record exact lengths; the body layout is unchanged.
 */
import {
  DataType, RecordBatchStreamWriter, tableFromIPC, type Field, type RecordBatch, type Table, type Vector,
} from "apache-arrow";

/**
 * Buffer kinds in the order apache-arrow's assembler emits them: per array a validity bitmap,
 * then the type's own buffers, children depth-first. Bitmaps carry the array's node index.
 */
function bufferLayout(fields: readonly Field[]): Array<{ bitmapOfNode?: number }> {
  const out: Array<{ bitmapOfNode?: number }> = [];
  let node = 0;
  const visit = (type: DataType) => {
    const self = node++;
    out.push({ bitmapOfNode: self });
    if (DataType.isBool(type)) out.push({ bitmapOfNode: self });
    else if (DataType.isUtf8(type) || DataType.isBinary(type)) out.push({}, {});
    else if (DataType.isList(type)) {
      out.push({});
      visit(type.children[0].type);
    } else if (DataType.isFixedSizeList(type) || DataType.isStruct(type)) type.children.forEach((c) => visit(c.type));
    else if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isFixedSizeBinary(type) || DataType.isDuration(type) || DataType.isTimestamp(type)) out.push({});
    else throw new Error(`ipc: no buffer layout for ${type}`);
  };
  fields.forEach((f) => visit(f.type));
  return out;
}

class ExactLengthStreamWriter extends RecordBatchStreamWriter {
  protected override _assembleRecordBatch(batch: RecordBatch | Vector) {
    const assembled = super._assembleRecordBatch(batch);
    const layout = bufferLayout((batch as RecordBatch).schema.fields);
    if (layout.length !== assembled.buffers.length) throw new Error("ipc: unexpected buffer layout");
    assembled.bufferRegions.forEach((region, i) => {
      const { bitmapOfNode } = layout[i];
      const exact = bitmapOfNode === undefined ? assembled.buffers[i].byteLength : Math.ceil(assembled.nodes[bitmapOfNode].length / 8);
      region.length = Math.min(exact, assembled.buffers[i].byteLength);
    });
    return assembled;
  }
}

export function recordBatchToIpc(batch: RecordBatch): Uint8Array {
  return new ExactLengthStreamWriter().writeAll([batch]).toUint8Array(true);
}

export function ipcToTable(bytes: Uint8Array): Table {
  return tableFromIPC(bytes);
}
