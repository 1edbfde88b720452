// The widget's side of a camera recording with a fake camera and a fake live session: the run, its
// messages and its end reach the kernel as a file's do; Stop ends it normally; failures say what to do.
import type { RecordRequest } from "../analysis/liveSession";
import type { AnalysisOutcome } from "../analysis/session";
import type { AnalysisSummary } from "../analysis/summary";
import { cameraError } from "../video/camera";
import { parseSeconds } from "./cameraControls";
import { ClipAnalysis, recordedMessage, type RunSink } from "./clipAnalysis";
import { listenForClips } from "../kernel/clipChannel";
import { FakeModel } from "./fakeModel";
import type { ViewState } from "./model";
import { liveProgressText } from "./progress";

function summary(over: Partial<AnalysisSummary> = {}): AnalysisSummary {
  return {
    fileName: "camera", frames: 44, totalFrames: 44, facesPerFrame: Array(44).fill(1), framesWithFaces: 44, maxFaces: 1,
    faceIds: [0], stageMs: { decode: 0, detector: 7, landmarker: 20, post: 0.1, scene: 0.5 }, elapsedMs: 9000, fps: 8.8,
    width: 640, height: 480, codec: "avc1.42e01f", kind: "camera", recordingId: "r", cancelled: false, blockedRequests: [],
    capturedFrames: 116, analysedFrames: 44, recordedFrames: 116, captureFps: 23, recordedSeconds: 4.997, videoError: null, ...over,
  };
}

function setup(record: (req: RecordRequest) => Promise<AnalysisOutcome>, open?: () => Promise<MediaStream>) {
  const states: Array<[ViewState, string]> = [];
  const ended: Array<Parameters<RunSink["end"]>[0]> = [];
  const events: string[] = [];
  const stream = { id: "cam" } as unknown as MediaStream;
  const analysis = new ClipAnalysis({
    model: new FakeModel({ num_faces: 1 }),
    progress: { root: null as never, show: jest.fn(), update: jest.fn(), dispose: jest.fn() },
    setState: (s, m) => states.push([s, m]),
    viewerFor: () => ({ send: () => undefined }),
    fetchModel: async () => new Uint8Array([1]),
    analyze: jest.fn(),
    startRun: (name, serial) => {
      events.push(`start:${name}:${serial}`);
      return { run: "r1", results: () => undefined, recording: () => undefined, recordingEnd: () => undefined, end: (o) => ended.push(o), completed: Promise.resolve() };
    },
    camera: {
      open:
        open ??
        (async (device) => {
          events.push(`open:${device}`);
          return stream;
        }),
      started: (s) => events.push(`started:${(s as unknown as { id: string }).id}`),
      stopped: (s) => events.push(`stopped:${s ? "stream" : "none"}`),
      record,
    },
  });
  return { analysis, states, ended, events, stream };
}

