import { BLENDSHAPE_NAMES } from "../results/blendshapes";
import { NUM_BLENDSHAPES } from "../results/types";
import { BlendshapeSpread } from "./blendshapeSpread";
import { KEY_BLENDSHAPES, keySeries, SHOWN_BLENDSHAPES } from "./entities";

const at = (name: string) => BLENDSHAPE_NAMES.indexOf(name as (typeof BLENDSHAPE_NAMES)[number]);

/** 52 scores at `base`, with the given categories set. */
function scores(base: number, set: Record<string, number> = {}): Float32Array {
  const s = new Float32Array(NUM_BLENDSHAPES).fill(base);
  for (const [name, v] of Object.entries(set)) s[at(name)] = v;
  return s;
}

describe("BlendshapeSpread", () => {
  it("chooses the categories that move most, highest variance first, at most six", () => {
    const spread = new BlendshapeSpread();
    const amplitude: Record<string, number> = {
      jawOpen: 0.5, mouthPucker: 0.9, eyeBlinkLeft: 0.7, eyeBlinkRight: 0.65, mouthClose: 0.3,
      browInnerUp: 0.2, cheekPuff: 0.1, _neutral: 1,
    };
    for (let i = 0; i < 100; i++) {
      const wave = i % 2; // 0,1,0,1: variance = amplitude² / 4
      spread.add("0", scores(0.05, Object.fromEntries(Object.entries(amplitude).map(([k, a]) => [k, a * wave]))));
    }
    expect(spread.rows).toBe(100);
    expect(spread.top()).toEqual(["mouthPucker", "eyeBlinkLeft", "eyeBlinkRight", "jawOpen", "mouthClose", "browInnerUp"]
      .map((category) => ({ face: "0", category })));
    expect(spread.top()).toHaveLength(SHOWN_BLENDSHAPES);
    expect(spread.variances()[at("jawOpen")]).toBeCloseTo(0.25 * 0.25, 6);
  });

  it("pools variance within faces, so two faces' different resting scores are not movement", () => {
    const spread = new BlendshapeSpread();
    for (let i = 0; i < 60; i++) {
      spread.add("0", scores(0, { mouthSmileLeft: 0.9, jawOpen: i % 2 ? 0.2 : 0 }));
      spread.add("1", scores(0, { mouthSmileLeft: 0.0, jawOpen: i % 2 ? 0.2 : 0 }));
    }
    expect(spread.top(2)).toEqual([{ face: "0", category: "jawOpen" }, { face: "1", category: "jawOpen" }]);
    expect(spread.variances()[at("mouthSmileLeft")]).toBeCloseTo(0, 9);
  });

  it("shares the six lines among faces: the pairs that move most, no face more than its fair share", () => {
    const spread = new BlendshapeSpread();
    for (let i = 0; i < 40; i++) {
      const wave = i % 2;
      spread.add("0", scores(0, { jawOpen: 0.9 * wave, eyeBlinkLeft: 0.8 * wave, mouthPucker: 0.3 * wave, cheekPuff: 0.05 * wave }));
      spread.add("2", scores(0, { jawOpen: 0.7 * wave, browInnerUp: 0.6 * wave, mouthClose: 0.4 * wave, noseSneerLeft: 0.2 * wave }));
      // Seen for 2 frames: its own variance is the highest of all, its share of the pooled one small.
      if (i < 2) spread.add("5", scores(0, { mouthFunnel: 0.95 * wave }));
    }
    expect(spread.faceKeys).toEqual(["0", "2", "5"]);
    const pairs = (list: string[][]) => list.map(([face, category]) => ({ face, category }));
    // By share: 0/jawOpen, 0/eyeBlinkLeft, 2/jawOpen, 2/browInnerUp, 2/mouthClose, 0/mouthPucker, 5/mouthFunnel…
    // Two lines each (6 / 3 faces) first, so face 5 gets its one; the line left goes to the next pair.
    expect(spread.top()).toEqual(pairs([
      ["0", "jawOpen"], ["0", "eyeBlinkLeft"], ["2", "jawOpen"], ["2", "browInnerUp"], ["2", "mouthClose"], ["5", "mouthFunnel"],
    ]));
    // One face still: the one that moves takes every line.
    const one = new BlendshapeSpread();
    for (let i = 0; i < 10; i++) {
      const w = i % 2;
      one.add("0", scores(0, { jawOpen: 0.5 * w, mouthClose: 0.2 * w, cheekPuff: 0.1 * w, browInnerUp: 0.05 * w }));
      one.add("1", scores(0.3));
    }
    expect(one.top()).toEqual(pairs([["0", "jawOpen"], ["0", "mouthClose"], ["0", "cheekPuff"], ["0", "browInnerUp"]]));
  });

  it("falls back to the key series when nothing moves (a still) or nothing was seen", () => {
    const key = (face: string) => KEY_BLENDSHAPES.map((category) => ({ face, category }));
    expect(new BlendshapeSpread().top()).toEqual(key("0"));
    const still = new BlendshapeSpread();
    for (let i = 0; i < 10; i++) still.add("3", scores(0.3));
    expect(still.top()).toEqual(key("3"));
    // Several still faces share the six lines too.
    for (let i = 0; i < 10; i++) still.add("1", scores(0.2));
    expect(still.top()).toEqual([...key("1").slice(0, 3), ...key("3").slice(0, 3)]);
  });
});

describe("keySeries", () => {
  it("gives each face as many key series as fit six lines in all, one each for the first six of many faces", () => {
    expect(keySeries(["0"])).toHaveLength(KEY_BLENDSHAPES.length);
    expect(keySeries(["0", "1", "2", "3"]).map((s) => s.face)).toEqual(["0", "1", "2", "3"]);
    const many = keySeries(Array.from({ length: 9 }, (_, i) => String(i)));
    expect(many.map((s) => s.face)).toEqual(["0", "1", "2", "3", "4", "5"]);
    expect(many.every((s) => s.category === KEY_BLENDSHAPES[0])).toBe(true);
  });
});
