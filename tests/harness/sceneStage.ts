// The stage after inference, as the real session (src/analysis/session.ts) runs it: results →
// FaceScene → Recording → MemorySink, committed in batches (30 frames or 250 ms), the recording
// flushed to the sink every 5 s as it would be streamed to the viewer, and encoded as one .rrd at
// the end. The analysis page times it so the benchmark shows real scene and writing costs.
import { COMMIT_EVERY_FRAMES, COMMIT_EVERY_MS, STREAM_EVERY_MS } from "../../src/analysis/session";
import { sceneVideo } from "../../src/analysis/sceneVideo";
import { MemorySink, Recording } from "../../src/rerun";
import { FrameResult } from "../../src/results/types";
import { FaceScene } from "../../src/scene/scene";
import { VideoSource } from "../../src/video/source";


export interface SceneStage {
  /** Called once per frame, in order, right after its result arrives. */
  frame(result: FrameResult): void;
  /** Called after the last frame: flush and finish the recording. Returns its size in bytes. */
  finish(): Promise<number>;
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
