import { BLENDSHAPE_NAMES } from "../results/blendshapes";
import { NUM_BLENDSHAPES } from "../results/types";
import { BlendshapeSpread, SHOWN_BLENDSHAPES } from "./blendshapeSpread";
import { KEY_BLENDSHAPES } from "./entities";

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
    expect(spread.top()).toEqual(["mouthPucker", "eyeBlinkLeft", "eyeBlinkRight", "jawOpen", "mouthClose", "browInnerUp"]);
    expect(spread.top()).toHaveLength(SHOWN_BLENDSHAPES);
    expect(spread.variances()[at("jawOpen")]).toBeCloseTo(0.25 * 0.25, 6);
  });

  it("pools variance within faces, so two faces' different resting scores are not movement", () => {
    const spread = new BlendshapeSpread();
    for (let i = 0; i < 60; i++) {
      spread.add("0", scores(0, { mouthSmileLeft: 0.9, jawOpen: i % 2 ? 0.2 : 0 }));
      spread.add("1", scores(0, { mouthSmileLeft: 0.0, jawOpen: i % 2 ? 0.2 : 0 }));
    }
    expect(spread.top(1)).toEqual(["jawOpen"]);
    expect(spread.variances()[at("mouthSmileLeft")]).toBeCloseTo(0, 9);
  });

  it("falls back to the key series when nothing moves (a still) or nothing was seen", () => {
    expect(new BlendshapeSpread().top()).toEqual([...KEY_BLENDSHAPES]);
    const still = new BlendshapeSpread();
    for (let i = 0; i < 10; i++) still.add("0", scores(0.3));
    expect(still.top()).toEqual([...KEY_BLENDSHAPES]);
  });
});
