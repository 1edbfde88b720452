import { putIdle, takeIdle, warmKey } from "./warmPool";
import { DEFAULT_OPTIONS } from "./options";

function set(key: string) {
  const s = { key, terminated: 0, terminate() { s.terminated++; } };
  return s;
}

describe("warm pool", () => {
  test("a kept set is taken once by a clip with the same key", () => {
    const a = set("k1");
    putIdle(a);
    expect(takeIdle("k1")).toBe(a);
    expect(takeIdle("k1")).toBeUndefined();
    expect(a.terminated).toBe(0);
  });

  test("a clip with another key closes the kept set and starts afresh", () => {
    const a = set("k1");
    putIdle(a);
    expect(takeIdle("k2")).toBeUndefined();
    expect(a.terminated).toBe(1);
  });

  test("keeping a new set closes the one kept before", () => {
    const a = set("k1"), b = set("k2");
    putIdle(a);
    putIdle(b);
    expect(a.terminated).toBe(1);
    expect(takeIdle("k2")).toBe(b);
  });
});

describe("warmKey", () => {
  const model = new Uint8Array([1, 2, 3]);

  test("differs by model bytes, options and mode", async () => {
    const base = await warmKey(model, DEFAULT_OPTIONS, "VIDEO");
    expect(await warmKey(new Uint8Array([1, 2, 3]), DEFAULT_OPTIONS, "VIDEO")).toBe(base);
    expect(await warmKey(new Uint8Array([1, 2, 4]), DEFAULT_OPTIONS, "VIDEO")).not.toBe(base);
    expect(await warmKey(model, { ...DEFAULT_OPTIONS, numFaces: 2 }, "VIDEO")).not.toBe(base);
    expect(await warmKey(model, DEFAULT_OPTIONS, "IMAGE")).not.toBe(base);
  });
});
