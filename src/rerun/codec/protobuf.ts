/**
 * Minimal protobuf wire-format writer and reader.
 *
 * Why hand-written instead of `@bufbuild/protobuf`: the RRD envelope needs five tiny messages built
 * from three wire types (varint, fixed64, length-delimited) and is only ever *written* at runtime.
 * `@bufbuild/protobuf` would add a dependency plus either a code generator (`protoc-gen-es`) or a
 * runtime descriptor, both larger than this file. The reader exists so tests (and the stream
 * inspector) can decode what we wrote without trusting the writer.
 */

/** Protobuf wire types used by the Rerun envelope. */
export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const utf8 = new TextEncoder();

/** Append-only protobuf message builder. Nested messages are built with a fresh writer. */
export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(BigInt(field * 8 + wire));
  }

  private rawVarint(value: bigint): void {
    this.reserve(10);
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  /** Unsigned/enum/bool/int32 field. Negative int32 values are written as 10-byte varints, per spec. */
  varint(field: number, value: number | bigint | boolean): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(typeof value === "boolean" ? (value ? 1n : 0n) : BigInt(value));
    return this;
  }

  /** fixed64 field, little-endian. */
  fixed64(field: number, value: bigint): this {
    this.tag(field, WireType.Fixed64);
    this.reserve(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.len += 8;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited);
    this.rawVarint(BigInt(value.length));
    this.reserve(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** One decoded field: varints and fixed values as bigint, length-delimited as bytes. */
export interface ProtoField {
  field: number;
  wire: WireType;
  value: bigint | Uint8Array;
}

/** Decodes a message into its raw fields, in wire order. Throws on truncation or unknown wire types. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= bytes.length) throw new Error("protobuf: truncated varint");
      const b = bytes[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
    throw new Error("protobuf: varint too long");
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n) as WireType;
    if (wire === WireType.Varint) {
      out.push({ field, wire, value: varint() });
    } else if (wire === WireType.Fixed64) {
      if (pos + 8 > bytes.length) throw new Error("protobuf: truncated fixed64");
      out.push({ field, wire, value: view.getBigUint64(pos, true) });
      pos += 8;
    } else if (wire === WireType.Fixed32) {
      if (pos + 4 > bytes.length) throw new Error("protobuf: truncated fixed32");
      out.push({ field, wire, value: BigInt(view.getUint32(pos, true)) });
      pos += 4;
    } else if (wire === WireType.LengthDelimited) {
      const len = Number(varint());
      if (pos + len > bytes.length) throw new Error("protobuf: truncated bytes field");
      out.push({ field, wire, value: bytes.subarray(pos, pos + len) });
      pos += len;
    } else {
      throw new Error(`protobuf: unsupported wire type ${wire}`);
    }
  }
  return out;
}
