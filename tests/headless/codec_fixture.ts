// Writes results messages encoded by the TS codec, and what they should decode to, for the Python
// twin's test (tests/headless/test_codec.py): `tsx tests/headless/codec_fixture.ts OUT_DIR`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BLENDSHAPE_NAMES } from "../../src/results/blendshapes";
import type { FrameResult } from "../../src/results/types";
import { syntheticFrame } from "../../src/scene/testFrames";
import { COLUMN_SPECS, encodeResults, splitForMessages } from "../../src/sync/codec";

const out = process.argv[2];
mkdirSync(out, { recursive: true });

// Frames with 0, 1 and 2 faces (ids 3 and 7), a NaN landmark, a detection without a face.
const frames: FrameResult[] = Array.from({ length: 40 }, (_, i) => {
  const f = syntheticFrame(i, [[], [3], [3, 7]][i % 3]);
  if (f.faces.count) f.faces.landmarksNorm[4] = NaN;
  f.timestampUs = i * 33_333 + 0.25;
  f.faces.matrices.fill(i / 4);
  if (i === 5) { f.detections = { ...f.detections, count: 1, boxesPx: new Float32Array([1, 2, 3, 4]), scores: new Float32Array([0.5]),
    keypointsNorm: new Float32Array(12).fill(0.125), faceIds: new Int32Array([-1]) }; }
  return f;
});
const groups = splitForMessages(frames, 64 * 1024);
groups.forEach((g, seq) => writeFileSync(join(out, `results-${seq}.fscr`), encodeResults(g, { seq })));

const expected = {
  messages: groups.length,
  columnSpecs: COLUMN_SPECS,
  blendshapeNames: BLENDSHAPE_NAMES,
  frames: frames.map((f) => ({
    index: f.index, timestampUs: f.timestampUs, faceIds: Array.from(f.faces.ids), detections: f.detections.count,
    detectionFaceIds: Array.from(f.detections.faceIds),
    // JSON has no NaN: null stands for it.
    landmarks: Array.from(f.faces.landmarksNorm, (v) => (Number.isNaN(v) ? null : v)),
    blendshapes: Array.from(f.faces.blendshapes), headPose: Array.from(f.faces.headPoseDeg),
    matrices: Array.from(f.faces.matrices), detectionBoxes: Array.from(f.detections.boxesPx),
  })),
};
writeFileSync(join(out, "expected.json"), JSON.stringify(expected));
console.log(JSON.stringify({ messages: groups.length, frames: frames.length }));
