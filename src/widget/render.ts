// The one render path: anywidget's ESM and the JupyterLab plugin both call `render`.
// Every view of a widget shares its model; the view that analyses a clip writes the shared state
// (status, message, progress) and the others mirror it and rebuild their viewer from the
// kernel's copy of the recording once the run is over (a re-display, a page reload).
import { analyzeCamera } from "../analysis/liveSession";
import { analyzeClip } from "../analysis/session";
import { closeCamera, openCamera } from "../video/camera";
import { buildCameraControls } from "./cameraControls";
import { ClipAnalysis } from "./clipAnalysis";
import { followCursor, type CursorLink } from "./cursor";
import { listenForCustom } from "./customChannel";
import { listenForClips, requestClip } from "../kernel/clipChannel";
import { KernelLink } from "../kernel/kernelLink";
import { buildLayout } from "./layout";
import { chooseLiveViewer, pageRenderer } from "./liveViewer";
import { DEFAULT_CLIP_OPTIONS } from "../options";
import type { Cleanup, RenderProps, ViewState } from "./model";
import { requestModel } from "../kernel/modelChannel";
import { shareStatus } from "../kernel/model";
import { buildProgress } from "./progress";
import { injectStyle } from "./style";
import { ViewerHost } from "./viewer";

const STATES: readonly ViewState[] = ["loading", "idle", "analysing", "done", "error"];

