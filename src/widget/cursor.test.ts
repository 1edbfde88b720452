import { followCursor, type CursorViewer } from "./cursor";
import type { WidgetModel } from "../kernel/model";

type Handler = (e: unknown) => void;

function fakes(jupyter = true) {
  const handlers = new Map<string, Handler[]>();
  const calls: unknown[][] = [];
  let active: string | null = "frame_idx";
  const viewer = {
    on: (event: string, cb: Handler) => {
      handlers.set(event, [...(handlers.get(event) ?? []), cb]);
      return () => handlers.set(event, (handlers.get(event) ?? []).filter((h) => h !== cb));
    },
    set_current_time: (...a: unknown[]) => calls.push(["set_current_time", ...a]),
    set_active_timeline: (...a: unknown[]) => {
      active = a[1] as string;
      calls.push(["set_active_timeline", ...a]);
    },
    set_playing: (...a: unknown[]) => calls.push(["set_playing", ...a]),
    get_active_timeline: () => active,
    get_current_time: () => 7,
  } as unknown as CursorViewer;
  const sent: unknown[] = [];
  const listeners = new Map<string, Handler>();
  const state: Record<string, unknown> = {};
  const model = {
    widget_manager: jupyter ? { kernel: {} } : {},
    set: (k: string, v: unknown) => (state[k] = v),
    save_changes: () => sent.push({ saved: { ...state } }),
    send: (m: unknown) => sent.push(m),
    on: (event: string, cb: Handler) => listeners.set(event, cb),
    off: (event: string) => listeners.delete(event),
  } as unknown as WidgetModel;
  const emit = (event: string, e: object) => (handlers.get(event) ?? []).forEach((h) => h({ application_id: "a", recording_id: "r", ...e }));
  const fromKernel = (m: object) => listeners.get("msg:custom")?.(m);
  return { viewer, model, sent, calls, emit, fromKernel, handlers, listeners, state };
}

describe("followCursor", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("sends the cursor with its timeline, throttled, ending on the last position", () => {
    const f = fakes();
    followCursor(f.model, f.viewer);
    for (let t = 0; t < 30; t++) f.emit("time_update", { time: t });
    jest.advanceTimersByTime(1000);
    expect(f.sent[0]).toEqual({ type: "cursor", timeline: "frame_idx", time: 0, playing: false });
    expect(f.sent.length).toBe(2);
    expect(f.sent[1]).toMatchObject({ time: 29 });
  });

  it("reports a timeline change and the selection", () => {
    const f = fakes();
    followCursor(f.model, f.viewer);
    f.emit("timeline_change", { timeline: "time", time: 5e8 });
    f.emit("selection_change", { items: [{ type: "entity", entity_path: "/blendshapes/0/jawOpen" }] });
    expect(f.sent).toEqual([
      { type: "cursor", timeline: "time", time: 5e8, playing: false },
      { type: "selection", items: [{ type: "entity", entity_path: "/blendshapes/0/jawOpen" }] },
    ]);
  });

  it("outside Jupyter also sets the raw cursor as state (marimo re-runs cells on state)", () => {
    const f = fakes(false);
    followCursor(f.model, f.viewer);
    f.emit("time_update", { time: 12 });
    expect(f.sent).toEqual([
      { type: "cursor", timeline: "frame_idx", time: 12, playing: false },
      { saved: { cursor: { timeline: "frame_idx", time: 12, playing: false } } },
    ]);
  });

  it("applies the kernel's seek and play to the recording it has seen", () => {
    const f = fakes();
    const heard: unknown[] = [];
    const link = followCursor(f.model, f.viewer, (r) => heard.push(r));
    f.emit("recording_open", { source: "x" });
    f.emit("time_update", { time: 0 });
    expect(heard).toEqual([{ applicationId: "a", recordingId: "r" }]); // once per recording
    expect(link.shown()).toEqual({ applicationId: "a", recordingId: "r" });
    f.fromKernel({ type: "seek", timeline: "time", time: 1e9 });
    f.fromKernel({ type: "playing", playing: true });
    expect(f.calls).toEqual([
      ["set_active_timeline", "r", "time"],
      ["set_current_time", "r", "time", 1e9],
      ["set_playing", "r", true],
    ]);
  });

  it("keeps a seek and a play that come before the recording is known, the last of each, until it is", () => {
    const f = fakes();
    const link = followCursor(f.model, f.viewer);
    f.fromKernel({ type: "seek", timeline: "time", time: 1e9 });
    f.fromKernel({ type: "playing", playing: true });
    f.fromKernel({ type: "seek", timeline: "frame_idx", time: 20 });
    expect(f.calls).toEqual([]);
    expect(link.shown()).toBeNull();
    f.emit("recording_open", { source: "x" });
    expect(f.calls).toEqual([
      ["set_playing", "r", true],
      ["set_active_timeline", "r", "frame_idx"],
      ["set_current_time", "r", "frame_idx", 20],
    ]);
    f.emit("time_update", { time: 20 });
    expect(f.calls).toHaveLength(3); // applied once
  });

  it("sends the cursor when playback starts or stops, with no time_update after it", () => {
    const f = fakes();
    followCursor(f.model, f.viewer);
    f.emit("play", {});
    jest.advanceTimersByTime(1000);
    f.emit("time_update", { time: 12 });
    jest.advanceTimersByTime(1000);
    f.emit("pause", {});
    jest.advanceTimersByTime(1000);
    expect(f.sent).toEqual([
      { type: "cursor", timeline: "frame_idx", time: 7, playing: true }, // the viewer's time: none reported yet
      { type: "cursor", timeline: "frame_idx", time: 12, playing: true },
      { type: "cursor", timeline: "frame_idx", time: 12, playing: false },
    ]);
  });

  it("detaches from the viewer and the model", () => {
    const f = fakes();
    const { stop } = followCursor(f.model, f.viewer);
    stop();
    f.emit("time_update", { time: 3 });
    expect(f.sent).toEqual([]);
    expect(f.listeners.size).toBe(0);
  });
});
