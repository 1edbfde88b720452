/** The footer's bytes: hashes against published vectors, the End message / stream footer layout. */
import { decodeStreams, MessageKind, STREAM_FOOTER_SIZE } from "./framing";
import { encodeFileEnd, FOOTER_CRC_SEED, readRrdFooter, readStreamFooter, type EncodedManifest } from "./footer";
import { sha256, xxh32 } from "./hashes";
import { encodeStream } from "./framing";
import { StoreKind } from "./messages";

const text = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("hashes", () => {
  test("xxh32 matches the reference vectors (short, 16-byte stripes, tail bytes, seeded)", () => {
    expect(xxh32(new Uint8Array(), 0)).toBe(0x02cc5d05);
    expect(xxh32(text("a"), 0)).toBe(0x550d7456);
    expect(xxh32(text("abc"), 0)).toBe(0x32d153ff);
    expect(xxh32(text("Nobody inspects the spammish repetition"), 0)).toBe(0xe2293b2f);
    expect(xxh32(text("abc"), 1)).not.toBe(xxh32(text("abc"), 0));
  });

  test("sha256 matches FIPS 180-4 vectors (one block, two blocks, empty)", () => {
    expect(hex(sha256(new Uint8Array()))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(sha256(text("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hex(sha256(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))))
      .toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });
});

describe("file end", () => {
  const manifest: EncodedManifest = {
    storeId: { kind: StoreKind.Recording, applicationId: "app", recordingId: "rec" },
    sorbetSchemaIpc: text("schema"), sorbetSchemaSha256: new Uint8Array(32).fill(7), dataIpc: new Uint8Array(300).fill(1),
  };
  const stream = encodeStream([{ kind: MessageKind.SetStoreInfo, body: text("info") }]);
  const tail = encodeFileEnd(stream.length, [manifest]);
  const file = new Uint8Array([...stream, ...tail]);

  test("End message, RrdFooter body, then a 32-byte stream footer pointing back at the body", () => {
    const view = new DataView(tail.buffer);
    expect(view.getBigUint64(0, true)).toBe(0n); // kind End
    const bodyLen = Number(view.getBigUint64(8, true));
    expect(tail.length).toBe(16 + bodyLen + STREAM_FOOTER_SIZE);
    expect(Buffer.from(tail.subarray(tail.length - 12, tail.length - 4)).toString()).toBe("RRF2FOOT");
    expect(view.getUint32(tail.length - 4, true)).toBe(1);
    const footer = readStreamFooter(file)!;
    expect(footer).toEqual({ start: stream.length + 16, length: bodyLen, crc: xxh32(file.subarray(stream.length + 16, stream.length + 16 + bodyLen), FOOTER_CRC_SEED) });
  });

  test("the footer reads back: store id, schema, sha, the (compressed) dataframe", () => {
    const [m, ...rest] = readRrdFooter(file)!;
    expect(rest).toHaveLength(0);
    expect(Buffer.from(m.sorbetSchemaIpc).toString()).toBe("schema");
    expect(m.sorbetSchemaSha256).toEqual(manifest.sorbetSchemaSha256);
    expect(m.dataIpc).toEqual(manifest.dataIpc);
    expect(tail.length).toBeLessThan(300); // 300 equal bytes: LZ4 packs them
  });

  test("a stream decoder reads the End message and skips the stream footer", () => {
    const [only, ...more] = decodeStreams(file);
    expect(more).toHaveLength(0);
    expect(only.messages.map((m) => m.kind)).toEqual([MessageKind.SetStoreInfo]);
    expect(only.footer?.length).toBe(readStreamFooter(file)!.length);
  });

  test("corruption is detected: a flipped footer byte fails the checksum, a cut file has no footer", () => {
    const bad = file.slice();
    bad[readStreamFooter(file)!.start + 3] ^= 0xff;
    expect(() => readRrdFooter(bad)).toThrow(/checksum/);
    expect(readStreamFooter(file.subarray(0, file.length - 1))).toBeNull();
    expect(() => decodeStreams(file.subarray(0, file.length - 1))).toThrow(/stream footer/);
  });
});
