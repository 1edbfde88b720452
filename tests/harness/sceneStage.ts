// The stage after inference, as the real session (src/analysis/session.ts) runs it: results →
// SceneStream (FaceScene → Recording, committed and flushed every 5 s as it would be streamed to
// the viewer) → MemorySink, encoded as one .rrd at the end. The analysis page times it so the
// benchmark shows real scene and writing costs.
import { sceneVideo } from "../../src/analysis/sceneVideo";
import { SceneStream } from "../../src/analysis/sceneStream";
import { MemorySink, Recording } from "../../src/rerun";
import type { FrameResult } from "../../src/results/types";
import { FaceScene } from "../../src/scene/scene";
import type { VideoSource } from "../../src/video/source";


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
  const scene = new SceneStream(new FaceScene(rec, (await sceneVideo(source, clip)).shown), rec);
  scene.begin();
  return {
    frame: (result) => scene.add(result),
    async finish() {
      scene.finish();
      return sink.bytes().length; // the .rrd file's contents, as save_rrd gets them
    },
  };
}