describe("camera recording in the widget", () => {
  it("opens the camera, records for the seconds asked, reports the counts and closes the camera", async () => {
    let request: RecordRequest | undefined;
    const t = setup(async (req) => {
      request = req;
      req.onProgress?.({ done: 3, total: 9, fps: 7.5, etaMs: 4600, captured: 9, analysed: 3, recorded: 9, seconds: 0.4, limitSeconds: 5 });
      return { summary: summary(), recording: null as never };
    });
    await t.analysis.record({ seconds: 5, device: "Front" }, 3);
    expect(request?.seconds).toBe(5);
    expect(request?.stream).toBe(t.stream);
    expect(t.events).toEqual(["start:camera:3", "open:Front", "started:cam", "stopped:stream"]);
    expect(t.states).toContainEqual(["analysing", "Recording 0.4 / 5 s · 3 of 9 frames analysed · 7.5 fps"]);
    expect(t.states.at(-1)).toEqual(["done", "Camera: 5.0 s recorded, 44 of 116 frames analysed, 1 face in 44 frames"]);
    expect(t.ended[0]).toEqual({ summary: summary(), error: null, cancelled: false });
  });

  it("Stop (and the progress row's Cancel) end the recording normally", async () => {
    const t = setup((req) => new Promise((resolve) => req.signal!.addEventListener("abort",
      () => resolve({ summary: summary({ recordedSeconds: 2 }), recording: null as never }))));
    const run = t.analysis.record({});
    await new Promise((r) => setTimeout(r, 0));
    expect(t.analysis.recording).toBe(true);
    t.analysis.cancel("cancel");
    await run;
    expect(t.states.at(-1)).toEqual(["done", "Camera: 2.0 s recorded, 44 of 116 frames analysed, 1 face in 44 frames"]);
    expect(t.analysis.recording).toBe(false);
  });

  it("a refused camera ends the run with the message and its code, and nothing is recorded", async () => {
    const record = jest.fn();
    const t = setup(record, async () => { throw cameraError(Object.assign(new Error("Permission denied"), { name: "NotAllowedError" })); });
    await t.analysis.record({ seconds: 5 });
    expect(record).not.toHaveBeenCalled();
    expect(t.states.at(-1)?.[0]).toBe("error");
    expect(t.states.at(-1)?.[1]).toMatch(/^camera: Camera permission was denied\. Allow the camera for this page/);
    expect(t.ended[0].error?.code).toBe("permission-denied");
    expect(t.events).toEqual(["start:camera:null", "stopped:none"]);
  });

  it("a camera lost midway keeps what was recorded, with the cause's code", async () => {
    const lost = cameraError(Object.assign(new Error("x"), { name: "NotReadableError" }));
    const t = setup(async () => {
      throw Object.assign(new Error(lost.message), { name: "AnalysisFailure", cause: lost, outcome: { summary: summary({ frames: 20 }), recording: null } });
    });
    await t.analysis.record({});
    expect(t.ended[0].error?.code).toBe("camera-busy");
    expect(t.ended[0].summary).toEqual(summary({ frames: 20 }));
    expect(t.states.at(-1)?.[1]).toMatch(/\(the 20 frames analysed before are kept\)$/);
  });
});

describe("camera messages and controls", () => {
  it.each([
    ["NotAllowedError", "permission-denied", /Camera permission was denied/],
    ["NotFoundError", "no-camera", /No camera found/],
    ["OverconstrainedError", "no-camera", /No camera found/],
    ["NotReadableError", "camera-busy", /another program may be using it/],
    ["TypeError", "unsupported", /could not be opened/],
  ])("%s → %s", (name, code, message) => {
    const e = cameraError(Object.assign(new Error("detail"), { name }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("names the camera asked for when it is missing", () => {
    expect(cameraError(Object.assign(new Error(""), { name: "NotFoundError" }), "USB cam").message).toMatch(/"USB cam" was not found/);
  });

  it("says when the video could not be kept, and when no face was found", () => {
    expect(recordedMessage(summary({ framesWithFaces: 0, faceIds: [], videoError: "no encoder" })))
      .toBe("Camera: 5.0 s recorded, 44 of 116 frames analysed, no face found; video not kept: no encoder");
    expect(liveProgressText({ done: 1, total: 2, fps: 3, etaMs: NaN, captured: 2, analysed: 1, recorded: 2, seconds: 12.34, limitSeconds: 0 }))
      .toBe("Recording 12.3 s · 1 of 2 frames analysed · 3.0 fps");
  });

  it("reads the duration field", () => {
    expect([parseSeconds("10"), parseSeconds(" 2.5 "), parseSeconds(""), parseSeconds("0"), parseSeconds("-1"), parseSeconds("x")])
      .toEqual([10, 2.5, undefined, undefined, undefined, undefined]);
  });

  it("starts a recording the kernel addressed to this view, once", () => {
    const model = new FakeModel();
    const asked: unknown[] = [];
    listenForClips(model, "v1", { onClip: () => undefined, onRecord: (c) => asked.push(c) });
    const command = { type: "record", to: "v1", serial: 2, seconds: 5, device: null };
    model.custom(command, []);
    model.custom(command, []);
    model.custom({ ...command, to: "v2", serial: 3 }, []);
    expect(asked).toEqual([command]);
  });
});
