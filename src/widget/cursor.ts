// The viewer's cursor and selection to the kernel, and the kernel's seek/play/pause to the viewer
// (the Python twin is facescope/_cursor.py). Custom messages, not trait updates: ipywidgets holds a
// view's state updates until the kernel is idle, so a cell that awaits would never see them.
import type { SelectionChangeItem, WebViewer } from "@rerun-io/web-viewer";
import type { Cleanup, WidgetModel } from "../kernel/model";
import { throttle } from "./throttle";

/** At most this many cursor messages per second (the last position is always sent). */
export const CURSOR_UPDATES_PER_S = 10;

/** Browser → kernel. `time` is in the timeline's unit: ns on `time`, a frame number on `frame_idx`. */
export interface CursorMessage { type: "cursor"; timeline: string; time: number; playing: boolean }
export interface SelectionMessage { type: "selection"; items: SelectionChangeItem[] }
/** Kernel → browser. */
export interface SeekMessage { type: "seek"; timeline: string; time: number }
export interface PlayingMessage { type: "playing"; playing: boolean }

/** The slice of the web viewer this module uses (the tests' fake implements only this). */
export type CursorViewer = Pick<WebViewer, "on" | "set_current_time" | "set_active_timeline" | "set_playing" | "get_active_timeline" | "get_current_time">;

/** The recording a viewer shows, as its events name it. */
export interface ShownRecording { applicationId: string; recordingId: string }

export interface CursorLink {
  /** Detaches from the viewer and the model. */
  stop: Cleanup;
  /** The recording the viewer last reported, null before its first event. */
  shown(): ShownRecording | null;
}

/** Follows one viewer for as long as it lives; `onShown` hears when its recording becomes known. */
export function followCursor(model: WidgetModel, viewer: CursorViewer, onShown: (r: ShownRecording) => void = () => {}): CursorLink {
  let recording: string | null = null;
  let shown: ShownRecording | null = null;
  // The kernel's seek/play/pause that came before the viewer named its recording (the last of each kind).
  let queued: Array<{ type: string; timeline?: unknown; time?: unknown; playing?: unknown }> = [];
  const seen = (e: { application_id: string; recording_id: string }) => {
    recording = e.recording_id;
    if (queued.length) for (const m of queued.splice(0)) command(m);
    if (shown?.recordingId === e.recording_id && shown.applicationId === e.application_id) return;
    shown = { applicationId: e.application_id, recordingId: e.recording_id };
    onShown(shown);
  };
  let timeline = "frame_idx";
  let playing = false;
  // Outside Jupyter (marimo) a reactive cell re-runs on a *state* change from the view, and no
  // kernel holds state updates back there: the raw cursor also goes as the `cursor` trait.
  const jupyter = !!(model as { widget_manager?: { kernel?: unknown } }).widget_manager?.kernel;
  const send = throttle((m: CursorMessage) => {
    model.send(m);
    if (jupyter) return;
    model.set("cursor", { timeline: m.timeline, time: m.time, playing: m.playing });
    model.save_changes();
  }, 1000 / CURSOR_UPDATES_PER_S);
  let last: number | null = null; // the cursor's last reported time on `timeline`
  const sendCursor = (time: number) => {
    last = time;
    send({ type: "cursor", timeline, time, playing });
  };
  // Playback changes reach the kernel even when no time_update follows (a pause, a play at the end).
  const sendPlaying = (e: { recording_id: string }, now: boolean) => {
    playing = now;
    sendCursor(last ?? viewer.get_current_time(e.recording_id, timeline));
  };

  const offs = [
    viewer.on("recording_open", seen),
    viewer.on("time_update", (e) => {
      seen(e);
      timeline = viewer.get_active_timeline(e.recording_id) ?? timeline;
      sendCursor(e.time);
    }),
    viewer.on("timeline_change", (e) => {
      seen(e);
      timeline = e.timeline;
      sendCursor(e.time);
    }),
    viewer.on("play", (e) => {
      seen(e);
      sendPlaying(e, true);
    }),
    viewer.on("pause", (e) => {
      seen(e);
      sendPlaying(e, false);
    }),
    viewer.on("selection_change", (e) => model.send({ type: "selection", items: e.items } satisfies SelectionMessage)),
  ];

  function command(m: { type?: string; timeline?: unknown; time?: unknown; playing?: unknown }): void {
    if (recording === null) {
      queued = [...queued.filter((q) => q.type !== m.type), m as { type: string }];
      return;
    }
    if (m.type === "seek" && typeof m.timeline === "string" && typeof m.time === "number") {
      viewer.set_active_timeline(recording, m.timeline);
      viewer.set_current_time(recording, m.timeline, m.time);
    } else if (m.type === "playing") {
      viewer.set_playing(recording, !!m.playing);
    }
  }
  const onMessage = (...args: unknown[]) => {
    const m = args[0] as { type?: string; timeline?: unknown; time?: unknown; playing?: unknown } | null;
    if (m?.type === "seek" || m?.type === "playing") command(m);
  };
  model.on("msg:custom", onMessage);

  return {
    stop: () => {
      send.flush();
      for (const off of offs) off();
      model.off("msg:custom", onMessage);
    },
    shown: () => shown,
  };
}
