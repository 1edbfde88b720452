// SCENE HOOK for the benchmark and the analysis page: the stage after inference (results → Rerun
// entities → RRD bytes). src/scene/ and its writer do not exist yet, so there is no stage and the
// page reports scene/writing time as null. When they land, return an adapter here that feeds each
// FrameResult to the scene and finish() flushes the recording; scripts/bench_analysis.py then
// prints real sceneMs/writeMs with no other change.
import { FrameResult } from "../../src/results/types";

export interface SceneStage {
  /** Called once per frame, in order, right after its result arrives. */
  frame(result: FrameResult): void;
  /** Called after the last frame: flush and finish the recording. Returns its size in bytes. */
  finish(): Promise<number>;
}

export function createSceneStage(): SceneStage | undefined {
  return undefined;
}
