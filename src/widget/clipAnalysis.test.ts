import type { AnalysisOutcome, AnalyzeRequest } from "../analysis/session";
import type { AnalysisSummary } from "../analysis/summary";
import { DEFAULT_CLIP_OPTIONS, OPTION_NAMES, pythonName } from "../options";
import type { FrameResult } from "../results/types";
import { ClipAnalysis, type ClipAnalysisDeps, clipOptions, doneMessage, type RunSink, VIEWER_HOLD_MS } from "./clipAnalysis";
import { FakeModel } from "./fakeModel";
import type { ViewState } from "./model";

function summary(over: Partial<AnalysisSummary> = {}): AnalysisSummary {
  return {
    fileName: "talk.mp4", frames: 75, totalFrames: 75, facesPerFrame: Array(75).fill(1), framesWithFaces: 75, maxFaces: 1,
    faceIds: [0], stageMs: { decode: 0, detector: 7, landmarker: 20, post: 0.1, scene: 0.5 }, elapsedMs: 3000, fps: 25,
    width: 360, height: 288, codec: "avc1", kind: "mp4", recordingId: "r", cancelled: false, blockedRequests: [], ...over,
  };
}

/** A kernel that takes a run's parts; `complete()` says it holds them all. */
class FakeSink implements RunSink {
  readonly calls: string[] = [];
  ended: Parameters<RunSink["end"]>[0] | null = null;
  complete!: () => void;
  readonly completed = new Promise<void>((resolve) => (this.complete = resolve));
  constructor(readonly run: string, readonly serial: number | null, autoComplete: boolean) {
    if (autoComplete) this.complete();
  }
  results(batch: readonly FrameResult[]) {
    this.calls.push(`results:${batch.length}`);
  }
  recording(stream: Uint8Array) {
    this.calls.push(`recording:${stream.length}`);
  }
  recordingEnd(tail: Uint8Array) {
    this.calls.push(`recording-end:${tail.length}`);
  }
  end(outcome: Parameters<RunSink["end"]>[0]) {
    this.ended = outcome;
  }
}

function setup(analyze: (req: AnalyzeRequest) => Promise<AnalysisOutcome>, autoComplete = true,
  duringRun?: ClipAnalysisDeps["duringRun"]) {
  const model = new FakeModel({ num_faces: 2, max_dim: 0, min_detection_confidence: 0.6, delegate: "CPU" });
  const states: Array<[ViewState, string]> = [];
  const sent: Uint8Array[] = [];
  const viewers: string[] = [];
  const progress = { root: null as never, show: jest.fn(), update: jest.fn(), dispose: jest.fn() };
  const sinks: FakeSink[] = [];
  const analysis = new ClipAnalysis({
    model, progress, analyze, duringRun,
    setState: (s, m) => states.push([s, m]),
    viewerFor: (run) => {
      viewers.push(run);
      return { send: (s) => sent.push(s) };
    },
    fetchModel: async () => new Uint8Array([1, 2, 3]),
    startRun: (_name, serial) => {
      const sink = new FakeSink(`run-${sinks.length}`, serial, autoComplete);
      sinks.push(sink);
      return sink;
    },
  });
  return { model, states, sent, viewers, progress, analysis, sinks };
}

const file = (name = "talk.mp4") => new File([new Uint8Array([0, 0, 0, 24])], name);

