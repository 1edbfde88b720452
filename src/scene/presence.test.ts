import { Presence } from "./presence";

describe("Presence", () => {
  it("reports keys on the frame they vanish, once", () => {
    const p = new Presence();
    expect(p.update(["0", "1"])).toEqual([]);
    expect(p.update(["0"])).toEqual(["1"]);
    expect(p.update(["0"])).toEqual([]);
    expect(p.update([])).toEqual(["0"]);
    expect(p.update(["1"])).toEqual([]);
    expect([...p.everSeen].sort()).toEqual(["0", "1"]);
  });
});
