import { decodeStreams, encodeStream, MessageKind, streamHeader } from "./codec/framing";
import {
  decodeArrowMsg, decodeBlueprintActivation, decodeSetStoreInfo, encodeArrowMsg, encodeBlueprintActivation,
  encodeSetStoreInfo, fieldMap, StoreKind, type StoreId,
} from "./codec/messages";
import { ProtoWriter, readFields } from "./codec/protobuf";
import { packTuidRange, readTuidBE, tuidToHex } from "./codec/tuid";
import { TuidGenerator } from "./tuid";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const u64le = (n: number) => hex(new Uint8Array(new BigUint64Array([BigInt(n)]).buffer));

describe("stream framing", () => {
  test("stream header is RRF2, version 0.33.0, protobuf serializer, zero reserved bytes", () => {
    expect(hex(streamHeader())).toBe("525246320021000000020000");
  });

  test("messages are u64 LE kind + u64 LE length + body, byte for byte", () => {
    const a = Uint8Array.of(0xaa, 0xbb, 0xcc);
    const b = Uint8Array.of(0x01);
    const bytes = encodeStream([{ kind: MessageKind.SetStoreInfo, body: a }, { kind: MessageKind.ArrowMsg, body: b }]);
    expect(hex(bytes)).toBe(
      `525246320021000000020000${u64le(1)}${u64le(3)}aabbcc${u64le(2)}${u64le(1)}01`,
    );
    expect(bytes.length).toBe(12 + 16 + 3 + 16 + 1);
  });

  test("decoding splits concatenated streams and returns the bodies", () => {
    const one = encodeStream([{ kind: MessageKind.ArrowMsg, body: Uint8Array.of(7) }]);
    const two = encodeStream([{ kind: MessageKind.BlueprintActivationCommand, body: Uint8Array.of(8, 9) }]);
    const streams = decodeStreams(Uint8Array.from([...one, ...two]));
    expect(streams.map((s) => s.messages.map((m) => [m.kind, hex(m.body)]))).toEqual([[[2, "07"]], [[3, "0809"]]]);
    expect(streams[0].version).toEqual([0, 33, 0, 0]);
  });

  test.each([
    ["not RRF2", (b: Uint8Array) => { b[0] = 0x51; }],
    ["msgpack serializer", (b: Uint8Array) => { b[9] = 1; }],
    ["reserved byte set", (b: Uint8Array) => { b[11] = 1; }],
    ["unknown message kind", (b: Uint8Array) => { b[12] = 9; }],
  ])("decoding rejects a stream with %s", (_name, corrupt) => {
    const bytes = encodeStream([{ kind: MessageKind.ArrowMsg, body: Uint8Array.of(1, 2) }]);
    corrupt(bytes);
    expect(() => decodeStreams(bytes)).toThrow();
  });

  test("decoding rejects a truncated message", () => {
    const bytes = encodeStream([{ kind: MessageKind.ArrowMsg, body: Uint8Array.of(1, 2, 3) }]);
    expect(() => decodeStreams(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });
});

describe("protobuf wire format", () => {
  test("varint, fixed64, bytes and nested messages match the spec's examples", () => {
    const w = new ProtoWriter().varint(1, 150).fixed64(2, 1n).string(3, "hi").message(4, (m) => m.varint(1, true));
    expect(hex(w.finish())).toBe("089601" + "110100000000000000" + "1a026869" + "22020801");
  });

  test("negative int32 is a ten-byte varint", () => {
    expect(hex(new ProtoWriter().varint(1, -1).finish())).toBe("08ffffffffffffffffff01");
  });

  test("reader decodes what the writer wrote, and rejects truncation", () => {
    const bytes = new ProtoWriter().varint(5, 300).bytes(6, Uint8Array.of(1, 2)).finish();
    expect(readFields(bytes).map((f) => [f.field, f.wire])).toEqual([[5, 0], [6, 2]]);
    expect(readFields(bytes)[0].value).toBe(300n);
    expect(() => readFields(bytes.subarray(0, bytes.length - 1))).toThrow();
  });
});

describe("envelope messages", () => {
  const storeId: StoreId = { kind: StoreKind.Recording, applicationId: "app", recordingId: "rec" };

  test("SetStoreInfo is byte-exact and decodes back", () => {
    const body = encodeSetStoreInfo({ rowId: { timeNs: 1n, inc: 2n }, storeId, source: "src", version: [0, 33, 0, 0] });
    const tuid = "0a12" + "09" + "0100000000000000" + "11" + "0200000000000000";
    const sid = "120e" + "0801" + "1203726563" + "1a05" + "0a03617070"; // info.store_id{kind=1, "rec", {id:"app"}}
    const source = "2a09" + "0806" + "1205" + "0a03737263"; // info.store_source{OTHER, extra{payload:"src"}}
    const version = "3203" + "088042"; // crate_version_bits = 0x2100 = 8448
    const info = `12${((sid.length + source.length + version.length) / 2).toString(16).padStart(2, "0")}${sid}${source}${version}`;
    expect(hex(body)).toBe(tuid + info);
    expect(decodeSetStoreInfo(body)).toEqual({ rowId: { timeNs: 1n, inc: 2n }, storeId, source: "src", version: [0, 33, 0, 0] });
  });

  test("ArrowMsg carries store, chunk id, no compression, IPC encoding, payload and static flag", () => {
    const payload = Uint8Array.of(1, 2, 3, 4);
    const body = encodeArrowMsg({ storeId, chunkId: { timeNs: 5n, inc: 6n }, payload, isStatic: true });
    const m = fieldMap(body);
    expect([...m.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(m.get(2)).toEqual([1n]); // COMPRESSION_NONE
    expect(m.get(3)).toEqual([4n]); // uncompressed_size
    expect(m.get(4)).toEqual([1n]); // ENCODING_ARROW_IPC
    const decoded = decodeArrowMsg(body);
    expect(decoded).toMatchObject({ storeId, chunkId: { timeNs: 5n, inc: 6n }, isStatic: true, compression: 1, encoding: 1, uncompressedSize: 4 });
    expect(hex(decoded.payload)).toBe("01020304");
  });

  test("BlueprintActivationCommand decodes back", () => {
    const blueprintId: StoreId = { kind: StoreKind.Blueprint, applicationId: "app", recordingId: "bp" };
    const body = encodeBlueprintActivation({ blueprintId, makeActive: true, makeDefault: false });
    expect(hex(body).endsWith("1001" + "1800")).toBe(true);
    expect(decodeBlueprintActivation(body)).toEqual({ blueprintId, makeActive: true, makeDefault: false });
  });
});

describe("TUIDs", () => {
  test("text form is upper-case time, lower-case counter, 16 digits each", () => {
    expect(tuidToHex({ timeNs: 0x18eb49a090d8d8c0n, inc: 0x21a648f2d50ecn })).toBe("18EB49A090D8D8C000021a648f2d50ec");
  });

  test("row-id cells are big-endian and consecutive, carrying into the time half", () => {
    const cells = packTuidRange({ timeNs: 1n, inc: (1n << 64n) - 1n }, 2);
    expect(hex(cells)).toBe("0000000000000001ffffffffffffffff" + "00000000000000020000000000000000");
    expect(readTuidBE(cells, 16)).toEqual({ timeNs: 2n, inc: 0n });
  });

  test("generator stays strictly increasing when the clock stalls or goes back", () => {
    const clock = [100n, 100n, 90n, 200n];
    const gen = new TuidGenerator(() => clock.shift() ?? 200n, () => 10n);
    const ids = [gen.reserve(3), gen.next(), gen.next(), gen.next()];
    const asU128 = ids.map((t) => (t.timeNs << 64n) | t.inc);
    expect(ids[1]).toEqual({ timeNs: 100n, inc: 13n }); // after the 3 reserved ids 10, 11, 12
    for (let i = 1; i < asU128.length; i++) expect(asU128[i] > asU128[i - 1]).toBe(true);
  });
});