describe("ClipAnalysis", () => {
  it("lets the widget hide its viewer while the clip analyses, and show it again when it ends, failed or not", async () => {
    const events: string[] = [];
    for (const fails of [false, true]) {
      const t = setup(async (req) => {
        events.push(`analyse with ${JSON.stringify(req.options?.liveViewer ?? null)}`);
        if (fails) throw new Error("broken clip");
        return { summary: summary(), recording: null as never };
      }, true, (options) => {
        events.push(`hide (${options.liveViewer})`);
        return () => events.push("show");
      });
      t.model.set("live_viewer", "off");
      await t.analysis.run(file(), null);
    }
    expect(events).toEqual(['hide (off)', 'analyse with "off"', "show", 'hide (off)', 'analyse with "off"', "show"]);
  });

  it("shows a hidden viewer again when the widget is disposed mid-run (its kernel was lost)", async () => {
    const events: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const t = setup(() => {
      started();
      return new Promise<AnalysisOutcome>(() => undefined); // an analysis that never ends
    }, true, () => {
      events.push("hide");
      return () => events.push("show");
    });
    void t.analysis.run(file(), null);
    await running;
    t.analysis.dispose();
    t.analysis.dispose();
    expect(events).toEqual(["hide", "show"]);
  });

  it("passes the widget's options, streams into the viewer and the kernel, and reports the summary", async () => {
    let request: AnalyzeRequest | undefined;
    const t = setup(async (req) => {
      request = req;
      req.onStream?.(new Uint8Array([9]), false);
      req.onResults?.([{} as FrameResult, {} as FrameResult]);
      req.onFileEnd?.(new Uint8Array([7, 7]));
      req.onProgress?.({ done: 1, total: 75, fps: 25, etaMs: 2960 });
      return { summary: summary(), recording: null as never };
    });
    await t.analysis.run(file(), 4);
    expect(request?.options).toEqual({ numFaces: 2, maxDim: 0, minDetectionConfidence: 0.6, delegate: "CPU" });
    expect(Array.from(request!.model)).toEqual([1, 2, 3]);
    expect(t.sent).toEqual([new Uint8Array([9])]); // the footer goes to the kernel's file, not the viewer
    expect(t.sinks[0].serial).toBe(4);
    expect(t.sinks[0].calls).toEqual(["recording:1", "results:2", "recording-end:2"]);
    expect(t.sinks[0].ended).toEqual({ summary: summary(), error: null, cancelled: false });
    expect(t.progress.update).toHaveBeenCalledWith({ done: 1, total: 75, fps: 25, etaMs: 2960 });
    expect(t.model.get("progress")).toEqual({ done: 1, total: 75, fps: 25, eta_s: 3 });
    expect(t.states.at(-1)).toEqual(["done", "talk.mp4: 75 frames, 1 face in 75 frames, 25.0 fps"]);
    expect(t.progress.show).toHaveBeenLastCalledWith(false);
  });

  it("says done only once the kernel holds every result", async () => {
    const t = setup(async () => ({ summary: summary(), recording: null as never }), false);
    const run = t.analysis.run(file());
    await new Promise((r) => setTimeout(r, 0));
    expect(t.states.at(-1)?.[0]).toBe("analysing");
    expect(t.states.at(-1)?.[1]).toMatch(/handing the results to Python/);
    t.sinks[0].complete();
    await run;
    expect(t.states.at(-1)?.[0]).toBe("done");
  });

  it("keeps what was analysed when the clip fails midway and says so", async () => {
    const t = setup(async () => {
      throw Object.assign(new Error("The file is truncated"), { outcome: { summary: summary({ frames: 40 }), recording: null } });
    });
    await t.analysis.run(file());
    expect(t.states.at(-1)).toEqual(["error", "talk.mp4: The file is truncated (the 40 frames analysed before are kept)"]);
    expect(t.sinks[0].ended?.error).toEqual({ code: "Error", message: "The file is truncated" });
    expect(t.sinks[0].ended?.summary).toEqual(summary({ frames: 40 }));
  });

  it("tells the kernel the code of the video error that stopped a partial analysis", async () => {
    const cause = Object.assign(new Error("The video is truncated: stopped at frame 13"), { code: "truncated" });
    const t = setup(async () => {
      throw Object.assign(new Error(cause.message), { name: "AnalysisFailure", cause, outcome: { summary: summary({ frames: 13 }), recording: null } });
    });
    await t.analysis.run(file());
    expect(t.sinks[0].ended?.error).toEqual({ code: "truncated", message: "The video is truncated: stopped at frame 13" });
  });

  it("refuses a clip above the size limit before reading it, and tells the kernel", async () => {
    const analyze = jest.fn();
    const t = setup(analyze);
    const huge = new File([], "huge.mp4");
    Object.defineProperty(huge, "size", { value: 1.5 * 2 ** 30 });
    await t.analysis.run(huge);
    expect(analyze).not.toHaveBeenCalled();
    expect(t.states.at(-1)?.[0]).toBe("error");
    expect(t.states.at(-1)?.[1]).toMatch(/^huge\.mp4: the clip is 1\.5 GiB; facescope analyses clips up to 1 GiB/);
    expect(t.sinks[0].ended?.error?.code).toBe("too-large");
  });

  it("says plainly when no face was found", () => {
    expect(doneMessage(summary({ framesWithFaces: 0, faceIds: [], fileName: "tower.webm", frames: 48 })))
      .toBe("No face found in tower.webm (48 frames analysed, 25.0 fps)");
  });

  it("says why a clip shows overlays without its video", () => {
    expect(doneMessage(summary({ framesWithFaces: 0, faceIds: [], fileName: "odd.mkv", frames: 48, videoError: "no MP4 for it" })))
      .toBe("No face found in odd.mkv (48 frames analysed, 25.0 fps); overlays only: no MP4 for it");
  });

  it("says when a long clip's landmarks are thinned in the viewer", () => {
    const note = "long clip: the 3D face is drawn for every 4th frame to fit the viewer's memory (Python has every frame)";
    expect(doneMessage(summary({ fileName: "talk.mp4", frames: 90_000, framesWithFaces: 90_000, faceIds: [0], viewerNote: note })))
      .toBe(`talk.mp4: 90000 frames, 1 face in 90000 frames, 25.0 fps; ${note}`);
  });

  it("says when a file taken for a video was a still picture", () => {
    const still = { kind: "image" as const, codec: "png", fileName: "clip.mp4", frames: 1, totalFrames: 1 };
    expect(doneMessage(summary({ ...still, framesWithFaces: 1, maxFaces: 1, faceIds: [0] })))
      .toBe("clip.mp4: a still PNG image, analysed as one frame, 1 face");
    expect(doneMessage(summary({ ...still, framesWithFaces: 0, maxFaces: 0, faceIds: [] })))
      .toBe("No face found in clip.mp4 (a still PNG image, analysed as one frame)");
  });

  it("gives the viewer the last stream only once the kernel holds the run, or after VIEWER_HOLD_MS", async () => {
    jest.useFakeTimers();
    try {
      const t = setup(async (req) => {
        req.onStream?.(new Uint8Array([1]), false);
        req.onStream?.(new Uint8Array([2, 2]), true);
        return { summary: summary(), recording: null as never };
      }, false);
      const run = t.analysis.run(file(), 1);
      await jest.advanceTimersByTimeAsync(10);
      // The kernel got both streams at once; the viewer has the first, not yet the last.
      expect(t.sinks[0].calls).toEqual(["recording:1", "recording:2"]);
      expect(t.sent).toEqual([new Uint8Array([1])]);
      t.sinks[0].complete();
      await run;
      expect(t.states.at(-1)?.[0]).toBe("done"); // the status first…
      expect(t.sent).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(0);
      expect(t.sent).toEqual([new Uint8Array([1]), new Uint8Array([2, 2])]); // …then the viewer

      const slow = setup(async (req) => {
        req.onStream?.(new Uint8Array([3]), true);
        return { summary: summary(), recording: null as never };
      }, false);
      void slow.analysis.run(file(), 2);
      await jest.advanceTimersByTimeAsync(VIEWER_HOLD_MS - 10);
      expect(slow.sent).toEqual([]);
      await jest.advanceTimersByTimeAsync(20);
      expect(slow.sent).toEqual([new Uint8Array([3])]); // a busy kernel does not keep the viewer waiting
    } finally {
      jest.useRealTimers();
    }
  });

  it("lets a second clip replace the first in a fresh viewer", async () => {
    const pending: Array<(o: AnalysisOutcome) => void> = [];
    const signals: AbortSignal[] = [];
    const t = setup((req) => new Promise((resolve) => {
      signals.push(req.signal!);
      pending.push(resolve);
    }));
    const first = t.analysis.run(file("a.mp4"));
    await new Promise((r) => setTimeout(r, 0));
    const second = t.analysis.run(file("b.mp4"));
    await new Promise((r) => setTimeout(r, 0));
    expect(signals[0].aborted).toBe(true);
    expect(t.viewers).toEqual(["run-0", "run-1"]);
    pending[0]({ summary: summary({ fileName: "a.mp4", cancelled: true }), recording: null as never });
    pending[1]({ summary: summary({ fileName: "b.mp4" }), recording: null as never });
    await Promise.all([first, second]);
    expect(t.states.at(-1)?.[1]).toMatch(/^b\.mp4: 75 frames/);
  });

  it("cancels on request and keeps the partial result", async () => {
    const t = setup((req) => new Promise((resolve) => {
      req.signal!.addEventListener("abort", () => resolve({ summary: summary({ frames: 10, cancelled: true }), recording: null as never }));
    }));
    const run = t.analysis.run(file());
    await new Promise((r) => setTimeout(r, 0));
    t.analysis.cancel("cancel");
    await run;
    expect(t.states.at(-1)).toEqual(["done", "Cancelled after 10 of 75 frames; what was analysed is kept"]);
    expect(t.progress.show).toHaveBeenLastCalledWith(false);
  });

  it("reads every option of the table from its Python trait and leaves out the traits a kernel lacks", () => {
    expect(clipOptions(new FakeModel({ num_faces: 3, max_frames: 10, max_dim: 0, detector: false })))
      .toEqual({ numFaces: 3, maxFrames: 10, maxDim: 0, detector: false });
    expect(clipOptions(new FakeModel({ viewer_memory_mb: 800, max_frame: 5 }))).toEqual({ viewerMemoryMb: 800 });
    const everyTrait = new FakeModel(Object.fromEntries(OPTION_NAMES.map((n) => [pythonName(n), DEFAULT_CLIP_OPTIONS[n]])));
    expect(clipOptions(everyTrait)).toEqual(DEFAULT_CLIP_OPTIONS);
  });
});
