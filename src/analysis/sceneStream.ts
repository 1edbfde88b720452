// When analysed frames become recording bytes. Frames are logged to the scene (one chunk per entity
// per commit) only when the recording is flushed to the viewer, every STREAM_EVERY_MS: every commit
// costs each of the ~60 entities an Arrow schema of its own, so committing at the results cadence
// (a couple of frames at the 7 fps the page reaches beside a viewer) made recordings ~4× larger
// (37 MB instead of 9 MB for the 12 s bench clip) for the viewer, the kernel and save_rrd alike.
import type { Recording } from "../rerun";
import type { AnalysisRequestBase } from "./session";
import type { FrameResult } from "../results/types";
import type { FaceScene } from "../scene/scene";

/**
 * Send the recording to the viewer this often. Each update makes the viewer ingest, re-plot and
 * seek its video, which competes with inference for the same cores (measured in headless
 * Chromium on 2 cores: updates every 250 ms cut the analysis from 17 to 1.4 fps). The first
 * update goes out at once so the user sees the clip straight away.
 */
export const STREAM_EVERY_MS = 5000;
/** A commit's chunks stay below this many rows however fast frames arrive. */
export const MAX_ROWS_PER_COMMIT = 512;

export class SceneStream {
  private lastStream = 0;

  /** `out` gets every stream and, after the last one, the bytes that close the recording's file.
   * `msPerFrame` gets the milliseconds spent logging and encoding, once per frame committed (the
   * summary's scene stage); it is pushed to as frames commit, never copied. */
  constructor(private readonly scene: FaceScene, private readonly rec: Recording,
    private readonly out: Pick<AnalysisRequestBase, "onStream" | "onFileEnd"> = {}, readonly msPerFrame: number[] = []) {}

  /** Logs the static parts and sends them at once, so the viewer shows the clip from the start. */
  begin(): void {
    this.scene.begin();
    this.flush();
  }

  add(result: FrameResult): void {
    this.scene.add(result);
    if (performance.now() - this.lastStream >= STREAM_EVERY_MS || this.scene.pendingFrames >= MAX_ROWS_PER_COMMIT) this.commit();
  }

  /** Logs the frames added so far and sends them now. */
  commit(): void {
    this.logged(() => this.scene.commit());
  }

  /** Logs what is left (and the final blueprint) and sends it, then ends the recording's file
   * with its footer (only the file gets one: see `Recording.end`). */
  finish(): void {
    this.logged(() => this.scene.finish(), true);
    const tail = this.rec.end();
    this.out.onFileEnd?.(tail);
  }

  private logged(log: () => void, last = false): void {
    const t = performance.now();
    const frames = this.scene.pendingFrames;
    log();
    this.flush(last);
    const perFrame = (performance.now() - t) / Math.max(frames, 1);
    for (let i = 0; i < frames; i++) this.msPerFrame.push(perFrame);
  }

  private flush(last = false): void {
    const stream = this.rec.flush();
    if (stream) this.out.onStream?.(stream, last);
    this.lastStream = performance.now();
  }
}
