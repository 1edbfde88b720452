/**
 * `npm run bench:rrd`: encoding speed of the RRD writer for a face-sized frame — Points2D and
 * Points3D of 478 landmarks with class and keypoint ids, 52 blendshape scalars (one entity each,
 * as in the face layout) and a box — columnar (one chunk per entity per batch) and row by row.
 * Prints numbers only; nothing is asserted.
 */
import { Boxes2D, columns, Points2D, Points3D, Recording, Scalars, timeColumn } from "../src/rerun";

const LANDMARKS = 478;
const BLENDSHAPES = 52;
const FPS = 30;

const classIds = Uint16Array.from({ length: LANDMARKS }, (_, i) => i % 9);
const keypointIds = Uint16Array.from({ length: LANDMARKS }, (_, i) => i);
const names = Array.from({ length: BLENDSHAPES }, (_, i) => `blendshapes/0/shape${i}`);

function frameData(i: number) {
  const p2 = Float32Array.from({ length: LANDMARKS * 2 }, (_, k) => 100 + ((k * 7 + i) % 300));
  const p3 = Float32Array.from({ length: LANDMARKS * 3 }, (_, k) => ((k * 13 + i) % 100) / 100);
  const scores = Float64Array.from({ length: BLENDSHAPES }, (_, k) => ((k + i) % 50) / 50);
  return { p2, p3, scores, box: [[50 + i, 60, 200, 240]] as number[][] };
}

function columnar(frames: number, batch: number): { seconds: number; bytes: number } {
  const rec = new Recording({ applicationId: "bench", recordingId: "columnar" });
  rec.log("video/landmarker", Points2D({ radii: 1 }), { static: true });
  let bytes = rec.flush()!.length;
  let seconds = 0;
  for (let start = 0; start < frames; start += batch) {
    const n = Math.min(batch, frames - start);
    const data = Array.from({ length: n }, (_, j) => frameData(start + j));
    const t0 = performance.now();
    const idx = Array.from({ length: n }, (_, j) => start + j);
    const times = [timeColumn("frame_idx", { sequence: idx }), timeColumn("time", { duration: idx.map((i) => i / FPS) })];
    const concat = (pick: (d: (typeof data)[number]) => Float32Array) => {
      const out = new Float32Array(n * pick(data[0]).length);
      data.forEach((d, j) => out.set(pick(d), j * pick(d).length));
      return out;
    };
    const repeat = (ids: Uint16Array) => {
      const out = new Uint16Array(n * ids.length);
      for (let j = 0; j < n; j++) out.set(ids, j * ids.length);
      return out;
    };
    rec.sendColumns("video/landmarker/faces/0/landmarks", times,
      columns(Points2D({ positions: concat((d) => d.p2), classIds: repeat(classIds), keypointIds: repeat(keypointIds) }), { rows: n }));
    rec.sendColumns("reconstruction/faces/0", times,
      columns(Points3D({ positions: concat((d) => d.p3), classIds: repeat(classIds), keypointIds: repeat(keypointIds) }), { rows: n }));
    names.forEach((name, k) => rec.sendColumns(name, times, columns(Scalars(data.map((d) => d.scores[k])), { rows: n })));
    rec.sendColumns("video/detector/faces/0/bbox", times, columns(Boxes2D({ xywh: data.map((d) => d.box[0]) }), { rows: n }));
    bytes += rec.flush()!.length;
    seconds += (performance.now() - t0) / 1000;
  }
  return { seconds, bytes };
}

function rowByRow(frames: number, flushEvery: number): { seconds: number; bytes: number } {
  const rec = new Recording({ applicationId: "bench", recordingId: "rows" });
  const data = Array.from({ length: frames }, (_, i) => frameData(i));
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    const d = data[i];
    rec.setTime("frame_idx", { sequence: i });
    rec.setTime("time", { duration: i / FPS });
    rec.log("video/landmarker/faces/0/landmarks", Points2D({ positions: d.p2, classIds, keypointIds }));
    rec.log("reconstruction/faces/0", Points3D({ positions: d.p3, classIds, keypointIds }));
    names.forEach((name, k) => rec.log(name, Scalars(d.scores[k])));
    rec.log("video/detector/faces/0/bbox", Boxes2D({ xywh: d.box }));
    if ((i + 1) % flushEvery === 0 || i === frames - 1) bytes += rec.flush()!.length;
  }
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

function report(label: string, frames: number, r: { seconds: number; bytes: number }): void {
  console.log(`${label.padEnd(40)} ${(frames / r.seconds).toFixed(0).padStart(7)} frames/s   ${(r.bytes / frames).toFixed(0).padStart(6)} bytes/frame`);
}

const FRAMES = 3000;
columnar(300, 300); // warm-up (JIT)
rowByRow(300, FPS);
console.log(`RRD writer benchmark: ${FRAMES} face frames (478 landmarks 2D + 3D, ${BLENDSHAPES} scalars, 1 box), Node ${process.version}`);
report("columnar, 300 frames per flush", FRAMES, columnar(FRAMES, 300));
report("columnar, 30 frames per flush", FRAMES, columnar(FRAMES, 30));
report("row by row, flush every 30 frames", FRAMES, rowByRow(FRAMES, 30));
report("row by row, flush every frame", FRAMES, rowByRow(FRAMES, 1));
