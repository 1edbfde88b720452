// An analysis Web Worker: runs the MediaPipe stages the page assigned to it (stages.ts) on each
// transferred VideoFrame and transfers the packed partial result back. Keeping MediaPipe in
// workers leaves the notebook page responsive, and two workers let the detector and the
// landmarker use both cores at once.
import { partialBuffers } from "./merge";
import { installNetworkGuard } from "./privacy";
import type { FromWorker, ToWorker } from "./protocol";
import { WorkerStages } from "./stages";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const blockedRequests = installNetworkGuard(scope as unknown as Parameters<typeof installNetworkGuard>[0]);

let stages: WorkerStages | undefined;
/** Frames are analysed one after another (run() awaits the frame copy); this is the queue's tail. */
let queue: Promise<void> = Promise.resolve();

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

function fail(e: unknown, prefix = ""): void {
  post({ type: "error", name: (e as Error).name ?? "Error", message: `${prefix}${String((e as Error).message ?? e)}` });
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case "init": {
      const t0 = performance.now();
      WorkerStages.create(new Uint8Array(msg.model), msg.wasm, msg.options, msg.mode, msg.stages, msg.tuning).then((s) => {
        stages = s;
        post({ type: "ready", initMs: performance.now() - t0 });
      }, (e: unknown) => fail(e));
      break;
    }
    case "frame": {
      const { frame } = msg;
      queue = queue.then(async () => {
        try {
          if (!stages) throw new Error("frame received before the models were ready");
          const result = await stages.run(frame, msg.index, msg.timestampUs);
          frame.close(); // before posting: the decoder gets its buffer back as early as possible
          post({ type: "result", result }, partialBuffers(result));
        } catch (e) {
          frame.close();
          fail(e, `frame ${msg.index}: `);
        }
      });
      break;
    }
    case "reset": {
      const t0 = performance.now();
      queue = queue.then(async () => {
        try {
          if (!stages) throw new Error("reset before the models were ready");
          await stages.reset();
          post({ type: "ready", initMs: performance.now() - t0 });
        } catch (e) {
          fail(e, "MediaPipe could not restart: ");
        }
      });
      break;
    }
    case "close":
      // close() makes tasks-vision flush its usage log; the guard turns that into a local failure.
      queue = queue.then(() => {
        stages?.close();
        stages = undefined;
        setTimeout(() => post({ type: "closed", blockedRequests: [...blockedRequests] }), 0);
      });
      break;
  }
};