export function render({ model, el }: RenderProps): Cleanup {
  const doc = el.ownerDocument;
  injectStyle(el);
  const shared = (): { state: ViewState; message: string } => {
    const status = model.get("status") as ViewState;
    return { state: STATES.includes(status) ? status : "loading", message: String(model.get("message") ?? "") };
  };
  const publish = (next: ViewState, message: string, share = true) => {
    if (disconnected) return; // the disconnected message stays; no kernel reads the model now
    layout.setState(next, message);
    if (!share) return;
    shareStatus(model, { status: next, message, error: next === "error" ? message : "" });
  };

  /** The kernel that held this widget is gone: the view keeps its viewer and says so. */
  let disconnected = false;
  const layout = buildLayout(el, (file) => { if (!disconnected) void analysis.run(file); });
  const progress = buildProgress(doc, () => analysis.cancel("cancel"));
  layout.progressSlot.append(progress.root);
  const camera = buildCameraControls(doc, { onStart: (req) => void analysis.record(req), onStop: () => analysis.stop() });
  layout.bar.insertBefore(camera.root, layout.bar.children[1] ?? null);

  const applyHeight = () => layout.setHeight(Number(model.get("height")) || 640);
  applyHeight();
  model.on("change:height", applyHeight);

  /** The run whose recording this view's viewer holds, if any. */
  let shows: string | null = null;
  let viewerReady = false;
  let greeted = false;
  /** The cursor's link to the kernel, for the viewer it follows. */
  let cursor: CursorLink | null = null;
  const stopCursor = () => {
    cursor?.stop();
    cursor = null;
  };
  const startViewer = () => {
    const host = new ViewerHost(layout.viewerHost, {
      onReady: () => {
        viewerReady = true;
        stopCursor();
        if (host.viewer) cursor = followCursor(model, host.viewer, () => custom.retry());
        // Idle only once the kernel says it has no clip for this view: a clip given in Python goes
        // straight from loading to analysing, never through "drop a video".
        if (shared().state === "loading") publish("loading", "Viewer ready; asking the kernel for a clip…");
        else mirror();
        if (greeted) return;
        greeted = true;
        link.hello(shows);
        requestClip(model, link.view); // a clip given in Python (FaceScope("clip.mp4")) starts now
      },
      onError: (message) => {
        if (["loading", "idle"].includes(shared().state)) publish("error", message);
        else layout.setState("error", message);
      },
    });
    void host.start();
    return host;
  };
  /** A viewer for a new recording: a fresh one if this one already holds another. */
  const emptyViewer = () => {
    if (shows !== null) {
      stopCursor();
      viewer.dispose();
      viewer = startViewer();
    }
    return viewer;
  };

  const link = new KernelLink(model, {
    onRestore: (run, rrd) => {
      if (analysis.running || run === shows) return;
      emptyViewer().send(rrd);
      shows = run;
      layout.root.dataset.run = run; // lets a page (and a test) see which run a view shows
    },
    onOffer: (run) => {
      if (greeted && !analysis.running && run !== shows) link.hello(shows);
    },
    onKernelLost: () => {
      stopCursor(); // the viewer's cursor has no kernel to follow it any more
      const stopped = analysis.running ? " The analysis stopped; the viewer keeps what was analysed." : "";
      analysis.dispose();
      stopClips();
      progress.show(false);
      layout.setState("disconnected", "Disconnected from the kernel (it was restarted or stopped): re-run the cell " +
        `to analyse again.${stopped}`);
      disconnected = true;
    },
  });
  link.open();
  let viewer = startViewer();
  // Python's series and events go into the viewer once it names the recording it shows.
  const custom = listenForCustom(model, () => cursor && { shown: () => cursor?.shown() ?? null, send: (s) => viewer.send(s) });
  if (shared().state === "loading") publish("loading", "Loading the Rerun viewer…");
  else layout.setState("loading", "Loading the Rerun viewer…");

  // Another view analyses: follow its state, and take its recording once the kernel has it all.
  const mirror = () => {
    if (analysis.running || !viewerReady || disconnected) return;
    const { state, message } = shared();
    layout.setState(state, message);
    if (greeted && (state === "done" || state === "error")) link.hello(shows);
  };
  model.on("change:status", mirror);

  let modelBytes: Promise<Uint8Array> | null = null;
  const analysis = new ClipAnalysis({
    model,
    progress,
    setState: publish,
    viewerFor: (run) => {
      const empty = emptyViewer();
      shows = run;
      layout.root.dataset.run = run;
      return empty;
    },
    startRun: (fileName, serial) => link.startRun(fileName, serial),
    duringRun: (options) => {
      const { live, note } = chooseLiveViewer(options.liveViewer ?? DEFAULT_CLIP_OPTIONS.liveViewer, pageRenderer());
      if (live) return () => undefined;
      layout.setViewerWaiting(note);
      return () => layout.setViewerWaiting(null);
    },
    fetchModel: () => {
      modelBytes ??= requestModel(model);
      modelBytes.catch(() => (modelBytes = null)); // let a later clip ask again
      return modelBytes;
    },
    analyze: analyzeClip,
    camera: {
      open: openCamera,
      started: (stream) => camera.started(stream),
      stopped: (stream) => {
        closeCamera(stream);
        camera.stopped();
      },
      record: analyzeCamera,
    },
  });

  // Benchmarks (scripts/bench_sync.py) drive a view's kernel link directly, if the page asks first.
  if ((doc.defaultView as { facescopeDebug?: unknown } | null)?.facescopeDebug === true) {
    Object.defineProperty(layout.root, "facescopeDebug", {
      value: { model, link, viewer: () => viewer.viewer }, configurable: true,
    });
  }

  const stopClips = listenForClips(model, link.view, {
    onClip: ({ file, serial }) => void analysis.run(file, serial),
    onRecord: ({ seconds, device, serial }) => void analysis.record({ seconds: seconds ?? undefined, device: device ?? undefined }, serial),
    onNone: () => {
      if (!disconnected && !analysis.running && shared().state === "loading") publish("idle", "Viewer ready: drop a video to analyse it");
    },
  });

  return () => {
    stopClips();
    model.off("change:height", applyHeight);
    model.off("change:status", mirror);
    analysis.dispose();
    camera.dispose();
    link.dispose();
    custom.stop();
    stopCursor();
    viewer.dispose();
    progress.dispose();
    layout.dispose();
  };
}
