// Results on their way to the kernel: frames are handed on in batches, often enough that Python
// follows the analysis live and rarely enough that messages stay few.
import type { FrameResult } from "../results/types";

/** Hand results on at least this often. */
export const COMMIT_EVERY_MS = 250;
export const COMMIT_EVERY_FRAMES = 30;

export class ResultBatches {
  #batch: FrameResult[] = [];
  #last = performance.now();

  constructor(private readonly onResults?: (results: FrameResult[]) => void) {}

  /** Adds a frame's result (in frame order); hands the batch on when it is big or old enough. */
  add(result: FrameResult): void {
    this.#batch.push(result);
    if (this.#batch.length >= COMMIT_EVERY_FRAMES || performance.now() - this.#last >= COMMIT_EVERY_MS) this.flush();
  }

  /** Hands on what is waiting, if anything. */
  flush(): void {
    if (this.#batch.length) this.onResults?.(this.#batch);
    this.#batch = [];
    this.#last = performance.now();
  }
}
