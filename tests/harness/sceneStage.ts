// The stage after inference, as the real session (src/analysis/session.ts) runs it: results →
// FaceScene → Recording → MemorySink, committed in batches (30 frames or 250 ms), the recording
// flushed to the sink every 5 s as it would be streamed to the viewer, and encoded as one .rrd at
// the end. The analysis page times it so the benchmark shows real scene and writing costs.
import { MemorySink, readMp4VideoInfo, Recording } from "../../src/rerun";
import { FrameResult } from "../../src/results/types";
import { FaceScene, SceneVideo } from "../../src/scene/scene";
import { VideoSource } from "../../src/video/source";

const COMMIT_EVERY_FRAMES = 30;
const COMMIT_EVERY_MS = 250;
const STREAM_EVERY_MS = 5000;

export interface SceneStage {
  /** Called once per frame, in order, right after its result arrives. */
  frame(result: FrameResult): void;
  /** Called after the last frame: flush and finish the recording. Returns its size in bytes. */
  finish(): Promise<number>;
}

async function sceneVideo(source: VideoSource, bytes: Uint8Array): Promise<SceneVideo> {
  if (source.kind === "mp4") {
    const info = readMp4VideoInfo(bytes);
    const swap = source.rotation === 90 || source.rotation === 270;
    return {
      asset: { kind: "video", bytes, mediaType: "video/mp4", frameTimestampsNs: info.frameTimestampsNs },
      width: swap ? info.height : info.width, height: swap ? info.width : info.height,
    };
  }
  if (source.kind === "image") return { asset: { kind: "image", bytes }, width: source.width, height: source.height };
  return { width: source.width, height: source.height };
}

export async function createSceneStage(source: VideoSource, clip: Uint8Array, fileName = "clip"): Promise<SceneStage> {
  const sink = new MemorySink();
  const rec = new Recording({ applicationId: "facescope", source: fileName });
  rec.addSink(sink);
  const scene = new FaceScene(rec, await sceneVideo(source, clip));
  scene.begin();
  rec.flush();
  let lastCommit = performance.now();
  let lastStream = performance.now();
  return {
    frame(result) {
      scene.add(result);
      const now = performance.now();
      if (scene.pendingFrames >= COMMIT_EVERY_FRAMES || now - lastCommit >= COMMIT_EVERY_MS) {
        scene.commit();
        lastCommit = performance.now();
        if (lastCommit - lastStream >= STREAM_EVERY_MS) {
          rec.flush();
          lastStream = performance.now();
        }
      }
    },
    async finish() {
      scene.finish();
      rec.flush();
      return sink.bytes().length; // the .rrd file's contents, as save_rrd gets them
    },
  };
}
