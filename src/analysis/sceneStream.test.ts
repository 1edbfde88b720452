import { tableFromIPC } from "apache-arrow";
import { Recording } from "../rerun";
import { readRrdFooter } from "../rerun/codec/footer";
import { inspectRrd } from "../rerun/inspect";
import { FaceScene } from "../scene/scene";
import { syntheticFrame } from "../scene/testFrames";
import { MAX_ROWS_PER_COMMIT, SceneStream, STREAM_EVERY_MS } from "./sceneStream";

describe("SceneStream", () => {
  let now = 0;
  beforeEach(() => {
    now = 1000;
    jest.spyOn(performance, "now").mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  function streamed() {
    const rec = new Recording({ applicationId: "t" });
    const streams: Uint8Array[] = [];
    const lastFlags: boolean[] = [];
    const tails: Uint8Array[] = [];
    const stream = new SceneStream(new FaceScene(rec, { width: 640, height: 360 }), rec, {
      onStream: (s, last) => {
        streams.push(s);
        lastFlags.push(last);
      },
      onFileEnd: (tail) => tails.push(tail),
    });
    return { stream, streams, lastFlags, tails };
  }
  const jawOpenChunks = (streams: Uint8Array[]) => streams.map((s) =>
    inspectRrd(s).chunks.filter((c) => c.entityPath === "/blendshapes/0/jawOpen").map((c) => c.table.numRows));

  it("sends the static parts at once, then one stream of whole chunks per interval, however slowly frames come", () => {
    const { stream, streams, lastFlags } = streamed();
    stream.begin();
    expect(streams).toHaveLength(1);
    // 7 fps, the rate beside a live viewer: 35 frames per interval must make one chunk per entity, not 35.
    for (let i = 0; i < 80; i++) {
      now += 1000 / 7;
      stream.add(syntheticFrame(i, [0]));
    }
    stream.finish();
    const rows = jawOpenChunks(streams);
    expect(rows[0]).toEqual([]);
    expect(rows.slice(1).map((r) => r.length)).toEqual(rows.slice(1).map(() => 1));
    expect(rows.flat().reduce((a, b) => a + b, 0)).toBe(80);
    expect(streams.length).toBe(1 + Math.ceil(80 / Math.ceil(STREAM_EVERY_MS / (1000 / 7))));
    expect(lastFlags).toEqual(streams.map((_, i) => i === streams.length - 1)); // only finish() marks its stream last
  });

  it("ends the file after the last stream: its footer indexes every chunk the streams carried", () => {
    const { stream, streams, tails } = streamed();
    stream.begin();
    for (let i = 0; i < 3; i++) stream.add(syntheticFrame(i, [0]));
    expect(tails).toHaveLength(0);
    stream.finish();
    expect(tails).toHaveLength(1);
    const file = new Uint8Array(streams.reduce((n, s, i) => n + s.length - (i ? 12 : 0), 0) + tails[0].length);
    let at = 0;
    for (const part of [...streams.map((s, i) => (i ? s.subarray(12) : s)), tails[0]]) {
      file.set(part, at);
      at += part.length;
    }
    const chunks = streams.reduce((n, s) => n + inspectRrd(s).chunks.length, 0);
    const rows = readRrdFooter(file)!.reduce((n, m) => n + tableFromIPC(m.dataIpc).numRows, 0);
    expect(rows).toBe(chunks);
  });

  it("commits early when frames come faster than a chunk should grow", () => {
    const { stream, streams } = streamed();
    stream.begin();
    for (let i = 0; i < MAX_ROWS_PER_COMMIT + 10; i++) stream.add(syntheticFrame(i, [0]));
    expect(jawOpenChunks(streams).flat()).toEqual([MAX_ROWS_PER_COMMIT]);
    stream.finish();
    expect(jawOpenChunks(streams).flat()).toEqual([MAX_ROWS_PER_COMMIT, 10]);
    expect(stream.msPerFrame).toHaveLength(MAX_ROWS_PER_COMMIT + 10);
  });
});
